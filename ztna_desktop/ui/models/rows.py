"""The row objects of the read views: a directory object plus what its table shows about it.

Qt-free and immutable, so the worker that read the directory builds them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ztna_desktop.core.access import AppAccess
from ztna_desktop.core.directory import EnterpriseApp, Group, MfaRegistration, SignIn
from ztna_desktop.core.models import GuestUser


@dataclass(frozen=True, slots=True)
class GuestRow:
    """A guest with its last sign-in (None: never, or not known) and days pending."""

    user: GuestUser
    sign_in: SignIn | None = None
    pending_days: int | None = None  # None: not pending
    sign_ins_known: bool = False  # False: sign-in activity could not be read

    @property
    def id(self) -> str:
        return self.user.id

    @property
    def last_sign_in(self) -> datetime | None:
        return self.sign_in.latest if self.sign_in is not None else None


@dataclass(frozen=True, slots=True)
class GroupRow:
    """A group with its direct member count, its guests (direct and nested) and ownership."""

    group: Group
    members: int
    guests: int
    owned: bool = False

    @property
    def id(self) -> str:
        return self.group.id


@dataclass(frozen=True, slots=True)
class AppRow:
    """An enterprise app with its assignments and how many guests it lets in."""

    app: EnterpriseApp
    users: int
    groups: int
    guests: int

    @property
    def id(self) -> str:
        return self.app.id


@dataclass(frozen=True, slots=True)
class MfaRow:
    """A guest's MFA registration (None: not in the report) and home-tenant trust."""

    user: GuestUser
    registration: MfaRegistration | None
    trusted: bool = False

    @property
    def id(self) -> str:
        return self.user.id

    @property
    def registered(self) -> bool:
        return self.registration is not None and self.registration.is_mfa_registered


@dataclass(frozen=True, slots=True)
class MemberRow:
    """A user in a group: directly, or through nested groups (``via`` names them)."""

    user: GuestUser
    via: tuple[str, ...] = ()  # group display names, outermost last

    @property
    def id(self) -> str:
        return self.user.id


@dataclass(frozen=True, slots=True)
class AssignmentRow:
    """One assignment of an app, with the principal's name."""

    principal_id: str
    principal_type: str
    principal_name: str
    role: str
    guests: int  # guests this assignment lets in (direct group members only)

    @property
    def id(self) -> str:
        return self.principal_id


@dataclass(frozen=True, slots=True)
class AccessRow:
    """A guest who can (or, through nesting only, cannot) sign in to an app."""

    user: GuestUser
    how: str  # "Direct assignment" / "Group X" / "via A > B (not effective)"
    access: AppAccess | None = None

    @property
    def id(self) -> str:
        return self.user.id
