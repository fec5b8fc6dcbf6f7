"""Composition root: build every object, hand them over, run the event loop.

Start-up order (``run_gui``):

1. ``--smoke-test`` defaults ``QT_QPA_PLATFORM`` to ``offscreen`` (before Qt loads).
2. Logging, once per run: a rotating file under ``paths.log_dir()`` plus stderr, with a
   filter that redacts anything looking like a token; Qt's own messages go to logging.
3. The QApplication (or the one that already exists), then the crash handler
   (``sys.excepthook`` -> log + dialog with the traceback and the log path).
4. Settings (``prefs/`` and ``state/`` in one INI file under the user config dir).
5. Config: ``--demo`` starts the embedded tenant in-process and points a Config at it;
   otherwise ``config.load`` (+ ``--config``) and ``validate()``. A ConfigError is shown
   (stderr in smoke mode) and the exit code is 2.
6. Services: the token cache (in memory for the demo; else encrypted, or plain text
   after consent asked once, or in memory if refused), the AuthClient, the directory
   and activity loaders (each builds its own GraphClient on its worker thread) and the
   tenant's local snapshot (SQLite under the user data dir). ``--smoke-test`` gets
   none of these: no network, no sign-in.
7. The MainWindow, shown, then ``start()``: the local snapshot is shown at once, then a
   silent sign-in (the demo signs in with an auto-approved device code) and a refresh.
   ``--smoke-test`` processes events briefly and exits 0.
8. The event loop. On the way out the window joins its workers, the emulator stops and
   the logging handlers are taken away again.

Environment: ``ZTNA_SCREENSHOT=<png path>`` (demo only) saves a grab of the window once
the guests have loaded, then quits (exit 0; 1 if loading fails or takes over a minute);
``ZTNA_SCREENSHOT=<directory>`` saves one PNG per tab there (guests.png, groups.png,
apps.png, mfa.png, access.png) once MFA and sign-ins have loaded too.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ztna_desktop import __version__, paths
from ztna_desktop.core.errors import ConfigError

log = logging.getLogger(__name__)

EXIT_CONFIG = 2
SCREENSHOT_ENV = "ZTNA_SCREENSHOT"
SMOKE_EVENTS_MS = 300
DEMO_LATENCY_MS = 15.0


def run_gui(args: argparse.Namespace) -> int:
    """Run the desktop app; returns the process exit code."""
    smoke = bool(getattr(args, "smoke_test", False))
    if smoke:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from PySide6.QtWidgets import QApplication

    from ztna_desktop.ui import messages
    from ztna_desktop.ui.crash import CrashHandler
    from ztna_desktop.ui.logs import LoggingSetup

    logging_setup = LoggingSetup(paths.log_dir())
    logging_setup.install()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName(paths.APP_NAME)
    app.setOrganizationName(paths.APP_AUTHOR)
    app.setApplicationVersion(__version__)
    crash = CrashHandler(str(logging_setup.log_path))
    crash.install()
    was_log_only = messages.log_only()
    if smoke or os.environ.get(SCREENSHOT_ENV):
        messages.set_log_only(True)
    log.info("ztna-desktop %s starting (%s)", __version__, "smoke test" if smoke else "gui")
    try:
        with contextlib.ExitStack() as stack:
            return _run(app, args, smoke, stack)
    finally:
        messages.set_log_only(was_log_only)
        crash.uninstall()
        logging_setup.uninstall()


def _run(app: Any, args: argparse.Namespace, smoke: bool, stack: contextlib.ExitStack) -> int:
    from ztna_desktop.ui import messages
    from ztna_desktop.ui.main_window import MainWindow
    from ztna_desktop.ui.services import Services
    from ztna_desktop.ui.settings import Settings

    _apply_style(app)
    settings = Settings(paths.user_config_dir() / "settings.ini")
    demo = bool(getattr(args, "demo", False)) and not smoke
    try:
        if demo:
            config = stack.enter_context(_demo_tenant(getattr(args, "guests", 250)))
        else:
            config = _load_config(getattr(args, "config", None))
            if not smoke:
                config.validate()
    except ConfigError as exc:
        log.error("configuration problem: %s", exc)
        if smoke:
            sys.stderr.write(f"ztna-desktop: configuration problem: {exc}\n")
        else:
            messages.show_error(None, "ZTNA Desktop: configuration problem", exc)
        return EXIT_CONFIG

    services = Services(auth=None, config_source=config.source) if smoke else None
    services = services or _services(config, settings)
    auth = services.auth
    if auth is not None and hasattr(auth, "close"):
        stack.callback(auth.close)  # MSAL's HTTP session; after the window joined its workers
    window = MainWindow(services, settings, title_suffix="(demo tenant)" if demo else "")
    stack.callback(window.close)  # joins the workers if the loop ended another way
    _quit_on_sigint(app, stack)
    window.show()
    if smoke:
        from PySide6.QtCore import QTimer

        def finish() -> None:
            window.close()
            app.quit()

        QTimer.singleShot(SMOKE_EVENTS_MS, finish)
        _exec(app)
        sys.stdout.write("smoke test ok\n")
        sys.stdout.flush()
        return 0
    shot = os.environ.get(SCREENSHOT_ENV)
    if shot and demo:
        from ztna_desktop.ui.screenshot import ScreenshotOnLoad, TabScreenshots

        target = Path(shot)
        grabber: Any
        if target.suffix.lower() == ".png":
            grabber = ScreenshotOnLoad(window, target)
        else:
            grabber = TabScreenshots(window, target)
        window.start()
        _exec(app)
        return grabber.exit_code
    window.start()
    return _exec(app)


def _exec(app: Any) -> int:
    """Run the event loop; drop a Quit event it left behind.

    WORKAROUND: QCoreApplication.quit() posts a QEvent.Quit that can outlive exec();
    the next event loop in the same process (tests call run_gui more than once) would
    then end at once.
    """
    from PySide6.QtCore import QCoreApplication, QEvent

    code = app.exec()
    QCoreApplication.removePostedEvents(app, QEvent.Type.Quit)
    return int(code)


def _quit_on_sigint(app: Any, stack: contextlib.ExitStack) -> None:
    """Ctrl+C in the terminal quits cleanly (Python sees signals only when it runs)."""
    import signal
    import threading

    from PySide6.QtCore import QTimer

    if threading.current_thread() is not threading.main_thread():
        return
    previous = signal.signal(signal.SIGINT, lambda *_: app.quit())
    stack.callback(signal.signal, signal.SIGINT, previous)
    wake = QTimer(app)
    wake.timeout.connect(lambda: None)  # lets the interpreter run its signal handlers
    wake.start(250)
    stack.callback(wake.deleteLater)
    stack.callback(wake.stop)


def _apply_style(app: Any) -> None:
    from PySide6.QtGui import QIcon

    style = paths.resource_path("styles", "app.qss")
    if style.is_file():
        app.setStyleSheet(style.read_text(encoding="utf-8"))
    icon = paths.resource_path("app.svg")
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))


def _load_config(extra: Path | None) -> Any:
    from ztna_desktop import config

    files = config.default_files()
    if extra is not None:
        if not extra.is_file():
            raise ConfigError(f"{extra}: no such config file.")
        files.append(extra)
    return config.load(files)


@contextlib.contextmanager
def _demo_tenant(guests: int) -> Iterator[Any]:
    """Start the embedded tenant and yield a Config pointing at it."""
    from ztna_desktop.config import Config
    from ztna_desktop.emulator import Emulator, EmulatorOptions

    emulator = Emulator(
        EmulatorOptions(
            guests=guests, latency_ms=DEMO_LATENCY_MS, auto_approve_device_codes="admin"
        )
    )
    emulator.start()
    try:
        info = emulator.info
        yield Config(
            tenant_id=str(info["tenant_id"]),
            client_id=str(info["public_client_id"]),
            authority_host=str(info["authority"]).rsplit("/", 1)[0],
            graph_url=str(info["graph"]),
            ca_file=str(info["ca_file"]),
            demo=True,
            source=f"demo tenant {info.get('tenant_domain', '')} (embedded, in memory)",
        )
    finally:
        emulator.stop()


def _services(config: Any, settings: Any) -> Any:
    """The token cache, the AuthClient and the guests loader for ``config``."""
    from ztna_desktop.auth.client import AuthClient
    from ztna_desktop.auth.scopes import SIGN_IN_SCOPES, qualified
    from ztna_desktop.ui.services import Services
    from ztna_desktop.ui.snapshot_store import SqliteSnapshot

    cache, description, notice = _token_cache(config, settings)
    auth = AuthClient(config, cache)
    scopes = qualified(config, SIGN_IN_SCOPES)
    snapshot = SqliteSnapshot.for_tenant(paths.user_data_dir(), config.tenant_id)
    return Services(
        auth=auth,
        scopes=scopes,
        load_directory=make_directory_loader(config, auth, scopes),
        load_activity=make_activity_loader(config, auth, scopes),
        snapshot=snapshot,
        extra_about={"Local copy": str(snapshot.path)},
        sign_in_method="device" if config.demo else None,
        auto_sign_in=config.demo,
        tenant_hint="" if config.demo else config.tenant_id,
        config_source=config.source,
        cache_description=description,
        notice=notice,
    )


def _token_cache(config: Any, settings: Any) -> tuple[Any, str, str]:
    """(cache, description, status-bar notice) for ``config``'s tenant."""
    import msal

    if config.demo:
        return msal.SerializableTokenCache(), "in memory (demo)", ""
    from ztna_desktop.auth.token_cache import PlaintextCacheNotAllowed, open_token_cache
    from ztna_desktop.ui.dialogs.plaintext_consent import PREF, plaintext_consent

    tenant_dir = re.sub(r"[^A-Za-z0-9._-]", "_", config.tenant_id) or "default"
    path = paths.user_data_dir() / tenant_dir / "msal_cache.bin"
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        handle = open_token_cache(path, allow_plaintext=settings.pref(PREF) == "yes")
    except PlaintextCacheNotAllowed as exc:
        log.warning("no encrypted token cache: %s", exc)
        if not plaintext_consent(None, settings):
            memory = "Sign-in tokens are kept in memory only: this computer offers no encryption"
            return msal.SerializableTokenCache(), "in memory only (no encryption available)", memory
        handle = open_token_cache(path, allow_plaintext=True)
    notice = "" if handle.encrypted else "Sign-in tokens are stored unencrypted (you agreed)"
    return handle, handle.description, notice


