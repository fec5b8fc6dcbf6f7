"""The HTTPS server: a threaded werkzeug server that can stop cleanly, and the WSGI app."""

from __future__ import annotations

import contextlib
import logging
import socket
import socketserver
import ssl
import threading
from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.serving import ThreadedWSGIServer, WSGIRequestHandler
from werkzeug.wrappers import Request, Response

from ztna_desktop.emulator import graph_app, signin
from ztna_desktop.emulator.faults import FaultInjector, error_response, throttled, unavailable
from ztna_desktop.emulator.graph_errors import GraphError
from ztna_desktop.emulator.options import RequestRecord
from ztna_desktop.emulator.state import State

log = logging.getLogger(__name__)


class DroppedConnection(ConnectionError):
    """Raised inside the app after it closed the client's socket on purpose."""


class _Handler(WSGIRequestHandler):
    """Quiet request handler: werkzeug's access log goes to our debug log."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        log.debug("%s %s -> %s", self.command, self.path, code)

    def log(self, type: str, message: str, *args: Any) -> None:
        log.debug("%s: " + message, type, *args)


class Server(ThreadedWSGIServer):
    """Threaded WSGI server over TLS that joins its threads and closes every socket on stop.

    The TLS handshake happens in the handler thread (not in accept), so one slow client
    cannot stall the others.
    """

    daemon_threads = False
    block_on_close = True

    def __init__(self, host: str, port: int, app: Any, context: ssl.SSLContext) -> None:
        super().__init__(host, port, app, handler=_Handler)
        self.socket = context.wrap_socket(
            self.socket, server_side=True, do_handshake_on_connect=False
        )
        self.ssl_context = context
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()

    def serve_forever(self, poll_interval: float = 0.05) -> None:
        # werkzeug's version closes the server when the loop ends; stop() does that here.
        socketserver.BaseServer.serve_forever(self, poll_interval)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        log.debug("connection from %s ended with an error", client_address, exc_info=True)  # noqa: LOG014 - called from socketserver's except block

    def close_connections(self) -> None:
        """Wake every handler blocked on an idle keep-alive connection."""
        with self._open_lock:
            sockets = list(self._open)
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


class App:
    """The WSGI application: sign-in endpoints, Graph with fault injection, request log."""

    def __init__(self, state: State, record: Callable[[RequestRecord], None]) -> None:
        self.state = state
        self.faults = FaultInjector(state.faults, state.options.seed)
        self.record = record
        state.dispatch = self.sub_request

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        request = Request(environ)
        persona: str | None = None
        if request.path == "/v1.0" or request.path.startswith("/v1.0/"):
            response, persona = self._graph(request)
        else:
            response = signin.handle(self.state, request) or Response(
                "Not found", 404, content_type="text/plain"
            )
        self.record(
            RequestRecord(
                request.method,
                request.path,
                request.query_string.decode("latin-1"),
                response.status_code,
                persona,
            )
        )
        return response(environ, start_response)

    def _graph(self, request: Request) -> tuple[Response, str | None]:
        self.faults.wait()
        decision = self.faults.decide()
        if decision is None:
            return graph_app.handle(self.state, request)
        persona = self._persona(request)
        if decision == "drop":
            self.record(
                RequestRecord(
                    request.method,
                    request.path,
                    request.query_string.decode("latin-1"),
                    0,
                    persona,
                )
            )
            sock = request.environ.get("werkzeug.socket")
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
            raise DroppedConnection("dropped on purpose")
        if decision == "garbage":
            return self.faults.garbage(), persona
        error: GraphError
        if decision == "throttle":
            error = throttled(self.state.faults)
        else:
            error = unavailable(decision, self.state.faults)
        return error_response(error, request.headers.get("client-request-id")), persona

    def sub_request(self, request: Request, batch_id: str) -> Response:
        """One $batch sub-request: its own fault roll, routing, auth and log record.

        A dropped connection cannot happen inside a batch; it answers 504 instead.
        """
        decision = self.faults.decide()
        if decision in (None, "garbage"):
            response, persona = graph_app.handle(self.state, request)
        else:
            persona = self._persona(request)
            error = (
                throttled(self.state.faults)
                if decision == "throttle"
                else unavailable("504" if decision == "drop" else decision, self.state.faults)
            )
            response = error_response(error, request.headers.get("client-request-id"))
        self.record(
            RequestRecord(
                request.method,
                request.path,
                request.query_string.decode("latin-1"),
                response.status_code,
                persona,
                batch_id,
            )
        )
        return response

    def _persona(self, request: Request) -> str | None:
        try:
            return graph_app.principal_name(graph_app.authenticate(self.state, request))
        except GraphError:
            return None
