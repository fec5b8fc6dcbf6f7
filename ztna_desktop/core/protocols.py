"""Seams between layers, so that graph/ never imports auth/."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Protocol


class TokenProvider(Protocol):
    """Hands out access tokens for a resource's scopes (auth/ implements it)."""

    def access_token(self, scopes: Sequence[str]) -> str:
        """Return a valid bearer token for ``scopes``; raise ``core.errors.AuthError``."""
        ...


#: Progress callback: (done, total or None when unknown, text).
Progress = Callable[[int, int | None, str], None]


def no_progress(done: int, total: int | None, text: str) -> None:
    """A ``Progress`` that ignores everything."""