@contextlib.contextmanager
def _graph_client(config: Any, tokens: Any, scopes: list[str], cancel: Any) -> Iterator[Any]:
    """A GraphClient (and its Session) for one worker thread's run, closed afterwards."""
    from ztna_desktop.graph.transport import GraphClient

    client = GraphClient(
        config.resolved_graph_url(), tokens, scopes, extra_ca=config.ca_file, cancel=cancel
    )
    try:
        yield client
    finally:
        client.close()


def _organization(client: Any) -> Any:
    """The tenant's name is a nicety, not a must: None when the role may not read it."""
    from ztna_desktop.core.errors import AccessDenied
    from ztna_desktop.graph.users import get_organization

    try:
        return get_organization(client)
    except AccessDenied as exc:
        log.info("cannot read the organization: %s", exc)
        return None


def make_guests_loader(config: Any, tokens: Any, scopes: list[str]) -> Any:
    """A ``LoadGuests`` for a window that shows guests only (no directory loader).

    The app itself reads the whole directory; this lighter mode serves embedders and tests.
    Runs on a worker thread, with its own GraphClient (and Session).
    """
    from ztna_desktop.graph.users import list_users
    from ztna_desktop.ui.services import GuestsLoad

    def load(cancel: Any, progress: Any) -> GuestsLoad:
        with _graph_client(config, tokens, scopes, cancel) as client:
            return GuestsLoad(_organization(client), list_users(client, progress=progress))

    return load


