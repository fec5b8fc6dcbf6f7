"""Layered configuration: files < environment < overrides, endpoints per cloud, validation."""

from __future__ import annotations

import pytest

from ztna_desktop import config
from ztna_desktop.config import Config, load, read_file, to_toml
from ztna_desktop.core.errors import ConfigError


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_point_at_the_public_cloud():
    cfg = load(files=[], environ={})
    assert cfg.authority == "https://login.microsoftonline.com/organizations"
    assert cfg.resolved_graph_url() == "https://graph.microsoft.com/v1.0"
    assert cfg.graph_scope("User.Read") == "https://graph.microsoft.com/User.Read"
    assert cfg.source == "defaults"


@pytest.mark.parametrize(
    ("cloud", "authority", "scope"),
    [
        ("usgov", "https://login.microsoftonline.us/t", "https://graph.microsoft.us/User.Read"),
        (
            "china",
            "https://login.chinacloudapi.cn/t",
            "https://microsoftgraph.chinacloudapi.cn/User.Read",
        ),
    ],
)
def test_sovereign_clouds(cloud, authority, scope):
    cfg = Config(cloud=cloud, tenant_id="t")
    assert cfg.authority == authority
    assert cfg.graph_scope("User.Read") == scope


def test_explicit_endpoints_win_over_the_cloud():
    cfg = Config(
        tenant_id="tid",
        authority_host="https://127.0.0.1:8443/",
        graph_url="https://127.0.0.1:8443/v1.0/",
    )
    assert cfg.authority == "https://127.0.0.1:8443/tid"
    assert cfg.resolved_graph_url() == "https://127.0.0.1:8443/v1.0"
    assert cfg.graph_scope("User.Read.All") == "https://127.0.0.1:8443/User.Read.All"


def test_layers_in_order(tmp_path):
    org = write(tmp_path / "org.toml", '[entra]\ntenant_id = "org-tenant"\nclient_id = "org-app"\n')
    user = write(tmp_path / "user.toml", '[entra]\nclient_id = "user-app"\n')
    cfg = load(files=[org, tmp_path / "missing.toml", user], environ={})
    assert (cfg.tenant_id, cfg.client_id, cfg.source) == ("org-tenant", "user-app", str(user))
    env = {"ZTNA_TENANT_ID": "env-tenant", "ZTNA_CLIENT_ID": ""}
    cfg = load(files=[org, user], environ=env)
    assert (cfg.tenant_id, cfg.client_id, cfg.source) == ("env-tenant", "user-app", "environment")
    cfg = load(files=[org], environ=env, overrides={"tenant_id": "cli", "client_id": None})
    assert (cfg.tenant_id, cfg.client_id) == ("cli", "org-app")


def test_relative_ca_file_is_relative_to_its_config_file(tmp_path):
    path = write(tmp_path / "c.toml", '[tls]\nca_file = "certs/ca.pem"\n')
    assert read_file(path)["ca_file"] == str(tmp_path / "certs" / "ca.pem")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("[entra\n", "not valid TOML"),
        ('[entra]\ncolour = "blue"\n', "unknown setting [entra] colour"),
        ("[entra]\ntenant_id = 5\n", "must be a string"),
        ('entra = "x"\n', "must be a table"),
    ],
)
def test_bad_files_name_file_and_problem(tmp_path, text, words):
    path = write(tmp_path / "bad.toml", text)
    with pytest.raises(ConfigError) as info:
        read_file(path)
    assert words in str(info.value)
    assert str(path) in str(info.value)


def test_unreadable_file(tmp_path):
    with pytest.raises(ConfigError, match="cannot be read"):
        read_file(tmp_path)  # a directory


def test_unknown_cloud_and_override():
    with pytest.raises(ConfigError, match="Unknown cloud"):
        load(files=[], environ={"ZTNA_CLOUD": "mars"})
    with pytest.raises(ConfigError, match="Unknown settings: colour"):
        load(files=[], environ={}, overrides={"colour": "blue"})


def test_validate(tmp_path):
    with pytest.raises(ConfigError, match="No client id"):
        Config().validate()
    with pytest.raises(ConfigError, match="must be an https"):
        Config(client_id="c", graph_url="http://graph.example/v1.0").validate()
    with pytest.raises(ConfigError, match="does not exist"):
        Config(client_id="c", ca_file=str(tmp_path / "nope.pem")).validate()
    ca = write(tmp_path / "ca.pem", "x")
    Config(client_id="c", tenant_id="t", ca_file=str(ca)).validate()


def test_to_toml_round_trips_changed_settings(tmp_path):
    cfg = Config(
        tenant_id='odd "tenant"',
        client_id="c1",
        graph_url="https://127.0.0.1:1/v1.0",
        ca_file=str(tmp_path / "ca.pem"),
    )
    text = to_toml(cfg)
    assert "cloud" not in text
    path = write(tmp_path / "out.toml", text)
    back = load(files=[path], environ={})
    for name in ("tenant_id", "client_id", "graph_url", "ca_file"):
        assert getattr(back, name) == getattr(cfg, name)
    assert to_toml(Config()) == ""


def test_default_files_order(monkeypatch, tmp_path):
    monkeypatch.setattr(config.paths, "site_config_dir", lambda: tmp_path / "site")
    monkeypatch.setattr(config.paths, "executable_dir", lambda: tmp_path / "exe")
    monkeypatch.setattr(config.paths, "user_config_dir", lambda: tmp_path / "user")
    assert config.default_files() == [
        tmp_path / "site" / config.CONFIG_FILE_NAME,
        tmp_path / "exe" / config.CONFIG_FILE_NAME,
        tmp_path / "user" / config.CONFIG_FILE_NAME,
    ]
