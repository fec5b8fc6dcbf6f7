"""Real, unmodified MSAL signs in to the emulator by device flow (the auth tests go further)."""

from __future__ import annotations

import threading

import msal
import pytest

pytestmark = pytest.mark.emulator


def test_msal_device_flow(emulator, emulator_info, monkeypatch, graph):
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    app = msal.PublicClientApplication(
        emulator_info["public_client_id"],
        authority=emulator_info["authority"],
        verify=emulator_info["ca_file"],
        instance_discovery=False,
    )
    scope = f"{emulator_info['graph'].removesuffix('/v1.0')}/User.Read.All"
    flow = app.initiate_device_flow(scopes=[scope])
    assert "user_code" in flow, flow
    approved = threading.Event()

    def approve_after_first_poll():
        # approve once MSAL has been told authorization_pending at least once
        while not any(r.status == 400 and r.path.endswith("/token") for r in emulator.requests):
            if approved.wait(0.05):
                return
        emulator.approve_device_code(flow["user_code"], "admin")

    approver = threading.Thread(target=approve_after_first_poll)
    approver.start()
    try:
        result = app.acquire_token_by_device_flow(flow, exit_condition=lambda f: False)
    finally:
        approved.set()
        approver.join()
    assert "access_token" in result, result
    assert result["id_token_claims"]["preferred_username"] == emulator_info["personas"]["admin"]
    [account] = app.get_accounts()
    assert account["username"] == emulator_info["personas"]["admin"]
    silent = app.acquire_token_silent([scope], account=account)
    assert silent["token_source"] == "cache"
    me = graph.get("/me", headers={"Authorization": f"Bearer {silent['access_token']}"})
    assert me.json()["userPrincipalName"] == emulator_info["personas"]["admin"]
