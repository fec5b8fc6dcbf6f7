"""GraphClient and users against the emulator over real HTTPS with a real MSAL token."""

from __future__ import annotations

import math
import threading

import msal
import pytest
import requests

from tests.fakes import emulator_config, sign_in
from ztna_desktop.auth.client import AuthClient
from ztna_desktop.auth.scopes import qualified
from ztna_desktop.core.errors import AccessDenied, BadResponse, Cancelled, NetworkError
from ztna_desktop.graph.transport import GraphClient
from ztna_desktop.graph.users import get_me, get_organization, list_users

pytestmark = pytest.mark.emulator


def connect(emu, persona="admin", scopes=None, **graph_options):
    """A signed-in AuthClient and a GraphClient on the emulator (caller closes both)."""
    config = emulator_config(emu.info)
    auth = sign_in(emu, AuthClient(config, msal.SerializableTokenCache()), persona, scopes)
    graph = GraphClient(
        config.resolved_graph_url(),
        auth,
        qualified(config, scopes or ("User.Read", "User.Read.All")),
        extra_ca=config.ca_file,
        **graph_options,
    )
    return auth, graph


@pytest.fixture
def clients(emulator):
    auth, graph = connect(emulator)
    yield auth, graph
    graph.close()
    auth.close()


def users_requests(emu):
    return [r for r in emu.requests if r.path.rstrip("/").endswith("/v1.0/users")]


def test_me_and_organization(clients, emulator_info):
    _, graph = clients
    me = get_me(graph)
    assert me.user_principal_name == emulator_info["personas"]["admin"]
    org = get_organization(graph)
    assert org.id == emulator_info["tenant_id"]
    assert org.initial_domain == emulator_info["tenant_domain"]


def test_2500_guests_take_exactly_three_list_requests(emulator_factory):
    emu = emulator_factory(guests=2500)
    auth, graph = connect(emu)
    try:
        emu.reset_requests()
        progress = []
        guests = list_users(graph, progress=lambda d, t, s: progress.append((d, t)))
    finally:
        graph.close()
        auth.close()
    assert len(guests) == 2500
    assert all(g.is_guest for g in guests)
    assert len({g.id for g in guests}) == 2500
    assert len(users_requests(emu)) == math.ceil(2500 / 999) == 3
    assert graph.request_count == 3
    assert progress[-1] == (2500, 2500)
    assert all(g.created is None or g.created.tzinfo is not None for g in guests)


def test_cancel_mid_list(emulator_factory):
    emu = emulator_factory(guests=2500)
    cancel = threading.Event()
    auth, graph = connect(emu, cancel=cancel)
    try:
        emu.reset_requests()
        with pytest.raises(Cancelled):
            list_users(graph, progress=lambda d, t, s: cancel.set() if d else None)
    finally:
        graph.close()
        auth.close()
    assert len(users_requests(emu)) == 1


def test_missing_scope_is_access_denied_with_request_id(emulator):
    auth, graph = connect(emulator, scopes=["User.Read"])
    try:
        assert get_me(graph).id  # User.Read is enough for /me
        with pytest.raises(AccessDenied) as info:
            list_users(graph)
    finally:
        graph.close()
        auth.close()
    assert info.value.status == 403
    assert info.value.code == "Authorization_RequestDenied"
    assert info.value.request_id


def test_helpdesk_may_not_write(emulator):
    auth, graph = connect(emulator, persona="helpdesk")
    try:
        target = list_users(graph)[0]
        with pytest.raises(AccessDenied) as info:
            graph.request("PATCH", f"/users/{target.id}", json_body={"accountEnabled": False})
    finally:
        graph.close()
        auth.close()
    assert info.value.status == 403


def test_garbage_json_is_bad_response(emulator_factory):
    emu = emulator_factory()
    auth, graph = connect(emu)
    try:
        emu.faults.garbage_rate = 1.0
        with pytest.raises(BadResponse) as info:
            get_me(graph)
    finally:
        graph.close()
        auth.close()
    assert info.value.status == 200


@pytest.mark.parametrize("fault", ["throttle_rate", "fault_rate"])
def test_throttling_and_outages_are_retried(emulator_factory, fault):
    emu = emulator_factory(retry_after=0.05)
    slept: list[float] = []

    def sleep(seconds):  # the emulator recovers after two failures
        slept.append(seconds)
        if len(slept) == 2:
            setattr(emu.faults, fault, 0.0)

    auth, graph = connect(emu, sleep=sleep)
    try:
        emu.reset_requests()
        setattr(emu.faults, fault, 1.0)
        me = get_me(graph)
    finally:
        graph.close()
        auth.close()
    assert me.id
    statuses = [r.status for r in emu.requests if r.path.endswith("/me")]
    assert statuses[-1] == 200
    assert len(statuses) == 3
    assert all(s in (429, 503, 504) for s in statuses[:2])
    if fault == "throttle_rate":
        assert slept == [pytest.approx(0.05), pytest.approx(0.05)]  # Retry-After honoured


def test_dropped_connections_are_retried(emulator_factory):
    emu = emulator_factory()
    slept: list[float] = []

    def sleep(seconds):
        slept.append(seconds)
        if len(slept) == 2:
            emu.faults.drop_rate = 0.0

    auth, graph = connect(emu, sleep=sleep)
    try:
        emu.faults.drop_rate = 1.0
        assert get_me(graph).id
    finally:
        graph.close()
        auth.close()
    assert len(slept) == 2
    assert graph.request_count == 3


def test_stopped_emulator_is_network_error(emulator_factory):
    emu = emulator_factory()
    auth, graph = connect(emu)
    try:
        get_me(graph)
        emu.stop()
        with pytest.raises(NetworkError):
            get_me(graph)
    finally:
        graph.close()
        auth.close()


def test_requests_ca_bundle_does_not_break_the_emulator_ca(clients, emulator_info, monkeypatch):
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", requests.certs.where())
    monkeypatch.setenv("CURL_CA_BUNDLE", requests.certs.where())
    auth, _ = clients
    config = emulator_config(emulator_info)
    scopes = qualified(config)
    with GraphClient(config.resolved_graph_url(), auth, scopes, extra_ca=config.ca_file) as graph:
        assert get_me(graph).id


def test_without_the_emulator_ca_tls_verification_fails(clients, emulator_info):
    auth, _ = clients
    config = emulator_config(emulator_info)
    graph = GraphClient(config.resolved_graph_url(), auth, qualified(config))
    with graph, pytest.raises(NetworkError, match="could not be verified"):
        get_me(graph)
