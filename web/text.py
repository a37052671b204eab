"""The text page: paste or upload an article; see it with each checked sentence marked by its verdict and
linked to its result below, and a summary.

The text travels in a form POST (too long for a link), so the answer is the page itself, marked
`Cache-Control: no-store` as someone's text. Uploads may be up to `max_upload_bytes`; the format is the
file's extension, or for pasted text the one chosen in the form.
"""

from __future__ import annotations

from flask import Blueprint, current_app, make_response, render_template, request

from verifier import InputError, TextTooLarge
from verifier.textcheck import FORMATS, format_of

from .check import VERDICTS

bp = Blueprint("text", __name__)
FORMAT_NAMES = {"text": "Plain text", "markdown": "Markdown", "html": "HTML"}


def _settings():
    return current_app.config["SETTINGS"]


@bp.get("/text")
def form():
    return _page(text="", fmt="text")


@bp.post("/text")
def check():
    request.max_content_length = _settings().max_upload_bytes  # before the body is read
    upload = request.files.get("file")
    text, fmt = request.form.get("text", ""), request.form.get("format", "text")
    try:
        if upload is not None and upload.filename:
            fmt = format_of(upload.filename) or ""
            if not fmt:
                raise InputError(f"{upload.filename}: upload a .txt, .md or .html file", "file")
            try:
                text = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError:
                raise InputError(f"{upload.filename} is not UTF-8 text; save it as UTF-8 and upload it again", "file") from None
        result = current_app.extensions["verifier"].verifier.check_text(
            text, fmt, limits=_settings(), check_many=current_app.extensions["checks"].check_many)
    except TextTooLarge as exc:
        return _page(text=text, fmt=fmt, error=str(exc), status=413)
    except InputError as exc:
        return _page(text=text, fmt=fmt, error=str(exc), status=400)
    return _page(text=text, fmt=fmt, result=result)


def _page(text: str, fmt: str, result=None, error: str | None = None, status: int = 200):
    page = render_template("text.html", text=text, fmt=fmt if fmt in FORMATS else "text", formats=FORMAT_NAMES,
                           result=result, error=error, verdicts=VERDICTS, settings=_settings())
    response = make_response(page, status)
    if request.method == "POST":
        response.headers["Cache-Control"] = "no-store"  # someone's text and its results
    return response
