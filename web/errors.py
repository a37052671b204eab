"""The one error handler: every error becomes `{"error": {"code", "message", "field"?}}` under /api and a
friendly HTML page elsewhere, with the same status either way (the datasette pattern).

    handled here                    status  code
    WebError (raised by our views)  its own its own ("invalid_json", "unauthorized", ...)
    TextTooLarge (verifier)         413     payload_too_large (+ field)
    InputError (verifier)           400     invalid_input (+ field)
    NotReady (engine)               503     not_ready
    Busy (check queue full)         503     busy (+ Retry-After)
    werkzeug HTTPException          its own not_found, method_not_allowed, payload_too_large, ...
    waitress's own refusals         its own payload_too_large, request_header_fields_too_large, bad_request
      (web/server_errors.py hands them to the app, which raises them as the above)
    anything else                   500     internal_error (logged; nothing a client sends should get here)
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from verifier import CorpusError, InputError, TextTooLarge

from .check_queue import Busy
from .engine import NotReady

log = logging.getLogger(__name__)

CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
    413: "payload_too_large", 415: "unsupported_media_type", 431: "request_header_fields_too_large",
    500: "internal_error", 501: "not_implemented", 503: "not_ready",
}  # fmt: skip


class WebError(Exception):
    """An error a view raises on purpose, with its status, a stable code, and the field at fault."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None,
                 headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.field = status, code, message, field
        self.headers = headers or {}


def wants_json() -> bool:
    return request.path == "/api" or request.path.startswith("/api/")


def describe(exc: Exception) -> WebError:
    """What to tell the client about an exception."""
    if isinstance(exc, WebError):
        return exc
    if isinstance(exc, TextTooLarge):
        return WebError(413, "payload_too_large", str(exc), exc.field)
    if isinstance(exc, (InputError, CorpusError)):
        return WebError(400, "invalid_input", str(exc), getattr(exc, "field", None))
    if isinstance(exc, Busy):
        return WebError(503, "busy", str(exc), headers={"Retry-After": str(exc.retry_after)})
    if isinstance(exc, NotReady):
        return WebError(503, "not_ready", str(exc), headers={} if exc.error else {"Retry-After": "5"})
    if isinstance(exc, HTTPException):
        code = exc.code or 500
        headers = {k: v for k, v in exc.get_headers() if k.lower() != "content-type"}
        return WebError(code, CODES.get(code, exc.name.lower().replace(" ", "_")), _message(exc, code), None, headers)
    log.exception("unhandled error on %s %s", request.method, request.path, exc_info=exc)
    return WebError(500, "internal_error", "something went wrong on the server; the error was logged")


def _message(exc: HTTPException, code: int) -> str:
    if code == 404:
        return f"nothing at {request.path}; see /api/v1/docs for the API" if wants_json() else (
            f"There is no page at {request.path}.")
    if code == 405:
        return f"{request.method} is not allowed on {request.path}; allowed: {_allowed(exc)}"
    if code == 413:  # from werkzeug, or from the server itself (web/server_errors.py): the same words
        setting = "max_upload_bytes" if request.endpoint in ("batch.upload", "text.check") else "max_body_bytes"
        limit = getattr(current_app.config["SETTINGS"], setting)
        return f"the request body is larger than the limit of {limit:,} bytes (setting {setting})"
    return exc.description or exc.name


def _allowed(exc: HTTPException) -> str:
    return ", ".join(m for m in getattr(exc, "valid_methods", None) or [] if m not in ("HEAD", "OPTIONS"))


def error_body(err: WebError) -> dict[str, Any]:
    body: dict[str, Any] = {"code": err.code, "message": err.message}
    if err.field:
        body["field"] = err.field
    return {"error": body}


def handle_exception(exc: Exception):
    if isinstance(exc, HTTPException) and (exc.code or 500) < 400:
        return exc  # routing redirects (a missing trailing slash) are not errors
    err = describe(exc)
    if wants_json():
        response = jsonify(error_body(err))
    else:
        response = render_template("error.html", error=err)
    return response, err.status, err.headers


def register(app: Flask) -> None:
    app.register_error_handler(Exception, handle_exception)
