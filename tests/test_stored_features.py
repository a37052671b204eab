"""Check features stored at index time (verifier/checks/stored.py): a check that reads a statement's figures,
dates and names back from the index gives exactly the result of one that extracts them, it really does read
them back, and a blob that is foreign, damaged or made under other settings is ignored, never trusted."""

import datetime
import functools
import os
import pickle
import sqlite3
import sys

import pytest

from verifier import Settings, Verifier
from verifier.checks.dates import mentions as dates
from verifier.checks.entities import mentions as names
from verifier.checks.memo import Seedable
from verifier.checks.numbers import mentions as figures
from verifier.checks.stored import features_of, seed

from conftest import DEMO, FakeEncoder

CLAIMS = [
    "Over 1,000 Afghan troops fled into Tajikistan in July 2021",
    "2,000 Afghan troops fled into Uzbekistan",
    "The Taliban seized Afghanistan's main border crossing into Tajikistan in June 2021",
    "Tajikistan sent 20,000 reservists to its border with Afghanistan",
    "Russia has a military base in Tajikistan",
]
JULY_6 = datetime.date(2021, 7, 6)
STATEMENT = "Tajikistan said 1,037 Afghan soldiers crossed the border on 5 July, some 32 kilometres from Kulob."


def empty_caches() -> None:
    """Every per-text memo of the checks empty, as in a process that has met none of these texts."""
    for name, module in list(sys.modules.items()):
        if name.startswith(("verifier.checks", "verifier.verdict")):
            for value in vars(module).values():
                if isinstance(value, (functools._lru_cache_wrapper, Seedable)):
                    value.cache_clear()


def extractions() -> int:
    return sum(f._extract.cache_info().misses for f in (figures, dates, names))


def check_all(verifier: Verifier) -> tuple[list[dict], int]:
    empty_caches()
    results = [verifier.check(c).to_dict() for c in CLAIMS]
    return results, extractions()


@pytest.fixture(scope="module")
def indexes(tmp_path_factory):
    root = tmp_path_factory.mktemp("stored")
    Verifier.build(root / "stored", [DEMO], encoder=FakeEncoder())
    Verifier.build(root / "extracted", [DEMO], encoder=FakeEncoder(), settings=Settings(store_features=False))
    return root


def test_a_check_reads_stored_features_back_and_gets_the_same_result(indexes):
    stored, extracted = (Verifier.open(indexes / name, encoder=FakeEncoder()) for name in ("stored", "extracted"))
    with_stored, stored_extractions = check_all(stored)
    without, extracted_extractions = check_all(extracted)
    assert with_stored == without
    assert any(e["stance"] != "neutral" for r in without for e in r["evidence"])  # the checks had work to do
    # Only the claims' own texts are extracted when the statements' features are read back.
    assert stored_extractions < extracted_extractions
    assert stored_extractions <= 3 * len(CLAIMS)


def test_an_index_made_before_stored_features_checks_as_it_always_did(indexes, tmp_path):
    import shutil

    old = tmp_path / "old"
    shutil.copytree(indexes / "stored", old)
    for db in old.rglob("statements.sqlite"):
        with sqlite3.connect(db) as con:
            con.execute("DROP TABLE features")
        con.close()
    results, n = check_all(Verifier.open(old, encoder=FakeEncoder()))
    assert results == check_all(Verifier.open(indexes / "extracted", encoder=FakeEncoder()))[0]
    assert n > 3 * len(CLAIMS)


class _Shell:
    def __reduce__(self):
        return (os.system, ("echo stored features ran a command",))


def test_a_blob_naming_anything_but_check_types_is_refused():
    empty_caches()
    assert seed(STATEMENT, None, Settings(), pickle.dumps(_Shell())) is False
    assert seed(STATEMENT, None, Settings(), b"not a pickle") is False
    assert seed(STATEMENT, None, Settings(), None) is False
    assert figures._extract._seeded == {} and dates._extract._seeded == {} and names._extract._seeded == {}


def test_features_made_under_other_number_settings_or_another_date_are_not_used():
    settings = Settings()
    blob = features_of(STATEMENT, "2021-07-06", settings.replace(approx_tolerance=0.2))
    assert seed(STATEMENT, "2021-07-06", settings, blob) is False  # the figures' intervals would differ
    blob = features_of(STATEMENT, "2021-07-06", settings)
    assert seed(STATEMENT, "2022-01-01", settings, blob) is False  # "5 July" means another day
    assert seed(STATEMENT, "2021-07-06", settings, blob) is True


def test_seeded_features_are_what_extraction_gives():
    settings = Settings()
    blob = features_of(STATEMENT, "2021-07-06", settings)
    empty_caches()
    assert seed(STATEMENT, "2021-07-06", settings, blob)
    seeded = (figures.extract_quantities(STATEMENT, settings), dates.extract_dates(STATEMENT, JULY_6),
              names.extract_entities(STATEMENT))
    assert [q.written for q in seeded[0]] == ["1,037", "some 32 kilometres"]
    empty_caches()
    extracted = (figures.extract_quantities(STATEMENT, settings), dates.extract_dates(STATEMENT, JULY_6),
                 names.extract_entities(STATEMENT))
    assert seeded == extracted
    assert [d.start for d in seeded[1]] == [JULY_6 - datetime.timedelta(days=1)]
