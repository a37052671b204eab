"""Claims read side by side by the stance model (`read_all` with workers, as `check_many` does on several
cores) get the readings they get one by one, each in its place."""

import threading

import pytest

from verifier import Settings
from verifier.verdict import read_all
from verifier.verdict.model import StanceModel, load_stance_model

CLAIMS = [
    "Over 1,000 Afghan troops fled into Tajikistan in July 2021",
    "2,000 Afghan troops fled into Tajikistan",
    "The Taliban captured Kabul in July 2021",
    "Tajikistan closed its border with Afghanistan",
    "Russia has a military base in Tajikistan",
    "Afghan soldiers crossed into Uzbekistan",
]


@pytest.mark.model
def test_claims_read_side_by_side_get_the_readings_they_get_one_by_one(demo_verifier, monkeypatch):
    settings = Settings()
    hits = demo_verifier.search_many(CLAIMS)
    alone = read_all(load_stance_model(), CLAIMS, hits, settings)
    threads: set[str] = set()
    predict = StanceModel.predict_windows

    def recorded(self, pairs):
        threads.add(threading.current_thread().name)
        return predict(self, pairs)

    monkeypatch.setattr(StanceModel, "predict_windows", recorded)
    together = read_all(load_stance_model(threads=1), CLAIMS, hits, settings, workers=3)
    assert together == alone
    assert sum(r is not None and r.read for found in alone for r in found) >= len(CLAIMS)  # the model did read
    assert len(threads) > 1 and all(name.startswith("stance-read") for name in threads)


@pytest.mark.model
def test_check_many_on_several_cores_gives_what_check_gives(demo_verifier):
    many = demo_verifier.configure(threads=2).check_many(CLAIMS)
    one = [demo_verifier.configure(threads=1).check(claim) for claim in CLAIMS]
    assert [r.to_dict() for r in many] == [r.to_dict() for r in one]
