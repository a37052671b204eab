"""`verifier eval`: run the pipeline and its baselines on a labelled set, print the scores, write JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from .. import Settings, Verifier, load_encoder
from .datasets import LabelledSet, checkthat, climate_fever, generic, healthver_pairs
from .harness import evaluate_claims, evaluate_pairs, has_number

PARTS = ("tune", "test", "all")


@click.command("eval")
@click.argument("dataset", type=click.Choice(["climate-fever", "healthver", "checkthat", "jsonl"]))
@click.argument("path", type=click.Path(exists=True))
@click.option("--part", type=click.Choice(PARTS), default="test", show_default=True,
              help="tune: the part thresholds were chosen on; test: the untouched part.")
@click.option("--corpus", type=click.Path(exists=True, dir_okay=False), help="Corpus JSONL (for the jsonl format).")
@click.option("--work", type=click.Path(file_okay=False), default="var/eval", show_default=True,
              help="Where the evaluation indexes are built (and reused).")
@click.option("--rebuild", is_flag=True, help="Rebuild the evaluation index even if one exists.")
@click.option("--out", type=click.Path(dir_okay=False), help="Write the JSON report here.")
@click.pass_obj
def eval_cmd(settings: Settings, dataset: str, path: str, part: str, corpus: str | None, work: str,
             rebuild: bool, out: str | None) -> None:
    """Score verdicts, stances and evidence retrieval on a labelled set, next to named baselines.

    Climate-FEVER and HealthVer are split by id parity (even ids: tune, odd: test); CheckThat uses its
    train split as tune and dev as test. Scores on the tune part are not results.

    \b
    Example:
        verifier eval climate-fever ../shared/data/climate-fever/climate-fever.jsonl --part test --out cf.json
        verifier eval healthver ../shared/data/healthver/healthver_dev.csv
    """
    if dataset == "healthver":
        pairs = [p for p in healthver_pairs(path) if _in_part(int(p.topic or 0), part)]
        report = {"dataset": "healthver", "part": part, **evaluate_pairs(load_encoder(settings), pairs, settings)}
    else:
        data = _load(dataset, path, part, corpus)
        queries = [q for q in data.queries if dataset in {"checkthat", "jsonl"} or _in_part(int(q.id), part)]
        verifier, id_map = _index(data, Path(work) / data.name, settings, rebuild)
        subsets = {"with numbers": lambda q: has_number(q.text)} if dataset == "climate-fever" else {}
        report = {"part": part, **evaluate_claims(verifier, data, queries, id_map, subsets=subsets)}
    _print(report)
    if out:
        Path(out).write_text(json.dumps(report, indent=2), encoding="utf-8")
        click.echo(f"\nwrote {out}")


def _in_part(number: int, part: str) -> bool:
    return part == "all" or (number % 2 == 0) == (part == "tune")


def _load(dataset: str, path: str, part: str, corpus: str | None) -> LabelledSet:
    if dataset == "climate-fever":
        return climate_fever(path)
    if dataset == "checkthat":
        return checkthat(path, "train" if part == "tune" else "dev")
    if not corpus:
        raise click.UsageError("the jsonl format needs --corpus CORPUS.jsonl")
    return generic(path, corpus)


def _index(data: LabelledSet, folder: Path, settings: Settings, rebuild: bool) -> tuple[Verifier, dict[str, str]]:
    """The evaluation index for this set's corpus, built once and reused while it was built with the embedder and
    index_context the settings name (an index of the base model would otherwise keep it: model_path_for_index);
    dropped duplicates map to kept ids."""
    dup_file = folder / "duplicates.json"
    if not rebuild and dup_file.is_file():
        info = Verifier.inspect(folder / "index")
        rebuild = (info.model_sha256 != load_encoder(settings).model.weights_sha256
                   or info.index_context != settings.index_context)
    if rebuild or not dup_file.is_file():
        report = Verifier.build(folder / "index", statements=data.corpus, settings=settings)
        folder.mkdir(parents=True, exist_ok=True)
        dup_file.write_text(json.dumps({d.id: d.duplicate_of for d in report.duplicates}))
    return Verifier.open(folder / "index", settings), json.loads(dup_file.read_text())


def _print(report: dict[str, Any]) -> None:
    click.echo(f"{report['dataset']} ({report['part']} part)")
    if report["dataset"] == "healthver":
        click.echo(f"pairs: {report['pairs']}")
        for name, s in report["systems"].items():
            click.echo(f"  {name:<18} accuracy {s['accuracy']:.3f}  macro-F1 {s['macro_f1']:.3f}")
        _confusion(report["systems"]["verifier"]["confusion"])
        return
    for subset in next(iter(report["systems"].values())):
        click.echo(f"\n[{subset}]")
        click.echo(f"  {'system':<18} {'n':>5} {'acc':>6} {'F1':>6} {'R@5':>6} {'R@10':>6} {'MRR':>6}")
        for name, parts in report["systems"].items():
            v, r = parts[subset]["verdict"], parts[subset]["retrieval"]
            verdict = f"{v['accuracy']:6.3f} {v['macro_f1']:6.3f}" if v["n"] else f"{'-':>6} {'-':>6}"
            click.echo(f"  {name:<18} {v['n']:>5} {verdict} "
                       f"{r.get('recall@5', 0):6.3f} {r.get('recall@10', 0):6.3f} {r.get('mrr', 0):6.3f}")
        ours = report["systems"]["verifier"][subset]
        if ours["verdict"]["n"]:
            _confusion(ours["verdict"]["confusion"])
        if ours["disputed"]:
            click.echo(f"  disputed claims were judged: {ours['disputed']}")


def _confusion(confusion: dict[str, dict[str, int]]) -> None:
    columns = sorted({c for row in confusion.values() for c in row} | set(confusion))
    click.echo("  confusion (rows gold, columns predicted):")
    click.echo("  " + " " * 20 + "".join(f"{c[:12]:>13}" for c in columns))
    for gold, row in confusion.items():
        click.echo(f"  {gold:<20}" + "".join(f"{row.get(c, 0):>13}" for c in columns))
