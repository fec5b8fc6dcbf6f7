"""Settings of one emulator run, the live fault knobs and the request log records."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class EmulatorOptions:
    """How big the tenant is, how it misbehaves, and where it listens."""

    host: str = "127.0.0.1"
    port: int = 0  # 0 = a free port
    guests: int = 250
    members: int | None = None  # default max(5, guests // 10)
    seed: int = 1
    latency_ms: float = 0.0
    jitter_ms: float = 0.0  # random extra latency 0..jitter_ms per request
    fault_rate: float = 0.0  # share of Graph requests answered 503 or 504
    throttle_rate: float = 0.0  # share answered 429 TooManyRequests with Retry-After
    drop_rate: float = 0.0  # share whose connection is closed without an answer
    retry_after: float = 0.2  # seconds sent in Retry-After (fractional, as Graph does)
    garbage_rate: float = 0.0  # share answered 200 with a body that is not JSON
    token_lifetime: int = 3600  # access-token lifetime in seconds
    auto_approve_device_codes: str | None = None  # persona whose device codes approve themselves
    no_premium: bool = False  # no Entra ID P1: signInActivity and MFA report -> 403
    groups: int | None = None  # default max(12, guests // 50); at least 12
    apps: int | None = None  # service principals, default max(6, guests // 500); at least 6
    reports_limit: int = 5  # userRegistrationDetails requests per window per app and user
    reports_window: float = 10.0  # seconds

    @property
    def member_count(self) -> int:
        return max(5, self.guests // 10) if self.members is None else max(3, self.members)

    @property
    def group_count(self) -> int:
        return max(12, self.guests // 50 if self.groups is None else self.groups)

    @property
    def app_count(self) -> int:
        return max(6, self.guests // 500 if self.apps is None else self.apps)


@dataclass
class FaultSettings:
    """Fault injection for Graph requests; tests change the fields while the server runs."""

    latency_ms: float = 0.0
    jitter_ms: float = 0.0
    fault_rate: float = 0.0
    throttle_rate: float = 0.0
    drop_rate: float = 0.0
    retry_after: float = 0.2
    garbage_rate: float = 0.0

    @classmethod
    def from_options(cls, options: EmulatorOptions) -> FaultSettings:
        return cls(
            latency_ms=options.latency_ms,
            jitter_ms=options.jitter_ms,
            fault_rate=options.fault_rate,
            throttle_rate=options.throttle_rate,
            drop_rate=options.drop_rate,
            retry_after=options.retry_after,
            garbage_rate=options.garbage_rate,
        )

    def reset(self) -> None:
        """Back to a well-behaved tenant (no latency, no faults); retry_after back to 0.2."""
        for name, value in vars(FaultSettings()).items():
            setattr(self, name, value)


@dataclass(frozen=True)
class RequestRecord:
    """One answered request, as the emulator saw it."""

    method: str
    path: str
    query: str
    status: int  # 0 when the connection was dropped without an answer
    persona: str | None
    batch_id: str | None = None  # set on the sub-requests of a $batch (its request-id)
