"""Pytest plugin: the embedded tenant for tests.

Fixtures:
- ``emulator``: one Emulator(EmulatorOptions(guests=250, seed=7)) for the whole session.
  Every test that asks for it gets it with faults reset to none and an empty request log
  (the session object is started once; the per-test fixture resets and hands it over).
- ``emulator_info``: ``emulator.info`` (authority, graph, ca_file, ids, personas).
- ``emulator_factory``: ``emulator_factory(**options)`` starts a private Emulator with those
  EmulatorOptions fields (e.g. ``guests=5, no_premium=True``); all are stopped at teardown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from ztna_desktop.emulator import Emulator, EmulatorOptions


@pytest.fixture(scope="session")
def _session_emulator() -> Iterator[Emulator]:
    with Emulator(EmulatorOptions(guests=250, seed=7)) as emu:
        yield emu


@pytest.fixture
def emulator(_session_emulator: Emulator) -> Emulator:
    """The shared session emulator, reset: no faults, empty request log."""
    _session_emulator.reset_faults()
    _session_emulator.reset_requests()
    return _session_emulator


@pytest.fixture
def emulator_info(emulator: Emulator) -> dict[str, Any]:
    return emulator.info


@pytest.fixture
def emulator_factory() -> Iterator[Callable[..., Emulator]]:
    started: list[Emulator] = []

    def make(**options: Any) -> Emulator:
        emu = Emulator(EmulatorOptions(**options)).start()
        started.append(emu)
        return emu

    yield make
    for emu in reversed(started):
        emu.stop()
