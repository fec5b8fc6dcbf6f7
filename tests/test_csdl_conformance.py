"""Every object the emulator returns must fit Microsoft's Graph v1.0 schema (the CSDL).

For each entity type the emulator serves, fetch objects with ALL properties the emulator
knows selected, and check each property exists on the type (or a base type) with a
JSON value compatible with its Edm / complex / enum type. Skipped when the CSDL file is
absent, except in CI (CI=true), where that is a failure.
"""

from __future__ import annotations

import os
import re
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import requests

from ztna_desktop.emulator.graph_org import ORGANIZATION
from ztna_desktop.emulator.graph_policies import (
    AUTHORIZATION_POLICY,
    CROSS_TENANT_DEFAULT,
    CROSS_TENANT_PARTNERS,
)
from ztna_desktop.emulator.graph_reports import REGISTRATIONS
from ztna_desktop.emulator.graph_schemas import (
    APP_ROLE_ASSIGNMENTS,
    DIRECTORY_ROLES,
    GROUPS,
    SERVICE_PRINCIPALS,
)
from ztna_desktop.emulator.graph_users import USERS
from ztna_desktop.emulator.odata_schema import EntitySet

EDM = "{http://docs.oasis-open.org/odata/ns/edm}"
ALL_SCOPES = (
    "User.Read.All AuditLog.Read.All Organization.Read.All GroupMember.Read.All "
    "Application.Read.All UserAuthenticationMethod.Read.All Policy.Read.All "
    "CrossTenantInformation.ReadBasic.All"
)


def _select_all(eset: EntitySet) -> str:
    return ",".join(p.name for p in eset.props)


# (request path, its query, the emulator's schema for it, CSDL type, where the objects are)
CASES: list[tuple[str, dict[str, str], EntitySet, str, str | None]] = [
    ("/users", {"$select": _select_all(USERS), "$top": "999"}, USERS, "microsoft.graph.user",
     "value"),
    ("/me", {"$select": _select_all(USERS)}, USERS, "microsoft.graph.user", None),
    ("/organization", {"$select": _select_all(ORGANIZATION)}, ORGANIZATION,
     "microsoft.graph.organization", "value"),
    ("/groups", {"$select": _select_all(GROUPS), "$top": "999"}, GROUPS, "microsoft.graph.group",
     "value"),
    ("/servicePrincipals", {"$select": _select_all(SERVICE_PRINCIPALS)}, SERVICE_PRINCIPALS,
     "microsoft.graph.servicePrincipal", "value"),
    ("/servicePrincipals/{ztna_gateway_sp_id}/appRoleAssignedTo",
     {"$select": _select_all(APP_ROLE_ASSIGNMENTS)}, APP_ROLE_ASSIGNMENTS,
     "microsoft.graph.appRoleAssignment", "value"),
    ("/me/memberOf/microsoft.graph.directoryRole", {"$select": _select_all(DIRECTORY_ROLES)},
     DIRECTORY_ROLES, "microsoft.graph.directoryRole", "value"),
    ("/reports/authenticationMethods/userRegistrationDetails",
     {"$select": _select_all(REGISTRATIONS), "$top": "999"}, REGISTRATIONS,
     "microsoft.graph.userRegistrationDetails", "value"),
    ("/policies/authorizationPolicy", {}, AUTHORIZATION_POLICY,
     "microsoft.graph.authorizationPolicy", None),
    ("/policies/crossTenantAccessPolicy/default", {}, CROSS_TENANT_DEFAULT,
     "microsoft.graph.crossTenantAccessPolicyConfigurationDefault", None),
    ("/policies/crossTenantAccessPolicy/partners", {}, CROSS_TENANT_PARTNERS,
     "microsoft.graph.crossTenantAccessPolicyConfigurationPartner", "value"),
]  # fmt: skip
# tenantInformation (a complex type), from the lookup function.
TENANT_INFORMATION = (
    "/tenantRelationships/findTenantInformationByDomainName(domainName='fabrikam.com')"
)
# Mixed directoryObject collections: each item is checked against its own @odata.type.
MIXED = [
    "/groups/{ztna_users_group_id}/members",
    "/groups/{ztna_users_group_id}/transitiveMembers",
    "/groups/{ztna_users_group_id}/owners",
    "/me/memberOf",
    "/me/ownedObjects",
]


@dataclass
class TypeDef:
    kind: str  # EntityType | ComplexType | EnumType
    base: str | None = None
    props: dict[str, tuple[str, bool]] = field(default_factory=dict)  # name -> (type, nullable)
    members: set[str] = field(default_factory=set)
    flags: bool = False


