"""The server's check queue (web/check_queue.py): concurrent checks grouped into one `check_many` call with the
same results as alone, a batch taken a group at a time in turn with other requests, the limits (characters
per batch: 413; a full queue: 503 with Retry-After), health answering while a batch is being checked, and
nothing of a request kept after it is answered."""

import gc
import threading
import weakref
from types import SimpleNamespace
from concurrent.futures import ThreadPoolExecutor

import pytest

from verifier import Settings, Verifier
from web.check_queue import Busy, CheckQueue

from conftest import make_app

CLAIMS = ["Over 1,000 Afghan troops fled into Tajikistan", "2,000 Afghan troops fled into Tajikistan",
          "Russia has a military base in Tajikistan", "Joe Biden ordered US forces out of Afghanistan",
          "The Taliban seized Afghanistan's main border crossing into Tajikistan in June 2021",
          "Tajikistan sent 20,000 reservists to its border with Afghanistan"]


def assert_error(response, status, code, field=None):
    assert response.status_code == status, response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert error["code"] == code and error.get("field") == field
    return error


@pytest.fixture
def groups(monkeypatch):
    """Every `Verifier.check_many` call's claims, in order; a test may hold calls at `groups.gate`."""
    spied = SimpleNamespace(calls=[], gate=threading.Event(), entered=threading.Event())
    spied.gate.set()
    original = Verifier.check_many

    def spy(self, claims, *args, **kwargs):
        spied.calls.append([str(c) for c in claims])
        spied.entered.set()
        spied.gate.wait(30)
        return original(self, claims, *args, **kwargs)

    monkeypatch.setattr(Verifier, "check_many", spy)
    return spied


def post_all(client, bodies, path="/api/v1/check"):
    with ThreadPoolExecutor(len(bodies)) as pool:
        return list(pool.map(lambda body: client.post(path, json=body), bodies))


# --- grouping --------------------------------------------------------------------------------------------------
def test_concurrent_checks_are_grouped_into_one_check_many_call(fake_verifier, tmp_path, groups):
    # The worker waits (up to 10 s) for a full group of 4: four requests at once make one call.
    client = make_app(fake_verifier, tmp_path, queue_workers=1, queue_batch_size=4, queue_wait_ms=10_000).test_client()
    responses = post_all(client, [{"claim": c} for c in CLAIMS[:4]])
    assert [r.status_code for r in responses] == [200] * 4
    assert [r.get_json()["claim"] for r in responses] == CLAIMS[:4]
    assert len(groups.calls) == 1 and sorted(groups.calls[0]) == sorted(CLAIMS[:4])


def test_claims_asking_for_different_top_k_go_in_different_calls(fake_verifier, tmp_path, groups):
    client = make_app(fake_verifier, tmp_path, queue_workers=1, queue_batch_size=4, queue_wait_ms=300).test_client()
    responses = post_all(client, [{"claim": CLAIMS[0], "top_k": 2}, {"claim": CLAIMS[1], "top_k": 3}])
    assert [len(r.get_json()["evidence"]) for r in responses] == [2, 3]
    assert sorted(map(len, groups.calls)) == [1, 1]


def test_a_batch_is_checked_a_group_at_a_time_and_a_check_arriving_meanwhile_goes_in_the_next(
        fake_verifier, tmp_path, groups):
    client = make_app(fake_verifier, tmp_path, queue_workers=1, queue_batch_size=2, queue_wait_ms=0).test_client()
    groups.gate.clear()
    with ThreadPoolExecutor(2) as pool:
        batch = pool.submit(client.post, "/api/v1/check/batch", json={"claims": CLAIMS})
        assert groups.entered.wait(30)  # the batch's first group is being checked, and held there
        single = pool.submit(client.post, "/api/v1/check", json={"claim": "Uzbekistan returned 46 Afghan aircraft"})
        while client.application.extensions["checks"].held != (len(CLAIMS) + 1, 2):
            threading.Event().wait(0.01)
        # Health and the pages answer while the batch is being checked (held, here, until released).
        assert client.get("/api/v1/health").status_code == 200
        assert client.get("/about").status_code == 200 and not batch.done()
        groups.gate.set()
        assert batch.result().status_code == 200 and single.result().status_code == 200
    assert groups.calls[0] == CLAIMS[:2]
    assert "Uzbekistan returned 46 Afghan aircraft" in groups.calls[1]  # not after the batch's last claims
    assert sorted(c for g in groups.calls for c in g) == sorted(CLAIMS + ["Uzbekistan returned 46 Afghan aircraft"])
    assert [r["claim"] for r in batch.result().get_json()["results"]] == CLAIMS


@pytest.mark.parametrize("path", ["/api/v1/check/text", "/text"])
def test_a_text_waits_in_the_queue_with_the_other_checks(fake_verifier, tmp_path, groups, path):
    # Its checkable sentences and a single check arriving at the same time make one group: the text is not
    # checked beside the queue, where it would share the cores with the queue's workers unbounded.
    text = "Over 1,000 Afghan troops fled into Tajikistan. Russia has a military base in Tajikistan."
    client = make_app(fake_verifier, tmp_path, queue_workers=1, queue_batch_size=3, queue_wait_ms=10_000).test_client()
    send = ((lambda: client.post(path, json={"text": text})) if path.startswith("/api")
            else (lambda: client.post(path, data={"text": text, "format": "text"})))
    with ThreadPoolExecutor(2) as pool:
        texts = pool.submit(send)
        single = pool.submit(client.post, "/api/v1/check", json={"claim": CLAIMS[3]})
        assert texts.result().status_code == 200 and single.result().status_code == 200
    assert len(groups.calls) == 1 and sorted(groups.calls[0]) == sorted([CLAIMS[3]] + [s + "." for s in (CLAIMS[0], CLAIMS[2])])
    assert client.application.extensions["checks"].groups == 1


