"""The whole sign-in + Graph flow at DEBUG leaves no token or secret in the log."""

from __future__ import annotations

import logging
import threading
import uuid
import webbrowser

import msal
import pytest

from tests.fakes import FakeBrowser, emulator_config
from ztna_desktop.auth.client import AuthClient
from ztna_desktop.auth.scopes import qualified
from ztna_desktop.core.errors import NotFound
from ztna_desktop.graph.transport import GraphClient
from ztna_desktop.graph.users import get_me, get_organization, list_users

pytestmark = pytest.mark.emulator


def test_debug_logs_hold_no_tokens_or_secrets(emulator, emulator_info, monkeypatch, caplog):
    caplog.set_level(logging.DEBUG)
    for name in ("msal", "urllib3", "requests", "ztna_desktop", "msal_extensions"):
        caplog.set_level(logging.DEBUG, logger=name)
    config = emulator_config(emulator_info)
    cache = msal.SerializableTokenCache()
    auth = AuthClient(config, cache)
    browser = FakeBrowser(emulator_info["ca_file"])
    monkeypatch.setattr(webbrowser, "open", browser)
    secrets = {emulator_info["app_client_secret"]}

    def remember_tokens():
        kinds = msal.TokenCache.CredentialType
        for kind in (kinds.ACCESS_TOKEN, kinds.REFRESH_TOKEN):
            secrets.update(item["secret"] for item in cache.search(kind))

    try:
        auth.sign_in_interactive(timeout=30)
        browser.wait()
        remember_tokens()
        flow = auth.start_device_flow()  # a second sign-in path, approved elsewhere
        approver = threading.Thread(target=emulator.approve_device_code, args=(flow.user_code,))
        approver.start()
        auth.finish_device_flow(flow)
        approver.join()
        remember_tokens()
        secrets.add(auth.access_token(qualified(config), force_refresh=True))
        remember_tokens()
        with GraphClient(
            config.resolved_graph_url(), auth, qualified(config), extra_ca=config.ca_file
        ) as graph:
            get_me(graph)
            get_organization(graph)
            list_users(graph)
            with pytest.raises(NotFound):  # an error path logs too
                graph.get(f"/users/{uuid.uuid4()}")
        auth.sign_out()
    finally:
        auth.close()

    text = caplog.text
    assert len(secrets) >= 5  # three ATs, refresh tokens, the app secret: all checked
    assert text  # and there is a log to check
    for secret in secrets:
        assert secret not in text
    assert "Bearer " not in text
    assert "Authorization:" not in text
