"""``ztna-desktop emulator`` as a separate process: one JSON line, serves, exits 0 on SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tomllib

import pytest

from tests.unit.emulator.conftest import trusting_session

pytestmark = pytest.mark.emulator


def test_emulator_subcommand(tmp_path):
    config = tmp_path / "emu.toml"
    env = {k: v for k, v in os.environ.items() if k not in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")}
    proc = subprocess.Popen(
        [sys.executable, "-m", "ztna_desktop", "emulator", "--port", "0", "--guests", "50",
         "--write-config", str(config)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    try:
        line = proc.stdout.readline()
        info = json.loads(line)
        assert set(info) == {
            "authority", "graph", "ca_file", "tenant_id", "tenant_domain", "public_client_id",
            "app_client_id", "app_client_secret", "personas", "ztna_gateway_app_id", "seed",
        }  # fmt: skip
        with trusting_session(info["ca_file"]) as http:
            response = http.get(f"{info['authority']}/v2.0/.well-known/openid-configuration")
        assert response.status_code == 200
        assert response.json()["token_endpoint"].startswith(info["authority"])
        written = tomllib.loads(config.read_text())
        assert written["entra"]["tenant_id"] == info["tenant_id"]
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=15)
        assert proc.returncode == 0, err
        assert not os.path.exists(info["ca_file"])  # the run's temp dir is cleaned up
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