class Csdl:
    """The types of all schemas in the document, by qualified name (aliases resolved)."""

    def __init__(self, path: Path) -> None:
        self.types: dict[str, TypeDef] = {}
        self.aliases: dict[str, str] = {}
        namespace = ""
        current: TypeDef | None = None
        for event, elem in ET.iterparse(path, events=("start", "end")):
            tag = elem.tag.removeprefix(EDM)
            if event == "start":
                if tag == "Schema":
                    namespace = elem.get("Namespace", "")
                    if elem.get("Alias"):
                        self.aliases[elem.get("Alias", "")] = namespace
                elif tag in ("EntityType", "ComplexType", "EnumType"):
                    current = TypeDef(
                        tag, elem.get("BaseType"), flags=elem.get("IsFlags") == "true"
                    )
                    self.types[f"{namespace}.{elem.get('Name')}"] = current
                elif tag == "Property" and current is not None:
                    nullable = elem.get("Nullable", "true") != "false"
                    current.props[elem.get("Name", "")] = (elem.get("Type", ""), nullable)
                elif tag == "Member" and current is not None:
                    current.members.add(elem.get("Name", ""))
            else:
                if tag in ("EntityType", "ComplexType", "EnumType"):
                    current = None
                elif tag == "Schema":
                    elem.clear()

    def qualify(self, name: str) -> str:
        prefix, _, rest = name.rpartition(".")
        return f"{self.aliases.get(prefix, prefix)}.{rest}" if prefix else name

    def type(self, name: str) -> TypeDef:
        return self.types[self.qualify(name)]

    def properties(self, name: str) -> dict[str, tuple[str, bool]]:
        """Properties of a type and all its base types (BaseType chain)."""
        out: dict[str, tuple[str, bool]] = {}
        qualified: str | None = self.qualify(name)
        while qualified:
            typedef = self.types[qualified]
            out = {**typedef.props, **out}
            qualified = self.qualify(typedef.base) if typedef.base else None
        return out


def csdl_path() -> Path:
    override = os.environ.get("ZTNA_GRAPH_CSDL")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[1].parent / "shared/data/graph-v1.0-csdl.xml"


@pytest.fixture(scope="session")
def csdl() -> Csdl:
    path = csdl_path()
    if not path.is_file():
        if os.environ.get("CI") == "true":
            pytest.fail(f"Graph CSDL not found at {path} (set ZTNA_GRAPH_CSDL)")
        pytest.skip(f"Graph CSDL not found at {path}")
    return Csdl(path)


_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def _edm_problem(edm: str, value: Any) -> str | None:
    ok: bool
    if edm in ("Edm.String", "Edm.Duration", "Edm.TimeOfDay", "Edm.Binary"):
        ok = isinstance(value, str)
    elif edm == "Edm.Boolean":
        ok = isinstance(value, bool)
    elif edm in ("Edm.Int16", "Edm.Int32", "Edm.Int64", "Edm.Byte"):
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif edm in ("Edm.Double", "Edm.Single", "Edm.Decimal"):
        ok = isinstance(value, int | float) and not isinstance(value, bool)
    elif edm == "Edm.DateTimeOffset":
        ok = isinstance(value, str) and bool(_DATETIME.match(value))
        if ok:
            datetime.fromisoformat(value.replace("Z", "+00:00"))
    elif edm == "Edm.Date":
        ok = isinstance(value, str) and bool(re.match(r"^\d{4}-\d{2}-\d{2}$", value))
    elif edm == "Edm.Guid":
        try:
            ok = isinstance(value, str) and str(uuid.UUID(value)) == value.lower()
        except ValueError:
            ok = False
    elif edm == "Edm.Untyped":
        ok = True
    else:
        return f"unknown Edm type {edm}"
    return None if ok else f"{value!r} is not a valid {edm}"


def check_value(csdl: Csdl, type_name: str, nullable: bool, value: Any, where: str) -> list[str]:
    """Problems with one JSON value against a CSDL type reference."""
    if value is None:
        return [] if nullable else [f"{where}: null, but the property is not nullable"]
    if type_name.startswith("Collection("):
        inner = type_name[len("Collection(") : -1]
        if not isinstance(value, list):
            return [f"{where}: expected a JSON array for {type_name}"]
        problems: list[str] = []
        for i, item in enumerate(value):
            problems += check_value(csdl, inner, False, item, f"{where}[{i}]")
        return problems
    if type_name.startswith("Edm."):
        problem = _edm_problem(type_name, value)
        return [f"{where}: {problem}"] if problem else []
    typedef = csdl.type(type_name)
    if typedef.kind == "EnumType":
        if not isinstance(value, str):
            return [f"{where}: enum {type_name} must be a string"]
        names = [v.strip() for v in value.split(",")] if typedef.flags else [value]
        bad = [n for n in names if n not in typedef.members]
        return [f"{where}: {bad} not members of {type_name}"] if bad else []
    if typedef.kind == "ComplexType":
        if not isinstance(value, dict):
            return [f"{where}: expected a JSON object for {type_name}"]
        return check_object(csdl, type_name, value, where)
    return [f"{where}: {type_name} is an entity type, not expected inline"]


def check_object(csdl: Csdl, type_name: str, obj: dict[str, Any], where: str) -> list[str]:
    props = csdl.properties(type_name)
    problems: list[str] = []
    for name, value in obj.items():
        if name.startswith("@odata.") or "@odata." in name:
            continue
        if name not in props:
            problems.append(f"{where}.{name}: no such property on {type_name} or its bases")
            continue
        prop_type, nullable = props[name]
        problems += check_value(csdl, prop_type, nullable, value, f"{where}.{name}")
    return problems