def test_a_claim_whose_checks_raise_fails_its_request_alone(fake_verifier, tmp_path, monkeypatch):
    import verifier.core

    original = verifier.core.judge

    def judge(claim, *args, **kwargs):
        if "explodes" in claim:
            raise RuntimeError("a bug this claim triggers")
        return original(claim, *args, **kwargs)

    monkeypatch.setattr(verifier.core, "judge", judge)
    client = make_app(fake_verifier, tmp_path, queue_workers=1, queue_batch_size=2, queue_wait_ms=5_000).test_client()
    bad, good = post_all(client, [{"claim": "This claim explodes"}, {"claim": CLAIMS[0]}])
    assert_error(bad, 500, "internal_error")
    assert good.status_code == 200 and good.get_json()["claim"] == CLAIMS[0]


@pytest.mark.model
@pytest.mark.parametrize("workers", [1, 2])
def test_grouped_checks_give_exactly_the_results_of_single_checks(demo_verifier, tmp_path, workers):
    alone = [demo_verifier.check(c).to_dict() for c in CLAIMS]
    client = make_app(demo_verifier, tmp_path, queue_workers=workers, queue_batch_size=3,
                      queue_wait_ms=200).test_client()
    grouped = [r.get_json() for r in post_all(client, [{"claim": c} for c in CLAIMS])]
    batch = client.post("/api/v1/check/batch", json={"claims": CLAIMS}).get_json()["results"]
    assert grouped == alone
    assert batch == [{"id": str(i), **result} for i, result in enumerate(alone)]


# --- limits ----------------------------------------------------------------------------------------------------
def test_a_batch_over_max_batch_chars_is_a_413_json_error(fake_verifier, tmp_path, groups):
    client = make_app(fake_verifier, tmp_path, max_batch_chars=100, queue_workers=1).test_client()
    claims = ["x" * 40 + " troops", "y" * 40 + " troops", "z" * 10]  # 47 + 47 + 10 = 104 characters
    error = assert_error(client.post("/api/v1/check/batch", json={"claims": claims}), 413, "payload_too_large",
                         "claims")
    assert "104 characters" in error["message"] and "max_batch_chars" in error["message"]
    assert client.post("/api/v1/check/batch", json={"claims": claims[:2]}).status_code == 200
    assert client.get("/api/v1/info").get_json()["limits"]["max_batch_chars"] == 100
    assert groups.calls == [claims[:2]]  # the refused batch never reached the queue


def test_a_batch_file_over_max_batch_chars_is_refused_on_the_page(fake_verifier, tmp_path):
    import io

    client = make_app(fake_verifier, tmp_path, max_batch_chars=50, queue_workers=1).test_client()
    data = {"claims": (io.BytesIO(("a claim of some thirty characters\n" * 2).encode()), "claims.txt")}
    page = client.post("/batch/", data=data, content_type="multipart/form-data")
    assert page.status_code == 413 and "max_batch_chars" in page.get_data(as_text=True)


def test_a_full_queue_answers_503_with_retry_after_in_the_error_shape(fake_verifier, tmp_path, groups):
    client = make_app(fake_verifier, tmp_path, queue_workers=1, queue_claims=3).test_client()
    groups.gate.clear()
    with ThreadPoolExecutor(1) as pool:
        held = pool.submit(client.post, "/api/v1/check/batch", json={"claims": CLAIMS[:3]})
        assert groups.entered.wait(30)
        response = client.post("/api/v1/check", json={"claim": CLAIMS[3]})
        error = assert_error(response, 503, "busy")
        assert "queue_claims" in error["message"] and int(response.headers["Retry-After"]) >= 1
        assert response.headers["Content-Security-Policy"]  # the app's own answer, with its headers
        page = client.get("/?claim=" + CLAIMS[3])
        assert page.status_code == 503 and page.headers["Retry-After"]
        assert client.get("/api/v1/health").status_code == 200
        groups.gate.set()
        assert held.result().status_code == 200
    assert client.post("/api/v1/check", json={"claim": CLAIMS[3]}).status_code == 200  # room again


def test_checking_requests_leave_threads_for_health_and_pages(fake_verifier):
    queue = CheckQueue(lambda: fake_verifier, Settings(web_threads=6, queue_workers=1))
    gate = threading.Event()
    original = fake_verifier.check_many
    with ThreadPoolExecutor(2) as pool:
        fake_verifier.check_many = lambda *a, **k: (gate.wait(30), original(*a, **k))[1]
        try:
            first = pool.submit(queue.check, CLAIMS[0])
            second = pool.submit(queue.check, CLAIMS[1])
            while queue.held[1] < 2:
                threading.Event().wait(0.01)
            with pytest.raises(Busy):  # 6 threads, 4 kept for the rest: 2 checking requests at once
                queue.check(CLAIMS[2])
            gate.set()
            assert first.result().claim == CLAIMS[0] and second.result().claim == CLAIMS[1]
        finally:
            del fake_verifier.check_many
    assert queue.check(CLAIMS[2]).claim == CLAIMS[2]


def test_nothing_of_a_request_is_kept_once_it_is_answered(fake_verifier):
    queue = CheckQueue(lambda: fake_verifier, Settings(queue_workers=1, queue_batch_size=2))
    results = queue.check_many(CLAIMS, ids=[f"c{i}" for i in range(len(CLAIMS))])
    assert [r.id for r in results] == [f"c{i}" for i in range(len(CLAIMS))] and queue.groups == 3
    assert queue.held == (0, 0)
    refs = [weakref.ref(r) for r in results]
    del results
    gc.collect()
    assert not [r for r in refs if r() is not None]
