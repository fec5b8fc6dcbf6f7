"""net.Session: our extra CA survives REQUESTS_CA_BUNDLE, TLS stays on, loopback skips proxies."""

from __future__ import annotations

import http.server
import ssl
import threading
from pathlib import Path

import pytest
import requests
import trustme
from requests.adapters import HTTPAdapter

from ztna_desktop import net


@pytest.fixture(scope="module")
def https_server(tmp_path_factory):
    """A tiny HTTPS server on 127.0.0.1 with a certificate from a throw-away CA."""
    ca = trustme.CA()
    leaf = ca.issue_cert("127.0.0.1", "localhost")
    folder = tmp_path_factory.mktemp("tls")
    ca_file = folder / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    leaf.configure_cert(context)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{server.server_address[1]}/", str(ca_file)
    server.shutdown()
    server.server_close()
    thread.join()


def test_extra_ca_verifies_even_with_requests_ca_bundle_set(https_server, monkeypatch):
    url, ca_file = https_server
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", requests.certs.where())
    monkeypatch.setenv("CURL_CA_BUNDLE", requests.certs.where())
    with net.make_session(ca_file) as session:
        assert session.get(url).text == "ok"


def test_without_the_extra_ca_the_certificate_is_rejected(https_server, monkeypatch):
    url, _ = https_server
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", requests.certs.where())
    with net.make_session() as session, pytest.raises(requests.exceptions.SSLError):
        session.get(url)
    monkeypatch.delenv("REQUESTS_CA_BUNDLE")
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    with net.make_session() as session, pytest.raises(requests.exceptions.SSLError):
        session.get(url)


def test_combined_bundle_holds_environment_roots_and_extra_ca(tmp_path):
    env_bundle = tmp_path / "corp.pem"
    env_bundle.write_bytes(b"CORPORATE ROOT\n")
    extra = tmp_path / "extra.pem"
    extra.write_bytes(b"EMULATOR ROOT\n")
    path = net.combined_bundle(str(extra), environ={"REQUESTS_CA_BUNDLE": str(env_bundle)})
    content = Path(path).read_bytes()
    assert b"CORPORATE ROOT" in content
    assert b"EMULATOR ROOT" in content
    assert net.combined_bundle(str(extra), environ={"REQUESTS_CA_BUNDLE": str(env_bundle)}) == path
    certifi_based = net.combined_bundle(str(extra), environ={})
    assert certifi_based != path
    assert b"EMULATOR ROOT" in Path(certifi_based).read_bytes()


def test_verify_cannot_be_turned_off():
    with net.make_session() as session, pytest.raises(ValueError, match="cannot be turned off"):
        session.merge_environment_settings("https://graph.example/", {}, False, False, None)


def test_loopback_skips_proxies_others_keep_them(monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    with net.make_session() as session:
        far = session.merge_environment_settings("https://graph.example/", {}, None, None, None)
        near = session.merge_environment_settings("https://127.0.0.1:9/", {}, None, None, None)
        named = session.merge_environment_settings("https://localhost:9/", {}, None, None, None)
    assert far["proxies"].get("https") == "http://proxy.example:3128"
    assert near["proxies"] == {}
    assert named["proxies"] == {}


def test_default_timeout_unless_caller_chose(monkeypatch):
    seen = []

    def send(self, request, **kwargs):
        seen.append(kwargs.get("timeout"))
        raise requests.ConnectionError("stop here")

    monkeypatch.setattr(HTTPAdapter, "send", send)
    with net.make_session() as session:
        for timeout in (None, 3):
            with pytest.raises(requests.ConnectionError):
                session.get("https://graph.example/", timeout=timeout)
    assert seen == [net.DEFAULT_TIMEOUT, 3]


def test_user_agent_names_the_app():
    with net.make_session() as session:
        assert session.headers["User-Agent"].startswith("ztna-desktop/")
