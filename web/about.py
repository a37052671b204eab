"""The about page: which corpus, model, weights and encoder this server checks against, and its limits."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

bp = Blueprint("about", __name__)


@bp.get("/about")
def page():
    settings = current_app.config["SETTINGS"]
    verifier = current_app.extensions["verifier"].verifier
    return render_template("about.html", info=verifier.info(), stance_model=verifier.stance_model, settings=settings)
