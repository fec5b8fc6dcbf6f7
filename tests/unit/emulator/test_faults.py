"""Fault injection on Graph: latency, 429, 503/504, dropped connections, garbage bodies."""

from __future__ import annotations

import time

import pytest
import requests

from ztna_desktop.emulator.faults import FaultInjector, retry_after_text
from ztna_desktop.emulator.options import FaultSettings

pytestmark = pytest.mark.emulator


def test_throttle_answers_429_with_retry_after_and_graph_envelope(graph, emulator):
    emulator.faults.throttle_rate = 1.0
    emulator.faults.retry_after = 2.128
    response = graph.get("/users", headers={"client-request-id": "c-1"})
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "2.128"
    error = response.json()["error"]
    assert error["code"] == "TooManyRequests"
    assert error["innerError"]["code"] == "429"
    assert error["innerError"]["client-request-id"] == "c-1"
    assert response.headers["request-id"] == error["innerError"]["request-id"]
    assert emulator.requests[-1].status == 429
    assert emulator.requests[-1].persona == "admin"


def test_faults_spare_the_sign_in_endpoints(http, emulator, emulator_info):
    emulator.faults.throttle_rate = 1.0
    url = f"{emulator_info['authority']}/v2.0/.well-known/openid-configuration"
    assert http.get(url).status_code == 200


def test_server_faults_are_503_or_504(graph, emulator):
    emulator.faults.fault_rate = 1.0
    statuses = {graph.get("/me").status_code for _ in range(12)}
    assert statuses <= {503, 504}
    assert statuses == {503, 504}  # 12 fair coin flips from a seeded generator


def test_dropped_connection_gets_no_answer(graph, emulator):
    emulator.faults.drop_rate = 1.0
    with pytest.raises(requests.ConnectionError):
        graph.get("/me")
    assert emulator.requests[-1].status == 0
    emulator.faults.drop_rate = 0.0
    assert graph.get("/me").status_code == 200  # the server is still fine


def test_garbage_body_is_not_json(graph, emulator):
    emulator.faults.garbage_rate = 1.0
    response = graph.get("/users")
    assert response.status_code == 200
    with pytest.raises(requests.JSONDecodeError):
        response.json()


def test_latency_is_added(graph, emulator):
    emulator.faults.latency_ms = 150
    start = time.monotonic()
    graph.get("/me")
    assert time.monotonic() - start >= 0.15


def test_fixture_resets_faults(emulator):
    assert emulator.faults == FaultSettings()
    assert emulator.requests == []


def test_rates_mix_in_proportion():
    settings = FaultSettings(throttle_rate=0.25, fault_rate=0.25)
    injector = FaultInjector(settings, seed=3)
    picks = [injector.decide() for _ in range(4000)]
    assert 800 < picks.count("throttle") < 1200
    assert 800 < picks.count("503") + picks.count("504") < 1200
    assert picks.count(None) > 1700
    assert "drop" not in picks
    assert "garbage" not in picks


def test_retry_after_text():
    assert retry_after_text(0.2) == "0.2"
    assert retry_after_text(2.0) == "2"
    assert retry_after_text(2.1284) == "2.128"
