"""The web surface: `create_app()` builds the Flask app (check, text, batch and about pages, JSON API).

    create_app()                          index from $VERIFIER_INDEX, settings from VERIFIER_* variables
    create_app({"INDEX": "var/idx"})      the same with an explicit index folder
    create_app({"VERIFIER": v})           share an already opened Verifier (tests, embedding)

The model and index load once, in a background thread started here, so the server answers (health: 503)
while they load; `verifier serve` (web/serve.py) runs the app under waitress. Every check, from the API
or the pages, goes through one check queue (web/check_queue.py), which groups concurrent claims.
"""

from __future__ import annotations

import os
from typing import Any

from flask import Flask

from verifier import Settings, Verifier, __version__

from . import about, api, batch, check, errors, server_errors, text
from .batch_store import BatchStore
from .check_queue import CheckQueue
from .engine import Engine


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    config = dict(test_config or {})
    settings: Settings = config.pop("SETTINGS", None) or Settings.load()
    app.config.update(
        SETTINGS=settings,
        INDEX=os.environ.get("VERIFIER_INDEX", ""),
        MAX_CONTENT_LENGTH=settings.max_body_bytes,
    )
    app.config.update(config)
    app.json.sort_keys = False  # keep to_dict()'s order: verdict before evidence
    checks = CheckQueue(lambda: app.extensions["verifier"].verifier, settings)
    app.extensions["checks"] = checks
    app.extensions["verifier"] = _engine(app, settings, checks)
    app.extensions["batches"] = BatchStore(
        settings.batch_results_dir, settings.batch_results_ttl, settings.batch_results_keep
    )
    app.jinja_env.globals.update(version=__version__)
    app.jinja_env.trim_blocks = app.jinja_env.lstrip_blocks = True
    app.before_request(server_errors.raise_server_error)  # first: the server's own refusals, in our shape
    for module in (check, text, batch, about, api):
        app.register_blueprint(module.bp)
    errors.register(app)
    app.after_request(_security_headers)
    return app


# The pages use no script at all, so a strict policy costs nothing and blunts any markup that slips through.
POLICY = "default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'"


def _security_headers(response):
    response.headers.setdefault("Content-Security-Policy", POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response


def _engine(app: Flask, settings: Settings, checks: CheckQueue) -> Engine:
    verifier = app.config.get("VERIFIER")
    if verifier is not None:
        return Engine(verifier=verifier)
    index = app.config["INDEX"]
    if not index:
        raise RuntimeError("no index: pass create_app({'INDEX': folder}) or set VERIFIER_INDEX")
    engine = Engine(load=lambda: Verifier.open(index, settings), warm_up=checks.warm_up)
    if app.config.get("LOAD", "background") != "later":
        engine.start(background=app.config.get("LOAD", "background") == "background")
    return engine