def make_directory_loader(config: Any, tokens: Any, scopes: list[str]) -> Any:
    """A ``LoadDirectory``: the whole directory read, on a worker thread with its own client."""
    from datetime import UTC, datetime

    from ztna_desktop.graph.directory_reader import read_directory
    from ztna_desktop.ui.services import DirectoryLoad

    def load(cancel: Any, progress: Any) -> DirectoryLoad:
        with _graph_client(config, tokens, scopes, cancel) as client:
            organization = _organization(client)
            read = read_directory(client, progress=progress)
        return DirectoryLoad(
            read.directory,
            datetime.now(UTC),
            errors=dict(read.errors),
            organization=organization,
            owned=read.owned,
        )

    return load


def make_activity_loader(config: Any, tokens: Any, scopes: list[str]) -> Any:
    """A ``LoadActivity``: MFA registrations and sign-ins, in their own worker."""
    from datetime import UTC, datetime

    from ztna_desktop.graph.activity_reader import read_activity
    from ztna_desktop.ui.services import ActivityLoad

    def load(cancel: Any, progress: Any, directory: Any) -> ActivityLoad:
        with _graph_client(config, tokens, scopes, cancel) as client:
            read = read_activity(client, directory, progress=progress)
        return ActivityLoad(read.mfa, read.sign_ins, datetime.now(UTC), errors=dict(read.errors))

    return load
