"""Entra sign-in endpoints over HTTPS: discovery, authorize pages, token grants, device code."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html import unescape
from urllib.parse import urlencode

import jwt
import pytest

pytestmark = pytest.mark.emulator
REDIRECT = "http://localhost:8400"
VERIFIER = "v" * 50
CHALLENGE = base64.urlsafe_b64encode(hashlib.sha256(VERIFIER.encode()).digest()).rstrip(b"=")


def single_form(page: str) -> tuple[str, dict[str, str], list[str]]:
    """Parse the one form on a page: action, hidden inputs, submit-button values."""
    forms = re.findall(r"<form .*?</form>", page, re.S)
    assert len(forms) == 1, page
    action = unescape(re.search(r'action="([^"]*)"', forms[0]).group(1))
    hidden = {
        unescape(n): unescape(v)
        for n, v in re.findall(r'type="hidden" name="([^"]*)" value="([^"]*)"', forms[0])
    }
    buttons = re.findall(r'<button type="submit" name="persona" value="([^"]*)"', forms[0])
    return action, hidden, buttons


def graph_origin(info):
    return info["graph"].removesuffix("/v1.0")


def authorize_url(info, **extra):
    params = {
        "client_id": info["public_client_id"],
        "response_type": "code",
        "redirect_uri": REDIRECT,
        "scope": f"{graph_origin(info)}/User.Read.All openid profile offline_access",
        "state": "st8",
        "nonce": "n0nce",
        "code_challenge": CHALLENGE.decode(),
        "code_challenge_method": "S256",
        "response_mode": "form_post",
        **extra,
    }
    return f"{info['authority']}/oauth2/v2.0/authorize?{urlencode(params)}"


def entra_error(response):
    body = response.json()
    assert set(body) >= {"error", "error_description", "error_codes", "timestamp", "trace_id"}
    return response.status_code, body["error"], body["error_codes"][0]


def redeem(http, info, code, verifier=VERIFIER, **extra):
    data = {
        "client_id": info["public_client_id"],
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT,
        "code_verifier": verifier,
        "client_info": "1",
        **extra,
    }
    return http.post(f"{info['authority']}/oauth2/v2.0/token", data=data)


def sign_in(http, info, persona="admin"):
    action, hidden, buttons = single_form(http.get(authorize_url(info)).text)
    assert persona in buttons
    answer = http.post(action, data={**hidden, "persona": persona})
    redirect, fields, _ = single_form(answer.text)
    assert redirect == REDIRECT
    return fields


@pytest.mark.parametrize("which", ["tenant_id", "tenant_domain", "organizations"])
def test_discovery(http, emulator_info, which):
    tenant = emulator_info[which] if which != "organizations" else which
    origin = emulator_info["authority"].rsplit("/", 1)[0]
    response = http.get(f"{origin}/{tenant}/v2.0/.well-known/openid-configuration")
    body = response.json()
    assert body["token_endpoint"] == f"{origin}/{tenant}/oauth2/v2.0/token"
    assert body["authorization_endpoint"] == f"{origin}/{tenant}/oauth2/v2.0/authorize"
    assert body["device_authorization_endpoint"] == f"{origin}/{tenant}/oauth2/v2.0/devicecode"
    assert body["issuer"].endswith("/v2.0")


def test_unknown_tenant_is_aadsts90002(http, emulator_info):
    origin = emulator_info["authority"].rsplit("/", 1)[0]
    response = http.get(f"{origin}/fabrikam.com/v2.0/.well-known/openid-configuration")
    assert entra_error(response) == (400, "invalid_tenant", 90002)
    assert "Tenant 'fabrikam.com' not found" in response.json()["error_description"]


def test_authorize_with_unknown_client_shows_an_error_and_no_redirect(http, emulator_info):
    response = http.get(authorize_url(emulator_info, client_id="1234"))
    assert response.status_code == 400
    assert "AADSTS700016" in response.text
    assert REDIRECT not in response.text
    assert "<form" not in response.text


def test_authorize_refuses_a_non_loopback_redirect(http, emulator_info):
    response = http.get(authorize_url(emulator_info, redirect_uri="https://evil.example/cb"))
    assert response.status_code == 400
    assert "AADSTS50011" in response.text


def test_picker_then_form_post_then_tokens(http, emulator_info):
    page = http.get(authorize_url(emulator_info)).text
    assert "Pick an account" in page
    _, hidden, buttons = single_form(page)
    assert buttons == ["admin", "owner", "helpdesk"]
    assert hidden["nonce"] == "n0nce"
    fields = sign_in(http, emulator_info, "owner")
    assert fields["state"] == "st8"
    tokens = redeem(http, emulator_info, fields["code"]).json()
    assert tokens["token_type"] == "Bearer"
    assert {"access_token", "refresh_token", "id_token", "client_info", "expires_in"} <= set(tokens)
    claims = jwt.decode(tokens["id_token"], options={"verify_signature": False})
    assert claims["nonce"] == "n0nce"
    assert claims["preferred_username"] == emulator_info["personas"]["owner"]
    assert claims["tid"] == emulator_info["tenant_id"]
    info = json.loads(base64.urlsafe_b64decode(tokens["client_info"] + "=="))
    assert info == {"uid": claims["oid"], "utid": emulator_info["tenant_id"]}
    assert tokens["scope"].split()[0].endswith("/User.Read.All")  # echoed as requested
    access = jwt.decode(tokens["access_token"], options={"verify_signature": False})
    assert "User.Read.All" in access["scp"].split()
    assert access["aud"] == emulator_info["graph"].removesuffix("/v1.0")


def test_login_hint_signs_the_persona_in_straight_away(http, emulator_info):
    url = authorize_url(emulator_info, login_hint=emulator_info["personas"]["helpdesk"])
    action, fields, _ = single_form(http.get(url).text)
    assert action == REDIRECT
    tokens = redeem(http, emulator_info, fields["code"]).json()
    claims = jwt.decode(tokens["id_token"], options={"verify_signature": False})
    assert claims["preferred_username"] == emulator_info["personas"]["helpdesk"]


def test_code_is_single_use(http, emulator_info):
    code = sign_in(http, emulator_info)["code"]
    assert redeem(http, emulator_info, code).status_code == 200
    assert entra_error(redeem(http, emulator_info, code))[:2] == (400, "invalid_grant")


def test_pkce_mismatch_is_invalid_grant(http, emulator_info):
    code = sign_in(http, emulator_info)["code"]
    assert entra_error(redeem(http, emulator_info, code, verifier="w" * 50)) == (
        400,
        "invalid_grant",
        501481,
    )


def test_redirect_mismatch_is_invalid_grant(http, emulator_info):
    code = sign_in(http, emulator_info)["code"]
    response = redeem(http, emulator_info, code, redirect_uri="http://localhost:9999")
    assert entra_error(response)[:2] == (400, "invalid_grant")


def test_refresh_token_grant(http, emulator_info):
    tokens = redeem(http, emulator_info, sign_in(http, emulator_info)["code"]).json()
    token_url = f"{emulator_info['authority']}/oauth2/v2.0/token"
    data = {"client_id": emulator_info["public_client_id"], "grant_type": "refresh_token"}
    fresh = http.post(token_url, data={**data, "refresh_token": tokens["refresh_token"]})
    assert fresh.status_code == 200
    assert fresh.json()["access_token"] != tokens["access_token"]
    bad = http.post(token_url, data={**data, "refresh_token": "nope"})
    assert entra_error(bad)[:2] == (400, "invalid_grant")


def test_unknown_client_at_token_endpoint(http, emulator_info):
    data = {"client_id": "nobody", "grant_type": "authorization_code", "code": "x"}
    response = http.post(f"{emulator_info['authority']}/oauth2/v2.0/token", data=data)
    assert entra_error(response) == (400, "invalid_client", 700016)


def test_unknown_scope_and_foreign_resource(http, emulator_info):
    url = f"{emulator_info['authority']}/oauth2/v2.0/devicecode"
    client = {"client_id": emulator_info["public_client_id"]}
    bad_name = http.post(url, data={**client, "scope": "Shoes.Read.All"})
    assert entra_error(bad_name)[:2] == (400, "invalid_scope")
    foreign = http.post(url, data={**client, "scope": "https://vault.azure.net/user_impersonation"})
    assert entra_error(foreign) == (400, "invalid_resource", 500011)


def test_device_flow_pending_then_approved(http, emulator, emulator_info):
    token_url = f"{emulator_info['authority']}/oauth2/v2.0/token"
    flow = http.post(
        f"{emulator_info['authority']}/oauth2/v2.0/devicecode",
        data={"client_id": emulator_info["public_client_id"], "scope": "User.Read openid"},
    ).json()
    assert flow["interval"] == 1
    assert flow["verification_uri"].endswith("/devicelogin")
    assert flow["user_code"] in flow["message"]
    poll = {
        "client_id": emulator_info["public_client_id"],
        "grant_type": "urn:ietf:params:oauth:grant-type:device_code",
        "device_code": flow["device_code"],
    }
    assert entra_error(http.post(token_url, data=poll))[:2] == (400, "authorization_pending")
    emulator.approve_device_code(flow["user_code"], "helpdesk")
    tokens = http.post(token_url, data=poll).json()
    claims = jwt.decode(tokens["id_token"], options={"verify_signature": False})
    assert claims["preferred_username"] == emulator_info["personas"]["helpdesk"]
    assert entra_error(http.post(token_url, data=poll))[:2] == (400, "invalid_grant")


def test_device_flow_declined_and_unknown_code(http, emulator, emulator_info):
    flow = http.post(
        f"{emulator_info['authority']}/oauth2/v2.0/devicecode",
        data={"client_id": emulator_info["public_client_id"], "scope": "User.Read"},
    ).json()
    emulator.decline_device_code(flow["user_code"])
    poll = {
        "client_id": emulator_info["public_client_id"],
        "grant_type": "urn:ietf:params:oauth:grant-type:device_code",
        "device_code": flow["device_code"],
    }
    response = http.post(f"{emulator_info['authority']}/oauth2/v2.0/token", data=poll)
    assert entra_error(response)[:2] == (400, "authorization_declined")
    with pytest.raises(KeyError):
        emulator.approve_device_code("NOSUCHCODE")


def test_device_login_page_approves_in_a_browser(http, emulator_info):
    flow = http.post(
        f"{emulator_info['authority']}/oauth2/v2.0/devicecode",
        data={"client_id": emulator_info["public_client_id"], "scope": "User.Read"},
    ).json()
    page = http.get(flow["verification_uri"]).text
    assert 'name="user_code"' in page
    done = http.post(
        flow["verification_uri"], data={"user_code": flow["user_code"], "persona": "owner"}
    )
    assert "You have signed in" in done.text
    poll = {
        "client_id": emulator_info["public_client_id"],
        "grant_type": "urn:ietf:params:oauth:grant-type:device_code",
        "device_code": flow["device_code"],
    }
    assert (
        http.post(f"{emulator_info['authority']}/oauth2/v2.0/token", data=poll).status_code == 200
    )


def test_auto_approved_device_codes(emulator_factory):
    from tests.unit.emulator.conftest import trusting_session

    emu = emulator_factory(guests=3, auto_approve_device_codes="owner")
    info = emu.info
    with trusting_session(info["ca_file"]) as http:
        flow = http.post(
            f"{info['authority']}/oauth2/v2.0/devicecode",
            data={"client_id": info["public_client_id"], "scope": "User.Read"},
        ).json()
        poll = {
            "client_id": info["public_client_id"],
            "grant_type": "urn:ietf:params:oauth:grant-type:device_code",
            "device_code": flow["device_code"],
        }
        response = http.post(f"{info['authority']}/oauth2/v2.0/token", data=poll)
    assert response.status_code == 200


def test_client_credentials(http, emulator_info, graph):
    token_url = f"{emulator_info['authority']}/oauth2/v2.0/token"
    data = {
        "client_id": emulator_info["app_client_id"],
        "client_secret": emulator_info["app_client_secret"],
        "grant_type": "client_credentials",
        "scope": f"{emulator_info['graph'].removesuffix('/v1.0')}/.default",
    }
    tokens = http.post(token_url, data=data).json()
    assert "refresh_token" not in tokens
    claims = jwt.decode(tokens["access_token"], options={"verify_signature": False})
    assert "User.Read.All" in claims["roles"]
    users = graph.get(
        "/users", {"$top": "1"}, headers={"Authorization": f"Bearer {tokens['access_token']}"}
    )
    assert users.status_code == 200
    wrong = http.post(token_url, data={**data, "client_secret": "guess"})
    assert entra_error(wrong) == (401, "invalid_client", 7000215)


def test_prompt_none_without_a_user_is_login_required(http, emulator_info):
    action, fields, _ = single_form(http.get(authorize_url(emulator_info, prompt="none")).text)
    assert action == REDIRECT
    assert fields["error"] == "login_required"
    assert fields["state"] == "st8"


def test_query_response_mode_redirects(http, emulator_info):
    url = authorize_url(
        emulator_info, response_mode="query", login_hint=emulator_info["personas"]["admin"]
    )
    response = http.get(url, allow_redirects=False)
    assert response.status_code == 302
    assert response.headers["Location"].startswith(f"{REDIRECT}?code=")
