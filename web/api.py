"""The JSON API under /api/v1: check one claim, a batch or a whole text, read or add statements, health, info, and the
OpenAPI document with its docs page. Responses are the library's `to_dict()`; errors go through
web/errors.py.
"""

from __future__ import annotations

import hmac
import json
import re
from typing import Any

from flask import Blueprint, current_app, jsonify, render_template, request
from markupsafe import Markup, escape

from verifier import Claim, InputError, Statement, __version__, validate_claim

from . import api_models as m
from .errors import WebError
from .openapi import spec, type_of

bp = Blueprint("api", __name__, url_prefix="/api/v1")
MAX_JSON_DEPTH = 64  # arrays and objects in arrays and objects; the deepest request shape needs 5


def _engine():
    return current_app.extensions["verifier"]


def _settings():
    return current_app.config["SETTINGS"]


def _checks():
    return current_app.extensions["checks"]


def json_body() -> Any:
    """The request's JSON body, or a 400 saying why it is not one (a 413 if it is too large)."""
    if not request.is_json:
        raise WebError(400, "invalid_content_type",
                       f"send a JSON body with Content-Type: application/json (got {request.mimetype or 'none'})")
    raw = request.get_data(cache=True)  # over MAX_CONTENT_LENGTH: 413 from werkzeug
    try:
        data = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        where = f" at line {exc.lineno} column {exc.colno}" if isinstance(exc, json.JSONDecodeError) else ""
        raise WebError(400, "invalid_json", f"the body is not valid JSON{where}: {getattr(exc, 'msg', exc)}") from None
    except RecursionError:
        raise WebError(400, "invalid_json", f"the body nests deeper than {MAX_JSON_DEPTH} levels") from None
    if _deeper_than(data, MAX_JSON_DEPTH):
        raise WebError(400, "invalid_json", f"the body nests deeper than {MAX_JSON_DEPTH} levels")
    if not isinstance(data, dict):
        raise WebError(400, "invalid_input", f"the body must be a JSON object, got {type(data).__name__}")
    return data


def _deeper_than(data: Any, limit: int) -> bool:
    """Whether JSON data nests deeper than `limit` arrays and objects, found without recursion (so that
    nothing after, pydantic or the statement store, walks a body deep enough to exhaust the stack)."""
    level, depth = [data], 0
    while level:
        depth += 1
        if depth > limit:
            return True
        level = [child for value in level if isinstance(value, (dict, list))
                 for child in (value.values() if isinstance(value, dict) else value)]
        level = [child for child in level if isinstance(child, (dict, list))]
    return False


def top_k(value: int | None) -> int | None:
    limit = _settings().max_top_k
    if value is not None and value > limit:
        raise InputError(f"top_k: at most {limit} (setting max_top_k), got {value}", "top_k")
    return value


def claim_text(value: str, field: str) -> Claim:
    """The claim as `validate_claim` gives it, refused also when the text as sent is over max_claim_chars (as
    the OpenAPI document's maxLength says), even if collapsing its whitespace would bring it under."""
    settings = _settings()
    if isinstance(value, str) and len(value) > settings.max_claim_chars:
        raise InputError(f"{field} is {len(value)} characters long; the limit is {settings.max_claim_chars} "
                         "(setting max_claim_chars)", field)
    return validate_claim(value, settings, field)


@bp.post("/check")
def check():
    req = m.parse(m.CheckRequest, json_body())
    k = top_k(req.top_k)
    claim = claim_text(req.claim, "claim")
    return jsonify(_checks().check(claim, k).to_dict())


