"""POST /$batch: limits, ids, relative urls, headers with bodies, dependsOn/424, per-item 429."""

from __future__ import annotations

import pytest

from tests.unit.emulator.conftest import ADMIN_SCOPES

pytestmark = pytest.mark.emulator


def ok_batch(graph, requests_, **kw):
    response = graph.batch(requests_, scopes=kw.pop("scopes", ADMIN_SCOPES), **kw)
    assert response.status_code == 200, response.text
    return {r["id"]: r for r in response.json()["responses"]}


def outer_error(response):
    assert response.status_code == 400, response.text
    return response.json()["error"]["code"], response.json()["error"]["message"]


def test_batch_runs_each_request_and_matches_by_id(graph, emulator):
    ztna = emulator.info["seed"]["ztna_users_group_id"]
    answers = ok_batch(
        graph,
        [
            {"id": "1", "method": "GET", "url": "/users?$filter=userType eq 'Guest'&$top=3"},
            {"id": "2", "method": "GET", "url": f"/groups/{ztna}/members?$select=id"},
            {"id": "3", "method": "GET", "url": "users/$count",
             "headers": {"ConsistencyLevel": "eventual"}},
            {"id": "4", "method": "GET", "url": "/groups/not-a-group"},
        ],
    )  # fmt: skip
    assert answers["1"]["status"] == 200
    assert len(answers["1"]["body"]["value"]) == 3
    assert answers["1"]["headers"]["Content-Type"].startswith("application/json")
    assert answers["2"]["status"] == 200
    assert answers["2"]["body"]["value"]
    assert answers["3"]["status"] == 200
    assert int(answers["3"]["body"]) > 250
    assert answers["4"]["status"] == 404
    assert answers["4"]["body"]["error"]["code"] == "Request_ResourceNotFound"


def test_request_log_tells_sub_requests_from_http_requests(graph, emulator):
    ok_batch(graph, [{"id": str(i), "method": "GET", "url": "/me"} for i in range(3)])
    log = emulator.requests
    outer = [r for r in log if r.batch_id is None]
    inner = [r for r in log if r.batch_id is not None]
    assert [(r.method, r.path, r.status) for r in outer] == [("POST", "/v1.0/$batch", 200)]
    assert len(inner) == 3
    assert {r.path for r in inner} == {"/v1.0/me"}
    assert len({r.batch_id for r in inner}) == 1
    assert all(r.persona == "admin" for r in inner)


def test_more_than_20_is_a_400(graph):
    twenty = [{"id": str(i), "method": "GET", "url": "/me"} for i in range(20)]
    assert len(ok_batch(graph, twenty)) == 20
    code, _ = outer_error(graph.batch([*twenty, {"id": "20", "method": "GET", "url": "/me"}]))
    assert code == "BadRequest"


def test_ids_must_be_unique_case_insensitively(graph):
    code, _ = outer_error(
        graph.batch(
            [{"id": "a", "method": "GET", "url": "/me"}, {"id": "A", "method": "GET", "url": "/me"}]
        )
    )
    assert code == "BadRequest"


@pytest.mark.parametrize(
    "bad",
    [
        {"method": "GET", "url": "/me"},  # no id
        {"id": "1", "method": "GET", "url": "https://graph.microsoft.com/v1.0/me"},  # absolute
        {"id": "1", "method": "PATCH", "url": "/users/x", "body": {"jobTitle": "x"}},  # no headers
        {"id": "1", "method": "GET", "url": "/me", "dependsOn": ["9"]},  # unknown dependency
    ],
)
def test_malformed_requests_fail_the_whole_batch(graph, bad):
    code, message = outer_error(graph.batch([bad]))
    assert code == "BadRequest"
    assert message


def test_body_without_content_type_message(graph):
    _, message = outer_error(
        graph.batch([{"id": "7", "method": "PATCH", "url": "/users/x", "body": {"a": 1}}])
    )
    assert message == "Write request id : 7 does not contain Content-Type header or body."


