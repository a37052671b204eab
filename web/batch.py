"""The batch page: upload a claims file (.txt, .csv, .jsonl), see a table of verdicts with the bad lines
and their errors, download the results as CSV or JSONL.

Results are kept on disk under a random id (web/batch_store.py) for `batch_results_ttl` seconds, so the
table page and both downloads are plain links that work for as long as that, without JavaScript. They are
someone's uploaded claims: those responses say `Cache-Control: no-store`, so no browser or proxy keeps a
copy beyond that.
"""

from __future__ import annotations

import io
import json
from collections import Counter
from pathlib import Path

from flask import Blueprint, Response, current_app, redirect, render_template, request, url_for

from verifier import InputError
from verifier.batch import BadItem, ClaimItem, claims_format, read_claims, record, to_csv

from .api import batch_chars
from .check import VERDICTS
from .errors import WebError

bp = Blueprint("batch", __name__, url_prefix="/batch")


def _settings():
    return current_app.config["SETTINGS"]


def _store():
    return current_app.extensions["batches"]


@bp.get("/")
def form():
    return render_template("batch.html", settings=_settings(), error=None)


@bp.post("/")
def upload():
    settings = _settings()
    request.max_content_length = settings.max_upload_bytes  # before the body is read
    upload = request.files.get("claims")
    try:
        if upload is None or not upload.filename:
            raise InputError("choose a claims file (.txt, .csv or .jsonl) to upload", "claims")
        fmt = claims_format(upload.filename)
        items = _read(upload.stream, fmt)
        good = [item for item in items if isinstance(item, ClaimItem)]
        batch_chars([item.claim for item in good], settings)
    except InputError as exc:
        return render_template("batch.html", settings=settings, error=str(exc)), 400
    except WebError as exc:
        return render_template("batch.html", settings=settings, error=exc.message), exc.status
    results = iter(current_app.extensions["checks"].check_many(
        [item.claim for item in good], ids=[item.id for item in good]
    ))
    records = [record(item, next(results)) if isinstance(item, ClaimItem) else record(item) for item in items]
    batch_id = _store().save(Path(upload.filename).name, records)
    return redirect(url_for("batch.results", batch_id=batch_id), code=303)


def _read(stream, fmt: str) -> list[ClaimItem | BadItem]:
    limit = _settings().max_batch_claims
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    items: list[ClaimItem | BadItem] = []
    try:
        for item in read_claims(text, fmt, _settings()):
            if len(items) == limit:
                raise InputError(f"the file has more than {limit} claims (setting max_batch_claims); split it", "claims")
            items.append(item)
    except UnicodeDecodeError:
        raise InputError("the file is not UTF-8 text; save it as UTF-8 and upload it again", "claims") from None
    if not items:
        raise InputError("the file holds no claims", "claims")
    return items


def _batch(batch_id: str) -> dict:
    batch = _store().load(batch_id)
    if batch is None:
        minutes = _settings().batch_results_ttl // 60
        raise WebError(404, "not_found", f"These batch results do not exist or have expired (they are kept "
                                         f"{minutes} minutes). Upload the file again.")
    return batch


@bp.get("/<batch_id>")
def results(batch_id: str):
    batch = _batch(batch_id)
    records = batch["records"]
    counts = Counter(r.get("verdict") for r in records if not r.get("error"))
    bad = sum(1 for r in records if r.get("error"))
    page = render_template("batch_results.html", batch=batch, records=records, counts=counts, bad=bad,
                           verdicts=VERDICTS, settings=_settings())
    return _no_store(Response(page, content_type="text/html; charset=utf-8"))


@bp.get("/<batch_id>/results.csv")
def download_csv(batch_id: str):
    batch = _batch(batch_id)
    return _download(to_csv(batch["records"]), batch, "csv", "text/csv; charset=utf-8")


@bp.get("/<batch_id>/results.jsonl")
def download_jsonl(batch_id: str):
    batch = _batch(batch_id)
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in batch["records"])
    return _download(lines, batch, "jsonl", "application/jsonl; charset=utf-8")


def _download(body: str, batch: dict, suffix: str, mimetype: str) -> Response:
    name = f"{Path(batch['name']).stem or 'claims'}-results.{suffix}"
    response = Response(body, content_type=mimetype)  # as given: `mimetype=` would add a second charset
    response.headers.set("Content-Disposition", "attachment", filename=name)
    return _no_store(response)


def _no_store(response: Response) -> Response:
    """Uploaded claims and their results: neither the browser's cache nor a proxy keeps a copy."""
    response.headers["Cache-Control"] = "no-store"
    return response
