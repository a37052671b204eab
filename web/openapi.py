"""The OpenAPI 3.1 document of /api/v1, and a plain-HTML rendering of it for the docs page.

Approach: pydantic models (api_models.py) give the JSON Schemas, which OpenAPI 3.1 takes as they are;
the paths are written here by hand. Chosen over apispec (marshmallow-first, a second schema library
beside the dataclasses), flask-smorest (marshmallow too, and its own error format to undo) and spectree
(request validation we would re-wrap to keep our error shape, and viewers loaded from a CDN, which an
offline tool cannot use). Nine routes are few enough to write out; tests check every route of the app
against this document (methods, paths, status codes) and validate real responses against the schemas.
"""

from __future__ import annotations

from typing import Any

from pydantic.json_schema import models_json_schema

from verifier import Settings, __version__

from . import api_models as m

REF = "#/components/schemas/{model}"


def _json(model: type, description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": {"$ref": REF.format(model=model.__name__)}}}}


def _error(description: str) -> dict[str, Any]:
    return _json(m.ErrorResponse, description)


def _body(model: type, example: Any) -> dict[str, Any]:
    schema = {"$ref": REF.format(model=model.__name__)}
    return {"required": True, "content": {"application/json": {"schema": schema, "example": example}}}


def spec(settings: Settings) -> dict[str, Any]:
    """The document, with the limits of these settings written into the descriptions."""
    bad = _error(
        f"Invalid input: body not JSON, Content-Type not application/json, a missing or mistyped field, an "
        f"empty claim or one over {settings.max_claim_chars} characters, top_k outside 1..{settings.max_top_k}. "
        "`field` names the culprit."
    )
    too_large = _error(f"The body is over {settings.max_body_bytes:,} bytes (setting max_body_bytes).")
    loading = _error("The model and index are still loading (Retry-After given), or failed to load.")
    busy = _error(f"`not_ready`: the model and index are still loading (Retry-After given), or failed to load. "
                  f"`busy`: the server holds as many claims to check as it takes at once ({settings.queue_claims}, "
                  "setting queue_claims) or as many checking requests; Retry-After says when to try again.")
    batch_too_large = _error(f"The body is over {settings.max_body_bytes:,} bytes (setting max_body_bytes), or the "
                             f"claims hold more than {settings.max_batch_chars:,} characters in all (setting "
                             "max_batch_chars; `field` is `claims`).")
    paths = {
        "/api/v1/check": {"post": {
            "operationId": "check",
            "summary": "Check one claim",
            "description": "The verdict, confidence, reasons and evidence: the same JSON as `verifier check --json`.",
            "requestBody": _body(m.CheckRequest, {"claim": "Over 1,000 Afghan troops fled into Tajikistan", "top_k": 5}),
            "responses": {"200": _json(m.ResultOut, "The result."), "400": bad, "413": too_large, "503": busy},
        }},
        "/api/v1/check/batch": {"post": {
            "operationId": "checkBatch",
            "summary": "Check many claims at once",
            "description": f"At most {settings.max_batch_claims} claims (setting max_batch_claims) and "
                           f"{settings.max_batch_chars:,} characters of claims in all (setting max_batch_chars). "
                           "The claims join the server's check queue a group at a time, in turn with other "
                           "requests' claims. Results come in the order given, each with its id.",
            "requestBody": _body(m.BatchRequest, {"claims": ["2,000 Afghan troops fled into Tajikistan",
                                                             {"id": "c2", "claim": "The Taliban seized Kabul"}]}),
            "responses": {"200": _json(m.BatchResponse, "One result per claim."), "400": bad,
                          "413": batch_too_large, "503": busy},
        }},
        "/api/v1/check/text": {"post": {
            "operationId": "checkText",
            "summary": "Check a whole text",
            "description": "The text (plain, Markdown or HTML) is read as prose and split into sentences; those with a "
                           "figure, a date, a named person, place or organisation, a comparison or a quotation are "
                           "checked in one batch. Every sentence comes back, each checked one with its result, with "
                           "the text's headings and paragraphs and a summary. The same JSON as "
                           "`verifier check-text --json`.",
            "requestBody": _body(m.TextRequest, {"text": "# Border\n\nOver 1,000 Afghan troops fled into Tajikistan "
                                                         "on 5 July 2021.", "format": "markdown"}),
            "responses": {"200": _json(m.TextResponse, "Every sentence, the checked ones with their results."),
                          "400": _error("Invalid input: as for /check, and an empty text, an unknown `format`, or "
                                        "front matter that is not YAML. `field` names the culprit."),
                          "413": _error(f"The body is over {settings.max_body_bytes:,} bytes (setting max_body_bytes), "
                                        f"the text over {settings.max_text_chars:,} characters (max_text_chars), or it "
                                        f"has over {settings.max_text_sentences} sentences to check "
                                        "(max_text_sentences)."),
                          "503": loading},
        }},
        "/api/v1/statements/{statement_id}": {"get": {
            "operationId": "getStatement",
            "summary": "One statement of the corpus",
            "parameters": [{"name": "statement_id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": {"200": _json(m.StatementOut, "The statement."), "404": _error("No statement has this id."),
                          "503": loading},
        }},
        "/api/v1/statements": {"post": {
            "operationId": "addStatements",
            "summary": "Add statements to the corpus",
            "description": "Off unless the setting api_token is set (then this path answers 404, as if it did not "
                           "exist). When on, send `Authorization: Bearer <api_token>`. Adds at most "
                           f"{settings.max_add_statements} statements (setting max_add_statements) as a new index "
                           "generation; checks running meanwhile finish on the previous one. Duplicates and id "
                           "clashes are skipped and reported.",
            "security": [{"bearer": []}],
            "requestBody": _body(m.AddRequest, {"statements": [{"text": "On 6 July 2021 more Afghan troops crossed "
                                                                "into Tajikistan.", "source": "Reuters",
                                                                "date": "2021-07-06"}]}),
            "responses": {"201": _json(m.AddResponse, "Added; counts and what was skipped."), "400": bad,
                          "401": _error("Missing or wrong bearer token."),
                          "404": _error("Adding is off: no api_token is configured."), "413": too_large,
                          "503": loading},
        }},
        "/api/v1/health": {"get": {
            "operationId": "health",
            "summary": "Readiness",
            "description": "200 once the model and index are loaded; 503 before (or if loading failed).",
            "responses": {"200": _json(m.HealthResponse, "Ready."), "503": loading},
        }},
        "/api/v1/info": {"get": {
            "operationId": "info",
            "summary": "What is loaded",
            "description": "The corpus (count, sources, publishers, dates), model and weights checksum, encoder "
                           "backend, verifier version, and the request limits.",
            "responses": {"200": _json(m.InfoResponse, "Index and limits."), "503": loading},
        }},
        "/api/v1/openapi.json": {"get": {
            "operationId": "openapi",
            "summary": "This document",
            "responses": {"200": {"description": "OpenAPI 3.1", "content": {"application/json": {"schema": {"type": "object"}}}}},
        }},
        "/api/v1/docs": {"get": {
            "operationId": "docs",
            "summary": "This document as a web page",
            "responses": {"200": {"description": "HTML", "content": {"text/html": {"schema": {"type": "string"}}}}},
        }},
    }
    _, schemas = models_json_schema([(model, "validation") for model in m.REQUESTS] +
                                    [(model, "serialization") for model in m.RESPONSES], ref_template=REF)
    _limits(schemas["$defs"], settings)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "claim-verifier API",
            "version": __version__,
            "description": "Check claims against a corpus of sourced statements, offline. Every error, at any "
                           "path under /api, has the body `{\"error\": {\"code\", \"message\", \"field\"?}}`; a "
                           "method a path does not list answers 405, an unknown path 404.",
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": schemas["$defs"],
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }


CLAIM_PATTERN = r"\S"  # at least one character that is not whitespace (a search, not anchored)


def _limits(schemas: dict[str, Any], settings: Settings) -> None:
    """Write the limits of these settings into the request schemas, so the document says what the server
    accepts: a claim of 1..max_claim_chars characters, not only whitespace; top_k 1..max_top_k; 1..max_batch_claims
    claims; 1..max_add_statements statements (the models are static, the limits are settings)."""
    claim = {"type": "string", "minLength": 1, "maxLength": settings.max_claim_chars, "pattern": CLAIM_PATTERN}
    top_k = {"anyOf": [{"type": "integer", "minimum": 1, "maximum": settings.max_top_k}, {"type": "null"}]}
    for name in ("CheckRequest", "BatchRequest"):
        schemas[name]["properties"]["top_k"].update(top_k)
    schemas["CheckRequest"]["properties"]["claim"].update(claim)
    schemas["BatchItem"]["properties"]["claim"].update(claim)
    claims = schemas["BatchRequest"]["properties"]["claims"]
    claims.update(minItems=1, maxItems=settings.max_batch_claims)
    for option in claims["items"]["oneOf"]:
        if option.get("type") == "string":
            option.update(claim)
    schemas["AddRequest"]["properties"]["statements"].update(minItems=1, maxItems=settings.max_add_statements)
    schemas["StatementIn"]["properties"]["text"].update(pattern=CLAIM_PATTERN)


def type_of(schema: dict[str, Any]) -> str:
    """A short type name for the docs page: `string`, `array of Evidence`, `integer or null`."""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return " or ".join(type_of(s) for s in schema[key])
    if "const" in schema:
        return repr(schema["const"])
    if "enum" in schema:
        return " | ".join(repr(v) for v in schema["enum"])
    kind = schema.get("type", "any")
    if isinstance(kind, list):
        return " or ".join(kind)
    if kind == "array":
        return f"array of {type_of(schema.get('items', {}))}"
    if kind == "object" and isinstance(schema.get("additionalProperties"), dict):
        return f"object of {type_of(schema['additionalProperties'])}"
    return kind
