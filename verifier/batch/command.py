"""`verifier batch`: the command line of batch checking (joined to the `verifier` group in verifier/cli.py).

Exit codes: 0 every line was checked; 1 some lines failed (bad input lines, written with an `error`);
2 the run could not start or stopped (bad arguments, no index, a results file that is not one, an input
that changed under `--out`, unreadable input); 130 interrupted, where the results so far are kept and the
same command resumes.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import click

from .. import Settings, Verdict, Verifier, VerifierError
from .run import BatchRun, BatchSummary


class RunError(click.ClickException):
    exit_code = 2


@click.command("batch")
@click.argument("claims_file", type=click.Path(exists=True, dir_okay=False))
@click.option("--index", "index_dir", required=True, type=click.Path(file_okay=False), help="Index folder.")
@click.option("--out", required=True, type=click.Path(dir_okay=False),
              help="Results file: .jsonl (everything) or .csv (a summary with the top statement).")
@click.option("-k", "--top-k", "k", type=click.IntRange(1, 100), default=None, help="How many statements to weigh.")
@click.option("--overwrite", is_flag=True, help="Start the results file over instead of resuming it.")
@click.option("--quiet", is_flag=True, help="No progress bar (there is none either when stderr is not a terminal).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help="Where the checks run: this process, or Ray Data actors (needs the 'scale' extra).")
@click.option("--address", default=None,
              help="With --engine ray: the Ray cluster to join (ray://host:10001, host:6379 or auto); "
                   "default: start Ray on this machine.")
@click.option("--actors", type=click.IntRange(1), default=None,
              help="With --engine ray: how many actors (each loads one Verifier); default: the cluster's CPUs.")
@click.pass_obj
def batch_cmd(settings: Settings, claims_file: str, index_dir: str, out: str, k: int | None, overwrite: bool,
              quiet: bool, as_json: bool, engine: str, address: str | None, actors: int | None) -> None:
    """Check every claim of CLAIMS_FILE and write one result per line, in input order, to --out.

    CLAIMS_FILE is .txt (one claim a line), .csv (a 'claim' column, optional 'id'; other columns are
    carried through) or .jsonl ({"id": ..., "claim": ...}; other fields carried through). Results are
    written a chunk at a time (setting batch_chunk_size); rerunning with the same --out skips what is
    already there, so an interrupted run resumes. If the input changed under --out, the run refuses:
    use --overwrite or another --out. A bad line (empty, unreadable, too long) gets a record with an
    'error' and the run goes on.

    Exit codes: 0 all lines checked, 1 some lines failed, 2 the run could not start or stopped,
    130 interrupted (rerun to resume).

    With --engine ray the same run's checks go to Ray Data (an actor pool, each actor holding one loaded
    Verifier): the same records in the same order, the same resume rules and summary.

    \b
    Example:
        verifier batch claims.csv --index var/demo-index --out results.csv
        verifier batch claims.csv --index var/demo-index --out results.csv --engine ray
    """
    if engine == "local" and (address or actors):
        raise RunError("--address and --actors go with --engine ray")
    progress = not quiet and _stderr_is_terminal()
    try:
        if engine == "ray":
            from .ray_engine import RayBatchRun  # Ray is imported only when chosen

            run = RayBatchRun(index_dir, settings, claims_file, out, address=address, actors=actors, k=k,
                              overwrite=overwrite, progress=progress)
        else:
            run = BatchRun(Verifier.open(index_dir, settings), claims_file, out, k=k, overwrite=overwrite,
                           progress=progress)
    except VerifierError as exc:
        raise RunError(str(exc)) from exc
    try:
        summary = run.run()
    except KeyboardInterrupt:
        click.echo(f"\nInterrupted. The results of the claims checked so far are in {out}; run the same command "
                   "again to resume.", err=True)
        sys.exit(130)
    except UnicodeDecodeError as exc:
        raise RunError(f"{claims_file} is not UTF-8 text (after its first {run.summary.total} lines with claims: "
                       f"{exc.reason}); save it as UTF-8 and run the same command again to resume") from exc
    except (VerifierError, OSError) as exc:
        raise RunError(str(exc)) from exc
    report(summary, as_json)
    sys.exit(summary.exit_code)


def _stderr_is_terminal() -> bool:
    return sys.stderr.isatty()


def report(summary: BatchSummary, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(summary.to_dict(), indent=2, ensure_ascii=False))
        return
    for failure in summary.failures:
        click.echo(f"failed line {failure['line']} ({failure['key']}): {failure['error']}", err=True)
    if summary.failed > len(summary.failures):
        click.echo(f"… and {summary.failed - len(summary.failures)} more failed lines (see their 'error')", err=True)
    resumed = f"; {summary.resumed} were already there" if summary.resumed else ""
    torn = " (dropped one record an interrupted run left half-written)" if summary.torn_dropped else ""
    click.echo(f"Checked {summary.checked} claims in {summary.seconds:.1f} s ({summary.rate:.1f} claims/s){resumed}{torn}.")
    counts = ", ".join(f"{n} {verdict.replace('_', ' ')}" for verdict, n in _ordered(summary.verdicts))
    click.echo(f"{summary.output}: {summary.total} records: {counts or 'no verdicts'}; {summary.failed} failed.")


def _ordered(verdicts: Any) -> list[tuple[str, int]]:
    order = [verdict.value for verdict in Verdict]
    return sorted(verdicts.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order))