@pytest.fixture
def session(emulator):
    with requests.Session() as http:
        http.trust_env = False  # REQUESTS_CA_BUNDLE would replace verify
        http.verify = emulator.info["ca_file"]
        http.headers["Authorization"] = f"Bearer {emulator.access_token('admin', ALL_SCOPES)}"
        yield http


def test_csdl_parser_follows_base_types(csdl):
    user = csdl.properties("microsoft.graph.user")
    assert user["id"] == ("Edm.String", False)  # from entity
    assert "deletedDateTime" in user  # from directoryObject
    assert user["identities"][0] == "Collection(graph.objectIdentity)"
    assert csdl.type("graph.objectIdentity").kind == "ComplexType"


def test_checker_catches_bad_shapes(csdl):
    user = "microsoft.graph.user"
    assert check_object(csdl, user, {"shoeSize": 9}, "u")
    assert check_object(csdl, user, {"accountEnabled": "yes"}, "u")
    assert check_object(csdl, user, {"createdDateTime": "yesterday"}, "u")
    assert check_object(csdl, user, {"identities": [{"issuer": 1}]}, "u")
    assert check_object(csdl, user, {"identities": [{"color": "red"}]}, "u")
    assert check_object(csdl, user, {"otherMails": None}, "u")  # Nullable="false"
    org = "microsoft.graph.organization"
    assert check_object(csdl, org, {"mobileDeviceManagementAuthority": "floppy"}, "o")
    assert not check_object(csdl, user, {"identities": [], "accountEnabled": None}, "u")


@pytest.mark.emulator
@pytest.mark.parametrize(("path", "params", "eset", "type_name", "items"), CASES)
def test_emulator_objects_fit_the_schema(
    csdl, emulator, session, path, params, eset, type_name, items
):
    path = path.format(**emulator.info["seed"])
    response = session.get(f"{emulator.info['graph']}{path}", params=params, timeout=30)
    assert response.status_code == 200, response.text
    body = response.json()
    objects = body[items] if items else [body]
    assert objects
    problems: list[str] = []
    seen: set[str] = set()
    for i, obj in enumerate(objects):
        seen |= set(obj)
        problems += check_object(csdl, type_name, obj, f"{path}[{i}]")
    assert not problems, "\n".join(problems[:40])
    never_seen = {p.name for p in eset.props} - seen
    assert not never_seen, f"selected but never returned, so never checked: {never_seen}"


@pytest.mark.emulator
@pytest.mark.parametrize("path", MIXED)
def test_directory_objects_fit_their_own_types(csdl, emulator, session, path):
    path = path.format(**emulator.info["seed"])
    response = session.get(f"{emulator.info['graph']}{path}", timeout=30)
    assert response.status_code == 200, response.text
    objects = response.json()["value"]
    assert objects
    problems: list[str] = []
    for i, obj in enumerate(objects):
        type_name = obj["@odata.type"].removeprefix("#")
        assert csdl.type(type_name).kind == "EntityType"
        problems += check_object(csdl, type_name, obj, f"{path}[{i}]")
    assert not problems, "\n".join(problems[:40])


@pytest.mark.emulator
def test_tenant_information_fits_the_schema(csdl, emulator, session):
    response = session.get(f"{emulator.info['graph']}{TENANT_INFORMATION}", timeout=30)
    assert response.status_code == 200, response.text
    body = response.json()
    assert csdl.type("microsoft.graph.tenantInformation").kind == "ComplexType"
    problems = check_object(csdl, "microsoft.graph.tenantInformation", body, "tenantInformation")
    assert not problems, "\n".join(problems)
    assert set(body) - {"@odata.context"} == set(
        csdl.properties("microsoft.graph.tenantInformation")
    )


AUTH_METHOD_TYPES = {
    "microsoft.graph.microsoftAuthenticatorAuthenticationMethod",
    "microsoft.graph.phoneAuthenticationMethod",
    "microsoft.graph.softwareOathAuthenticationMethod",
    "microsoft.graph.fido2AuthenticationMethod",
    "microsoft.graph.windowsHelloForBusinessAuthenticationMethod",
    "microsoft.graph.emailAuthenticationMethod",
    "microsoft.graph.passwordAuthenticationMethod",
}


@pytest.mark.emulator
def test_every_authentication_method_type_fits_the_schema(csdl, emulator, session):
    seen: set[str] = set()
    problems: list[str] = []
    for row in emulator.state.world.report_rows:
        if not row.reg.methods:
            continue
        path = f"/users/{row.user.id}/authentication/methods"
        response = session.get(f"{emulator.info['graph']}{path}", timeout=30)
        assert response.status_code == 200, response.text
        for i, obj in enumerate(response.json()["value"]):
            type_name = obj["@odata.type"].removeprefix("#")
            seen.add(type_name)
            problems += check_object(csdl, type_name, obj, f"{path}[{i}]")
        if seen >= AUTH_METHOD_TYPES:
            break
    assert seen == AUTH_METHOD_TYPES
    assert not problems, "\n".join(problems[:40])
