"""Shared fakes: a system browser for MSAL's interactive sign-in, a token provider."""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin

import requests
from requests.structures import CaseInsensitiveDict

from ztna_desktop.auth.client import AuthClient
from ztna_desktop.config import Config


def emulator_config(info: dict, **overrides: str) -> Config:
    """A Config pointing the app at a running emulator (from ``Emulator.info``)."""
    values = {
        "tenant_id": str(info["tenant_id"]),
        "client_id": str(info["public_client_id"]),
        "authority_host": str(info["authority"]).rsplit("/", 1)[0],
        "graph_url": str(info["graph"]),
        "ca_file": str(info["ca_file"]),
        **overrides,
    }
    return Config(**values)


def sign_in(emulator, auth: AuthClient, persona: str = "admin", scopes=None) -> AuthClient:
    """Sign ``auth`` in quickly: a device code the emulator approves before the first poll."""
    flow = auth.start_device_flow(scopes)
    emulator.approve_device_code(flow.user_code, persona)
    auth.finish_device_flow(flow)
    return auth


@dataclass
class Form:
    """One HTML form: where it posts, its hidden fields and its submit buttons."""

    action: str
    method: str
    hidden: dict[str, str] = field(default_factory=dict)
    buttons: list[tuple[str, str]] = field(default_factory=list)  # (name, value)


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self._in_form = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(Form(a.get("action", ""), a.get("method", "get").lower()))
            self._in_form = True
        elif self._in_form and tag == "input":
            kind = a.get("type", "text").lower()
            if kind == "hidden" and a.get("name"):
                self.forms[-1].hidden[a["name"]] = a.get("value", "")
            elif kind == "submit" and a.get("name"):
                self.forms[-1].buttons.append((a["name"], a.get("value", "")))
        elif (
            self._in_form
            and tag == "button"
            and a.get("name")
            and a.get("type", "submit").lower() == "submit"
        ):
            self.forms[-1].buttons.append((a["name"], a.get("value", "")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._in_form = False


def parse_single_form(html: str, base_url: str) -> Form:
    """The page's one form, its action made absolute; AssertionError if not exactly one."""
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    assert len(parser.forms) == 1, f"expected one form, found {len(parser.forms)}: {html[:300]}"
    form = parser.forms[0]
    form.action = urljoin(base_url, form.action) if form.action else base_url
    return form


class FakeBrowser:
    """Stands in for ``webbrowser.open`` during MSAL's interactive sign-in.

    MSAL calls ``open(auth_uri)`` from the thread that then serves its loopback
    redirect, so the browsing happens in another thread: GET the authorize URL,
    submit the account picker choosing ``persona``, then POST the form_post
    page's hidden fields (code, state) to its action, the loopback redirect.
    Anything that goes wrong is kept in ``error`` (not raised in the thread);
    ``wait()`` re-raises it in the test.

    Use: ``monkeypatch.setattr(webbrowser, "open", FakeBrowser(info["ca_file"]))``.
    """

    def __init__(self, ca_file: str, persona: str = "admin", *, timeout: float = 10.0) -> None:
        self.ca_file = ca_file
        self.persona = persona
        self.timeout = timeout
        self.opened: list[str] = []
        self.pages: list[str] = []
        self.error: BaseException | None = None
        self.done = threading.Event()

    def __call__(self, url: str, new: int = 0, autoraise: bool = True) -> bool:
        self.opened.append(url)
        self.done.clear()
        threading.Thread(target=self._run, args=(url,), daemon=True).start()
        return True

    def wait(self, timeout: float = 10.0) -> None:
        """Wait for the browsing thread; re-raise its failure."""
        assert self.done.wait(timeout), "the fake browser did not finish"
        if self.error is not None:
            raise self.error

    def _run(self, url: str) -> None:
        try:
            self._follow(url)
        except BaseException as exc:  # noqa: BLE001 - handed to the test through wait()
            self.error = exc
        finally:
            self.done.set()

    def _follow(self, url: str) -> None:
        with requests.Session() as session:
            session.trust_env = False  # no proxies, no REQUESTS_CA_BUNDLE override
            session.verify = self.ca_file
            resp = session.get(url, timeout=self.timeout)
            for _ in range(5):
                self.pages.append(resp.text)
                form = parse_single_form(resp.text, resp.url)
                data = dict(form.hidden)
                if form.buttons:
                    choice = [b for b in form.buttons if b[1] == self.persona]
                    assert choice, f"no button for persona {self.persona!r}: {form.buttons}"
                    data[choice[0][0]] = choice[0][1]
                resp = session.post(form.action, data=data, timeout=self.timeout)
                if not form.action.startswith("https://"):
                    self.pages.append(resp.text)  # the loopback's "you can close" page
                    return
            raise AssertionError("the sign-in never redirected to the app")


class FakeTokenProvider:
    """A TokenProvider handing out ``token-1``; ``force_refresh`` moves to ``token-2`` ..."""

    def __init__(self, token: str = "token-1", error: Exception | None = None) -> None:
        self.token = token
        self.error = error
        self.calls: list[tuple[str, ...]] = []
        self.refreshes = 0

    def access_token(self, scopes: Sequence[str], *, force_refresh: bool = False) -> str:
        self.calls.append(tuple(scopes))
        if self.error is not None:
            raise self.error
        if force_refresh:
            self.refreshes += 1
            self.token = f"token-{self.refreshes + 1}"
        return self.token


def response(
    status: int = 200, body: object = None, headers: dict | None = None, raw: bytes | None = None
) -> requests.Response:
    """A finished requests.Response with a JSON (or ``raw``) body."""
    resp = requests.Response()
    resp.status_code = status
    resp.reason = {200: "OK", 404: "Not Found", 429: "Too Many Requests"}.get(status, "")
    resp._content = raw if raw is not None else json.dumps(body or {}).encode()
    resp.headers = CaseInsensitiveDict(headers or {})
    resp._content_consumed = True  # as after a non-streamed read
    return resp


class FakeSession:
    """A requests.Session stand-in: answers queued responses or raises queued exceptions."""

    def __init__(self, *answers: requests.Response | BaseException) -> None:
        self.answers = list(answers)
        self.sent: list[dict] = []
        self.closed = False

    def request(self, method, url, params=None, headers=None, json=None, timeout=None):
        self.sent.append({"method": method, "url": url, "params": params, "headers": headers})
        answer = self.answers.pop(0)
        if isinstance(answer, BaseException):
            raise answer
        return answer

    def close(self) -> None:
        self.closed = True
