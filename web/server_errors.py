"""Errors the HTTP server finds before the app sees a request, answered by the app in its own shape.

Waitress refuses some requests itself: a body over its limit (413), a request line and headers over its
limit (431, e.g. a 1 MB `/?claim=`), framing it cannot parse (400: bad chunked encoding, a malformed
request line), a transfer coding it does not know (501). Its answers are plain text without the security
headers. `AppErrorTask` replaces waitress's error task: it hands the error to the app as a bodiless request
for the same method and path, with the error under `ENVIRON_KEY`, and `raise_server_error` (a before-request
hook the app registers first) raises it, so the app's one error handler answers: JSON under /api, the HTML
error page elsewhere, with the security headers. The connection is still closed afterwards, as waitress
does, since the rest of what the client sent cannot be trusted to be framed.

Hand-written because waitress has no hook for its error responses; this uses its documented task classes
(`HTTPChannel.error_task_class`). If the app itself fails here, waitress's own answer is sent instead.
"""

from __future__ import annotations

import io
import re
import sys
from typing import Any

from flask import current_app, request
from waitress.channel import HTTPChannel
from waitress.task import ErrorTask
from werkzeug.exceptions import RequestEntityTooLarge

from .errors import CODES, WebError

ENVIRON_KEY = "verifier.server_error"  # set only by AppErrorTask: no client header can reach this name
_REQUEST_LINE = re.compile(rb"\s*([A-Z]{1,16}) (/[^ ?#\r\n]*)")


class AppErrorTask(ErrorTask):
    def execute(self) -> None:
        try:
            status, headers, body = self._from_app()
        except Exception:  # the app could not answer: waitress's own plain-text answer, as before
            self.channel.server.logger.exception("the app could not answer a server error; waitress answers")
            return super().execute()
        self.status = status
        self.response_headers.extend((k, v) for k, v in headers if k.lower() not in {"content-length", "connection"})
        self.set_close_on_finish()
        self.content_length = len(body)
        self.write(body)

    def _from_app(self) -> tuple[str, list[tuple[str, str]], bytes]:
        error = self.request.error
        method, path = _method_and_path(self.request)
        server = self.channel.server
        environ = {
            "REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": "", "SCRIPT_NAME": "",
            "SERVER_NAME": str(server.server_name), "SERVER_PORT": str(server.effective_port),
            "SERVER_PROTOCOL": f"HTTP/{self.request.version}", "REMOTE_ADDR": str(self.channel.addr[0]),
            "CONTENT_LENGTH": "0", "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr, "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http", "wsgi.multithread": True, "wsgi.multiprocess": False,
            "wsgi.run_once": False, ENVIRON_KEY: (error.code, error.reason, error.body),
        }
        started: list[Any] = []
        chunks = server.application(environ, lambda status, headers, exc_info=None: started.extend([status, headers]))
        try:
            body = b"".join(chunks)
        finally:
            getattr(chunks, "close", lambda: None)()
        return started[0], list(started[1]), body


class AppErrorChannel(HTTPChannel):
    error_task_class = AppErrorTask


def install(server: Any) -> None:
    """Make every listening server of what `waitress.create_server` returned use AppErrorTask."""
    servers = getattr(server, "map", {}).values() if hasattr(server, "effective_listen") else [server]
    for each in servers:
        if hasattr(each, "channel_class"):
            each.channel_class = AppErrorChannel


def _method_and_path(parsed: Any) -> tuple[str, str]:
    """The request's method and path as far as waitress read them: after a 431 it has parsed nothing, but
    kept what came (the request line is its first bytes)."""
    if parsed.headers_finished and getattr(parsed, "path", None) is not None:
        return parsed.command or "GET", parsed.path or "/"
    found = _REQUEST_LINE.match(parsed.header_plus or b"")
    if not found:
        return "GET", "/"
    return found.group(1).decode("ascii"), found.group(2).decode("latin-1")


def raise_server_error() -> None:
    """A before-request hook: raise the server's error, if this request is one, for the app's handler."""
    found = request.environ.get(ENVIRON_KEY)
    if found is None:
        return
    code, reason, detail = found
    settings = current_app.config["SETTINGS"]
    if code == 413:
        raise RequestEntityTooLarge()
    if code == 431:
        raise WebError(431, "request_header_fields_too_large",
                       f"the request line and headers are larger than the server's limit of "
                       f"{settings.max_header_bytes:,} bytes (setting max_header_bytes); send a long claim in a POST "
                       "body (/api/v1/check) instead of the address")
    if code == 400:
        raise WebError(400, "bad_request", f"the request is not valid HTTP/1.1 ({detail}); nothing was done")
    if code == 501:
        raise WebError(501, "not_implemented", f"the server cannot read this request ({detail})")
    raise WebError(code, CODES.get(code, reason.lower().replace(" ", "_")),
                   "the server could not answer this request; the error was logged")