@bp.post("/check/batch")
def check_batch():
    req = m.parse(m.BatchRequest, json_body())
    settings = _settings()
    k = top_k(req.top_k)
    if not req.claims:
        raise InputError("claims: the list is empty; give at least one claim", "claims")
    if len(req.claims) > settings.max_batch_claims:
        raise InputError(f"claims: {len(req.claims)} claims; at most {settings.max_batch_claims} per request "
                         "(setting max_batch_claims)", "claims")
    ids, texts = [], []
    for i, entry in enumerate(req.claims):
        if isinstance(entry, str):
            ids.append(str(i))
            texts.append(claim_text(entry, f"claims[{i}]"))
        else:
            ids.append(str(i) if entry.id is None else str(entry.id))
            texts.append(claim_text(entry.claim, f"claims[{i}].claim"))
    batch_chars(texts, settings)
    results = _checks().check_many(texts, k, ids)
    return jsonify({"results": [r.to_dict() for r in results]})


@bp.post("/check/text")
def check_text():
    req = m.parse(m.TextRequest, json_body())
    k = top_k(req.top_k)
    result = _engine().verifier.check_text(req.text, req.format, k, limits=_settings(), check_many=_checks().check_many)
    return jsonify(result.to_dict())


def batch_chars(texts: list[str], settings) -> None:
    """413 when a batch's claims hold more characters in all than max_batch_chars: the work they ask for."""
    chars = sum(map(len, texts))
    if chars > settings.max_batch_chars:
        raise WebError(413, "payload_too_large", f"claims: {chars:,} characters in all; at most "
                       f"{settings.max_batch_chars:,} per batch (setting max_batch_chars); split the batch", "claims")


@bp.get("/statements/<path:statement_id>")
def statement(statement_id: str):
    found = _engine().verifier.statement(statement_id)
    if found is None:
        raise WebError(404, "not_found", f"no statement has the id {statement_id!r}")
    return jsonify(found.to_dict())


@bp.post("/statements")
def add_statements():
    settings = _settings()
    if not settings.api_token:
        raise WebError(404, "not_found", "adding statements is off on this server (no api_token is configured)")
    _authorize(settings.api_token)
    req = m.parse(m.AddRequest, json_body())
    if not req.statements:
        raise InputError("statements: the list is empty; give at least one statement", "statements")
    if len(req.statements) > settings.max_add_statements:
        raise InputError(f"statements: {len(req.statements)} statements; at most {settings.max_add_statements} per "
                         "request (setting max_add_statements)", "statements")
    statements = []
    for i, item in enumerate(req.statements):
        record = item.model_dump(exclude_none=True)
        record.setdefault("meta", {}).setdefault("origin", f"api:{i}")
        try:  # the rule corpus files are read by
            statements.append(Statement.from_record(record))
        except InputError as exc:
            raise InputError(f"statements[{i}].{exc.field}: {exc}", f"statements[{i}].{exc.field}") from None
    report = _engine().verifier.add(statements).to_dict()
    return jsonify({key: report[key] for key in ("added", "total", "duplicates", "problems", "seconds")}), 201


def _authorize(token: str) -> None:
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    # compare_digest takes the same time wherever the strings differ, so timing tells nothing of the token.
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise WebError(401, "unauthorized", "send the API token as `Authorization: Bearer <token>`",
                       headers={"WWW-Authenticate": 'Bearer realm="claim-verifier"'})


@bp.get("/health")
def health():
    v = _engine().verifier
    return jsonify({"status": "ready", "statements": v.info().count, "version": __version__})


@bp.get("/info")
def info():
    settings = _settings()
    index = _engine().verifier.info().to_dict()
    index.pop("path")  # where the index lives on the server is none of a client's business,
    index.pop("milvus_uri")  # nor where its Milvus is
    limits = {name: getattr(settings, name) for name in m.Limits.model_fields}
    return jsonify({"version": __version__, "index": index, "limits": limits,
                    "adding_statements": bool(settings.api_token),
                    "stance_model": _engine().verifier.stance_model})


@bp.get("/openapi.json")
def openapi():
    return jsonify(spec(_settings()))


@bp.app_template_filter("ticks")
def ticks(text: str) -> Markup:
    """The spec's `backticked` words as <code>, everything else escaped."""
    return Markup(re.sub(r"`([^`]+)`", r"<code>\1</code>", str(escape(text))))


@bp.get("/docs")
def docs():
    return render_template("api_docs.html", spec=spec(_settings()), type_of=type_of)
