"""Layered settings and cloud endpoints.

Order, lowest first: built-in defaults < organisation file (next to the executable,
then the system config dir) < the user's ``config.toml`` < ``ZTNA_*`` environment
variables < explicit overrides (command-line arguments). Every URL the app talks to
comes from here; nothing else hard-codes an endpoint.

File format (TOML)::

    [entra]
    cloud = "public"            # public | usgov | china
    tenant_id = "contoso.onmicrosoft.com"
    client_id = "00000000-0000-0000-0000-000000000000"
    authority_host = "https://login.microsoftonline.com"   # optional, from the cloud
    graph_url = "https://graph.microsoft.com/v1.0"         # optional, from the cloud

    [tls]
    ca_file = "/path/extra-ca.pem"   # optional extra CA to trust (emulator, TLS proxy)
"""

from __future__ import annotations

import json
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from ztna_desktop import paths
from ztna_desktop.core.errors import ConfigError

CONFIG_FILE_NAME = "ztna-desktop.toml"


@dataclass(frozen=True, slots=True)
class Cloud:
    """The endpoints of one Microsoft cloud."""

    authority_host: str
    graph_url: str


CLOUDS: dict[str, Cloud] = {
    "public": Cloud("https://login.microsoftonline.com", "https://graph.microsoft.com/v1.0"),
    "usgov": Cloud("https://login.microsoftonline.us", "https://graph.microsoft.us/v1.0"),
    "china": Cloud(
        "https://login.chinacloudapi.cn", "https://microsoftgraph.chinacloudapi.cn/v1.0"
    ),
}


@dataclass(frozen=True, slots=True)
class Config:
    """Resolved settings. ``authority`` and ``graph_url`` are what the clients use."""

    cloud: str = "public"
    tenant_id: str = "organizations"
    client_id: str = ""
    authority_host: str = ""
    graph_url: str = ""
    ca_file: str = ""
    demo: bool = False
    source: str = "defaults"  # where the last layer came from, for the About box

    @property
    def authority(self) -> str:
        """``https://host/tenant``, the MSAL authority."""
        return f"{self.resolved_authority_host().rstrip('/')}/{self.tenant_id}"

    def resolved_authority_host(self) -> str:
        return self.authority_host or _cloud(self.cloud).authority_host

    def resolved_graph_url(self) -> str:
        return (self.graph_url or _cloud(self.cloud).graph_url).rstrip("/")

    def graph_scope(self, scope: str) -> str:
        """Qualify a Graph scope with its resource, e.g. ``https://graph.microsoft.us/User.Read``."""
        origin = self.resolved_graph_url().rsplit("/v1.0", 1)[0]
        return f"{origin}/{scope}"

    def validate(self) -> None:
        """Raise ConfigError when the app cannot sign in with these settings."""
        if not self.client_id:
            raise ConfigError(
                "No client id is configured. Register a public client app in Entra ID and "
                f"set [entra] client_id in {CONFIG_FILE_NAME} (see README), or run with --demo."
            )
        if not self.tenant_id:
            raise ConfigError("No tenant id is configured ([entra] tenant_id).")
        for name in ("authority_host", "graph_url"):
            value = getattr(self, name)
            if value and not value.startswith("https://"):
                raise ConfigError(f"[entra] {name} must be an https:// URL, not {value!r}.")
        if self.ca_file and not Path(self.ca_file).is_file():
            raise ConfigError(f"[tls] ca_file {self.ca_file!r} does not exist.")


def _cloud(name: str) -> Cloud:
    try:
        return CLOUDS[name]
    except KeyError:
        raise ConfigError(f"Unknown cloud {name!r}; choose one of {', '.join(CLOUDS)}.") from None


_SECTIONS = {
    "entra": ("cloud", "tenant_id", "client_id", "authority_host", "graph_url"),
    "tls": ("ca_file",),
}
_FIELD_NAMES = {f.name for f in fields(Config)}


def _layer_from_toml(data: Mapping[str, object], origin: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for section, keys in _SECTIONS.items():
        table = data.get(section, {})
        if not isinstance(table, dict):
            raise ConfigError(f"{origin}: [{section}] must be a table.")
        for key, value in table.items():
            if key not in keys:
                raise ConfigError(f"{origin}: unknown setting [{section}] {key}.")
            if not isinstance(value, str):
                raise ConfigError(f"{origin}: [{section}] {key} must be a string.")
            out[key] = value
    return out


def read_file(path: Path) -> dict[str, str]:
    """Read one config file into a flat layer; ConfigError names the file and the problem."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc}).") from exc
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror}).") from exc
    layer = _layer_from_toml(data, str(path))
    # A relative ca_file is relative to the file that names it.
    if layer.get("ca_file") and not Path(layer["ca_file"]).is_absolute():
        layer["ca_file"] = str(path.parent / layer["ca_file"])
    return layer


def default_files() -> list[Path]:
    """Organisation files (lowest first), then the user's file."""
    return [
        paths.site_config_dir() / CONFIG_FILE_NAME,
        paths.executable_dir() / CONFIG_FILE_NAME,
        paths.user_config_dir() / CONFIG_FILE_NAME,
    ]


def _env_layer(environ: Mapping[str, str]) -> dict[str, str]:
    names = {k for keys in _SECTIONS.values() for k in keys}
    return {
        name: environ[f"ZTNA_{name.upper()}"]
        for name in names
        if environ.get(f"ZTNA_{name.upper()}")
    }


def _merged(config: Config, layer: Mapping[str, Any], source: str) -> Config:
    return replace(config, **{**layer, "source": source})


def load(
    files: list[Path] | None = None,
    environ: Mapping[str, str] | None = None,
    overrides: Mapping[str, object] | None = None,
) -> Config:
    """Resolve the layers into one Config (files that do not exist are skipped)."""
    config = Config()
    for path in default_files() if files is None else files:
        if path.is_file():
            config = _merged(config, read_file(path), str(path))
    env = _env_layer(os.environ if environ is None else environ)
    if env:
        config = _merged(config, env, "environment")
    extra = {k: v for k, v in (overrides or {}).items() if v is not None}
    unknown = set(extra) - _FIELD_NAMES
    if unknown:
        raise ConfigError(f"Unknown settings: {', '.join(sorted(unknown))}.")
    if extra:
        config = _merged(config, extra, config.source)
    _cloud(config.cloud)
    return config


def to_toml(config: Config) -> str:
    """Write the settings that differ from the defaults as a config file."""
    default = Config()
    lines: list[str] = []
    for section, keys in _SECTIONS.items():
        changed = [k for k in keys if getattr(config, k) != getattr(default, k)]
        if not changed:
            continue
        lines.append(f"[{section}]")
        # JSON string escapes are valid TOML basic-string escapes.
        lines += [f"{k} = {json.dumps(getattr(config, k))}" for k in changed]
        lines.append("")
    return "\n".join(lines)
