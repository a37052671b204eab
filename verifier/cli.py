"""The `verifier` command line: a thin click layer over `Verifier`.

Commands of other packages (the web server's `serve`) join through the `verifier.commands` entry-point
group, so this package never imports them.
"""

from __future__ import annotations

import json
import sys
from importlib.metadata import entry_points
from typing import Any

import click

from . import IndexDamaged, IndexNotFound, Result, Settings, Verifier, VerifierError, __version__
from .errors import NoStatements
from .statement import lone_surrogate
from .batch.command import batch_cmd
from .evaluation.cli import eval_cmd
from .textcheck.command import check_text_cmd

INDEX_OPTION = click.option(
    "--index", "index_dir", required=True, type=click.Path(file_okay=False), help="Index folder."
)


class VerifierGroup(click.Group):
    """Turns a VerifierError into a one-line message (exit code 2 for a damaged index, 1 otherwise) and an
    interrupted command into exit code 130."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except IndexDamaged as exc:
            raise IndexFolderError(str(exc)) from exc
        except VerifierError as exc:
            raise click.ClickException(str(exc)) from exc
        except KeyboardInterrupt:
            click.echo("Interrupted; nothing was changed.", err=True)
            sys.exit(130)


class IndexFolderError(click.ClickException):
    """The index folder cannot be used or built on (its CURRENT names no generation, or a part of the live
    generation is missing, unreadable or disagrees with the others): exit code 2, nothing changed."""

    exit_code = 2


class BadArgument(click.ClickException):
    """Arguments the command cannot work with (a claim that is not text, corpus files without one valid
    statement): exit code 2, as click gives a usage error, but one line saying what is wrong."""

    exit_code = 2


def parse_overrides(pairs: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep:
            raise click.BadParameter(f"expected NAME=VALUE, got {pair!r}", param_hint="--set")
        out[name.strip()] = value.strip()
    return out


@click.group(cls=VerifierGroup)
@click.version_option(__version__, prog_name="verifier")
@click.option("--settings", "settings_file", type=click.Path(dir_okay=False, exists=True), help="JSON settings file.")
@click.option("--set", "overrides", multiple=True, metavar="NAME=VALUE", help="Override one setting (repeatable).")
@click.pass_context
def cli(ctx: click.Context, settings_file: str | None, overrides: tuple[str, ...]) -> None:
    """Check claims against a corpus of sourced statements, offline.

    \b
    Example:
        verifier index corpus/demo.jsonl --index var/demo-index
        verifier check "Over 1,000 Afghan troops fled into Tajikistan" --index var/demo-index
    """
    try:
        ctx.obj = Settings.load(settings_file, parse_overrides(overrides))
    except VerifierError as exc:
        raise click.ClickException(str(exc)) from exc


@cli.command("index")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@INDEX_OPTION
@click.option("--append", is_flag=True, help="Add to the existing index instead of replacing it.")
@click.option("--strict", is_flag=True, help="Refuse the whole build if any record is malformed.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option("--json", "as_json", is_flag=True, help="Print the build report as JSON.")
@click.pass_obj
def index_cmd(settings: Settings, files: tuple[str, ...], index_dir: str, append: bool, strict: bool,
              quiet: bool, as_json: bool) -> None:
    """Build (or with --append, extend) an index folder from corpus files.

    FILES are .jsonl, .csv/.tsv, .txt/.md or .html files, and fact-checks: ClaimReview JSON-LD in saved .html
    pages, .json/.jsonl files of ClaimReview, DataFeed or fact-check search API objects (see corpus/README.md),
    each review a statement of kind fact_check. The previous index stays
    untouched until the new one is complete. --append into a folder whose CURRENT file is missing or names
    no generation is refused (exit code 2) and says how to repair it.

    \b
    Example:
        verifier index corpus/demo.jsonl more.csv article.html factchecks.json --index var/my-index
    """
    progress = not quiet and sys.stderr.isatty()
    try:
        report = Verifier.build(index_dir, files, settings=settings, append=append, strict=strict, progress=progress)
    except IndexNotFound as exc:
        raise IndexFolderError(str(exc)) from exc
    except NoStatements as exc:  # say what was wrong with each record, then that nothing was left
        for problem in exc.problems:
            click.echo(f"skipped {problem}", err=True)
        raise BadArgument(str(exc)) from exc
    if as_json:
        click.echo(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))
        return
    for problem in report.problems:
        click.echo(f"skipped {problem}", err=True)
    for dup in report.duplicates:
        where = f" ({dup.origin})" if dup.origin else ""
        click.echo(f"skipped {dup.kind} duplicate {dup.id}{where} of {dup.duplicate_of}", err=True)
    click.echo(
        f"Indexed {report.added} statements into {index_dir} ({report.total} in all) in {report.seconds:.1f} s; "
        f"skipped {len(report.problems)} malformed and {len(report.duplicates)} duplicate records."
    )


def _echo_fact_checks(result: Result) -> None:
    """The fact-checks of matching claims, first: reviewer, rating, date, link, and how close the match is."""
    if not result.fact_checks:
        return
    click.echo("Fact-checks of matching claims (closest first; [similarity]):")
    for m in result.fact_checks:
        f = m.fact_check
        rating = f.rating if f.rating.casefold() == f.normalized_rating else f"{f.rating} ({f.normalized_rating})"
        when = f", {f.review_date[:10]}" if f.review_date else ""
        click.echo(f"  - [{m.similarity:.3f}] {f.reviewer}{when}: {rating} -- \"{m.claim_reviewed}\"")
        if f.url:
            click.echo(f"      {f.url}")
        if not m.used:
            click.echo(f"      not used for the verdict: it {m.note}")


@cli.command("check")
@click.argument("claim")
@INDEX_OPTION
@click.option("-k", "--top-k", "k", type=click.IntRange(1, 100), default=None, help="How many statements to weigh.")
@click.option("--json", "as_json", is_flag=True, help="Print the whole result as JSON.")
@click.pass_obj
def check_cmd(settings: Settings, claim: str, index_dir: str, k: int | None, as_json: bool) -> None:
    """Check CLAIM against the index: verdict, confidence, reasons, and the statements with their stance.

    \b
    Example:
        verifier check "Over 1,000 Afghan troops fled into Tajikistan" --index var/demo-index --json
    """
    at = lone_surrogate(claim)  # Python keeps a byte that is not UTF-8 as U+DC80..U+DCFF (surrogateescape)
    if at is not None:
        byte = ord(claim[at]) - 0xDC00
        what = f"the byte 0x{byte:02X}" if 0x80 <= byte <= 0xFF else f"U+{ord(claim[at]):04X}"
        raise BadArgument(f"the claim is not valid UTF-8: {what} at character {at}; give the claim as UTF-8 text "
                          "(check the terminal's encoding, e.g. LANG=C.UTF-8)")
    result = Verifier.open(index_dir, settings).check(claim, k)
    if as_json:
        click.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
        return
    click.echo(f"Claim:      {result.claim}")
    if result.given:
        click.echo(f"As given:   {result.given}")
    _echo_fact_checks(result)
    click.echo(f"Verdict:    {result.verdict.value.replace('_', ' ')} (confidence {result.confidence:.2f})")
    for reason in result.reasons:
        click.echo(f"  - {reason.text}" + (f" [{reason.statement_id}]" if reason.statement_id else ""))
    shown = result.shown
    if not shown:
        closest = max((e.similarity for e in result.evidence), default=None)
        far = f" (the closest has similarity {closest:.2f})" if closest is not None else ""
        click.echo(f"\nEvidence:   no statement in the corpus is about this claim{far}.")
        return
    click.echo("\nEvidence (most similar first; [similarity]):")
    for number, e in enumerate(shown, start=1):
        s = e.statement
        origin = " · ".join(x for x in (s.source, s.publisher if s.publisher != s.source else "", s.date) if x)
        click.echo(f"{number:>2}. {e.stance.value:<11} [{e.similarity:.3f}] {s.text}")
        click.echo(f"    {origin or 'no source'}{'  ' + s.url if s.url else ''}  (id {s.id})")
        for f in e.findings:
            if f.outcome.value in {"consistent", "inconsistent"} or f.kind.value == "reading":
                click.echo(f"      {f.kind.value}: {f.reason}")
        if e.stance.value == "neutral" and e.note:
            click.echo(f"      neutral because it {e.note}")


@cli.command("info")
@INDEX_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def info_cmd(settings: Settings, index_dir: str, as_json: bool) -> None:
    """Show what an index holds: count, model, dimension, dates, sources.

    \b
    Example:
        verifier info --index var/demo-index
    """
    info = Verifier.inspect(index_dir)  # the manifest alone: no model loading for a look inside
    if as_json:
        stance = Verifier.describe_stance_model(settings)
        click.echo(json.dumps({"path": index_dir, **info.manifest_dict(), "stance_model": stance},
                              indent=2, ensure_ascii=False))
        return
    dates = " to ".join(info.dates) if info.dates else "none given"
    click.echo(
        f"Index:       {index_dir}\nStatements:  {info.count}\nModel:       {info.model} "
        f"(dim {info.dim}, weights sha256 {info.model_sha256[:16]}…)\nEncoder:     "
        f"{info.encoder_backend}, vectors {info.vector_search} in {_vector_place(info)}, context {info.index_context}\nCreated:     {info.created}\n"
        f"Updated:     {info.updated}\nDates:       {dates}\nFormat:      {info.format_version}"
    )
    stance = Verifier.describe_stance_model(settings)
    click.echo(f"Stance:      {stance['name']} (sha256 {stance['sha256'][:16]}…)" if stance
               else "Stance:      off (similarity rules)")
    for title, counts in (("Sources", info.sources), ("Publishers", info.publishers)):
        click.echo(f"{title}:")
        for name, n in list(counts.items())[:20]:
            click.echo(f"  {n:>7}  {name}")
        if len(counts) > 20:
            click.echo(f"  … and {len(counts) - 20} more")


@cli.command("settings")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_obj
def settings_cmd(settings: Settings, as_json: bool) -> None:
    """List every setting with its current value and what it does.

    \b
    Example:
        verifier --set top_k=5 settings
    """
    rows = [{**row, "value": _shown(settings, row)} for row in Settings.table()]
    if as_json:
        click.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        click.echo(f"{row['name']} = {row['value']!r}  ({row['type']}, default {row['default']!r})")
        click.echo(f"    {row['help']}")


def _shown(settings: Settings, row: dict[str, Any]) -> Any:
    value = getattr(settings, row["name"])
    return "(set)" if row["secret"] and value else value


cli.add_command(eval_cmd)
cli.add_command(batch_cmd)
cli.add_command(check_text_cmd)


def _load_plugins() -> None:
    for ep in entry_points(group="verifier.commands"):
        if ep.name not in cli.commands:
            cli.add_command(ep.load(), ep.name)


def main() -> None:
    _load_plugins()
    cli()


def _vector_place(info: Any) -> str:
    """Where `verifier info` says the vectors are: FAISS, or the Milvus collection and where it lives."""
    if info.vector_store == "milvus":
        return f"Milvus collection {info.collection} at {info.milvus_uri}"
    return "FAISS"
