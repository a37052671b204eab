"""`verifier check-text`: check every checkable sentence of an article (joined to the group in verifier/cli.py).

Exit codes: 0 the text was checked (whatever the verdicts); 2 it could not be (no such file, not UTF-8, an
unknown format, an empty text, over max_text_chars or max_text_sentences).
"""

from __future__ import annotations

import json
import sys

import click

from .. import InputError, Settings, TextResult, Verifier
from . import FORMATS, format_of


class TextError(click.ClickException):
    exit_code = 2


@click.command("check-text")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--index", "index_dir", required=True, type=click.Path(file_okay=False), help="Index folder.")
@click.option("--format", "fmt", type=click.Choice(("auto", *FORMATS)), default="auto", show_default=True,
              help="How to read FILE; auto: by its extension (.txt, .md, .html), and for stdin HTML if it starts with '<'.")
@click.option("-k", "--top-k", "k", type=click.IntRange(1, 100), default=None, help="How many statements to weigh.")
@click.option("--json", "as_json", is_flag=True, help="Print the whole result as JSON.")
@click.pass_obj
def check_text_cmd(settings: Settings, file: str, index_dir: str, fmt: str, k: int | None, as_json: bool) -> None:
    """Check every checkable sentence of FILE (text, Markdown or HTML; '-' reads stdin) in one batch.

    A sentence is checked when it holds a figure, a date, a named person, place or organisation, a
    comparison or a quotation; the text is printed with each checked sentence's verdict, then a summary.

    \b
    Example:
        verifier check-text article.md --index var/demo-index
        curl -s https://example.org/a.html | verifier check-text - --index var/demo-index --json
    """
    text = _read(file)
    if fmt == "auto":
        fmt = ("html" if text.lstrip().startswith("<") else "text") if file == "-" else format_of(file) or ""
        if not fmt:
            raise TextError(f"{file}: cannot tell the format from the extension; give --format text, markdown or html")
    try:
        result = Verifier.open(index_dir, settings).check_text(text, fmt, k)
    except InputError as exc:
        raise TextError(f"{'stdin' if file == '-' else file}: {exc}") from exc
    if as_json:
        click.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
        return
    _print(result)


def _read(file: str) -> str:
    try:
        raw = sys.stdin.buffer.read() if file == "-" else open(file, "rb").read()
    except OSError as exc:
        raise TextError(f"{file}: {exc.strerror}") from exc
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TextError(f"{'stdin' if file == '-' else file}: not UTF-8 ({exc.reason} at byte {exc.start}); "
                        "save it as UTF-8") from exc


def _print(result: TextResult) -> None:
    """The text as read, headings as '#' lines, each sentence on its line: a checked one with its number,
    verdict, confidence, why it was chosen and the verdict's reasons; the others after a '·'."""
    for block in result.blocks:
        if block.kind == "heading":
            click.echo(f"\n{'#' * block.level} {block.text}")
            continue
        click.echo("")
        for i in block.sentences:
            s = result.sentences[i]
            if s.result is None:
                note = f"  (chosen for {', '.join(s.checkable)}, not checked: {s.error})" if s.error else ""
                click.echo(f"  ·  {s.text}{note}")
                continue
            r = s.result
            click.echo(f"[{s.index + 1:>3}] {r.verdict.value.replace('_', ' ')} ({r.confidence:.2f}): {s.text}")
            click.echo(f"        chosen for: {', '.join(s.checkable)}")
            for reason in r.reasons:
                click.echo(f"        - {reason.text}" + (f" [{reason.statement_id}]" if reason.statement_id else ""))
    click.echo(f"\n{result.summary}")
