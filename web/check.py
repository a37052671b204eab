"""The check page: one text area; the verdict, reasons and highlighted evidence below it.

The claim travels in the query string (`/?claim=...`), so a result is a link to share and the page needs
no JavaScript; a form POST redirects there.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import Blueprint, current_app, redirect, render_template, request, url_for
from markupsafe import Markup

from verifier import Evidence, InputError, Result, Verdict, validate_claim
from verifier.checks.findings import Finding

from .highlight import highlight, marked_findings, marks

bp = Blueprint("check", __name__)

_TITLES = {
    Verdict.SUPPORTED: "Supported",
    Verdict.CONTRADICTED: "Contradicted",
    Verdict.MIXED: "Mixed evidence",
    Verdict.NOT_ENOUGH_EVIDENCE: "Not enough evidence",
}
#: What the pages call each verdict, in the order of `Verdict` (a verdict without a title fails here).
VERDICTS = {verdict.value: _TITLES[verdict] for verdict in Verdict}


@dataclass(frozen=True)
class EvidenceView:
    evidence: Evidence
    anchor: str
    claim: Markup | None  # the claim with this statement's findings marked; None when nothing is marked
    statement: Markup
    findings: list[tuple[str, Finding]]  # (element id, finding) of the marked findings


def evidence_view(result: Result, evidence: Evidence) -> EvidenceView:
    anchor = f"e{evidence.rank}"
    found = marked_findings(evidence.findings)
    claim_marks = marks(result.claim, found, "claim", f"{anchor}-f")
    return EvidenceView(
        evidence=evidence,
        anchor=anchor,
        claim=highlight(result.claim, claim_marks) if claim_marks else None,
        statement=highlight(evidence.statement.text, marks(evidence.statement.text, found, "statement", f"{anchor}-f")),
        findings=[(f"{anchor}-f-{i}", f) for i, f in found],
    )


@bp.app_template_test("web_url")
def is_web_url(value: str) -> bool:
    """Only http(s) links become hrefs: a corpus url like `javascript:...` is shown as text."""
    return urlsplit(value).scheme in ("http", "https")


@bp.route("/", methods=["GET", "POST"])
def page():
    if request.method == "POST":
        return redirect(url_for("check.page", claim=request.form.get("claim", "")), code=303)
    claim = request.args.get("claim")
    if claim is None:
        return render_template("check.html", claim="", result=None, error=None)
    settings = current_app.config["SETTINGS"]
    try:
        text = validate_claim(claim, settings)
    except InputError as exc:
        return render_template("check.html", claim=claim, result=None, error=str(exc)), 400
    result = current_app.extensions["checks"].check(text)
    views = [evidence_view(result, e) for e in result.shown]
    return render_template("check.html", claim=claim, result=result, views=views, verdicts=VERDICTS, error=None)