def test_not_json_is_a_400(graph, http):
    response = http.post(
        f"{graph.base}/$batch",
        data=b"nope",
        headers={"Authorization": f"Bearer {graph.token()}", "Content-Type": "application/json"},
    )
    assert response.status_code == 400


def test_batch_needs_a_token(graph, http):
    response = http.post(f"{graph.base}/$batch", json={"requests": []})
    assert response.status_code == 401


def test_depends_on_failure_gives_424(graph, emulator):
    guest = emulator.info["seed"]["nested_only_guest_id"]
    answers = ok_batch(
        graph,
        [
            {"id": "1", "method": "GET", "url": "/groups/does-not-exist"},
            {"id": "2", "method": "GET", "url": "/me", "dependsOn": ["1"]},
            {"id": "3", "method": "GET", "url": "/me", "dependsOn": ["2"]},
            {"id": "4", "method": "GET", "url": f"/users/{guest}?$select=id"},
            {"id": "5", "method": "GET", "url": "/me", "dependsOn": ["4"]},
        ],
    )
    assert answers["1"]["status"] == 404
    assert answers["2"]["status"] == 424
    assert answers["3"]["status"] == 424
    assert answers["2"]["body"]["error"]["code"] == "FailedDependency"
    assert answers["4"]["status"] == 200
    assert answers["5"]["status"] == 200
    assert len([r for r in emulator.requests if r.batch_id]) == 3  # 424s never ran


def test_sub_requests_are_throttled_one_by_one(graph, emulator):
    emulator.faults.throttle_rate = 0.5
    emulator.faults.retry_after = 1.25
    answers: dict[str, dict] = {}
    for _ in range(10):  # the outer request may itself be throttled: retry it
        response = graph.batch(
            [{"id": str(i), "method": "GET", "url": "/me"} for i in range(20)], scopes=ADMIN_SCOPES
        )
        if response.status_code == 200:
            answers = {r["id"]: r for r in response.json()["responses"]}
            break
    statuses = {a["status"] for a in answers.values()}
    assert statuses == {200, 429}
    throttled = [a for a in answers.values() if a["status"] == 429]
    assert all(a["headers"]["Retry-After"] == "1.25" for a in throttled)
    assert all(a["body"]["error"]["code"] == "TooManyRequests" for a in throttled)


def test_sub_requests_check_permissions_on_their_own(graph):
    answers = ok_batch(
        graph,
        [
            {"id": "1", "method": "GET", "url": "/users?$top=1"},
            {"id": "2", "method": "GET", "url": "/groups"},
        ],
        scopes="User.Read.All",
    )
    assert answers["1"]["status"] == 200
    assert answers["2"]["status"] == 403
    assert answers["2"]["body"]["error"]["code"] == "Authorization_RequestDenied"


def test_advanced_headers_travel_in_sub_request_headers(graph, emulator):
    ztna = emulator.info["seed"]["ztna_users_group_id"]
    url = f"/groups/{ztna}/members/microsoft.graph.user?$count=true&$select=id"
    answers = ok_batch(
        graph,
        [
            {"id": "1", "method": "GET", "url": url},
            {"id": "2", "method": "GET", "url": url, "headers": {"ConsistencyLevel": "eventual"}},
        ],
    )
    assert answers["1"]["status"] == 400
    assert answers["2"]["status"] == 200
    assert "@odata.count" in answers["2"]["body"]


def test_helpdesk_may_batch_reads_but_not_writes(graph, emulator):
    guest = emulator.info["seed"]["nested_only_guest_id"]
    answers = ok_batch(
        graph,
        [
            {"id": "1", "method": "GET", "url": "/groups?$top=1"},
            {"id": "2", "method": "PATCH", "url": f"/users/{guest}",
             "headers": {"Content-Type": "application/json"}, "body": {"jobTitle": "x"}},
        ],
        persona="helpdesk",
    )  # fmt: skip
    assert answers["1"]["status"] == 200
    assert answers["2"]["status"] == 403
