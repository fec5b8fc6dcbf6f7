"""Start/stop: quick, joins every thread, closes every socket, even with idle keep-alives."""

from __future__ import annotations

import gc
import threading
import time

import pytest
import requests

from tests.unit.emulator.conftest import trusting_session
from ztna_desktop.emulator import Emulator, EmulatorOptions

pytestmark = pytest.mark.emulator


def test_stop_with_an_idle_keep_alive_connection_is_prompt_and_clean():
    before = set(threading.enumerate())
    emu = Emulator(EmulatorOptions(guests=3)).start()
    session = trusting_session(emu.info["ca_file"])
    try:
        url = f"{emu.info['authority']}/v2.0/.well-known/openid-configuration"
        assert session.get(url).status_code == 200  # the connection stays open (keep-alive)
        start = time.monotonic()
        emu.stop()
        assert time.monotonic() - start < 2
        assert set(threading.enumerate()) - before == set()
        with pytest.raises(requests.ConnectionError):
            session.get(url, timeout=5)
    finally:
        session.close()
        emu.stop()  # idempotent
    gc.collect()  # with filterwarnings=error an unclosed socket would fail here


def test_context_manager_and_a_second_emulator_side_by_side():
    with (
        Emulator(EmulatorOptions(guests=2, seed=3)) as one,
        Emulator(EmulatorOptions(guests=2, seed=3)) as two,
    ):
        assert one.info["graph"] != two.info["graph"]
        assert one.info["tenant_id"] == two.info["tenant_id"]  # same seed, same tenant
    with trusting_session(one.info["ca_file"]) as session, pytest.raises(requests.ConnectionError):
        session.get(f"{one.info['graph']}/me", timeout=5)  # stopped: nobody listens


def test_info_before_start_is_an_error():
    with pytest.raises(RuntimeError):
        _ = Emulator().info


def test_info_is_json_and_names_everything(emulator):
    import json

    info = json.loads(json.dumps(emulator.info))
    assert info["authority"] == f"{info['graph'].removesuffix('/v1.0')}/{info['tenant_id']}"
    assert info["personas"]["admin"] == "admin@contoso.onmicrosoft.com"
