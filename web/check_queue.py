"""The check queue: every claim the server checks, from every request thread, waits here and is checked in
groups, each group one `Verifier.check_many` call (one encoder call, one FAISS search, the checks).

    queue = CheckQueue(lambda: engine.verifier, settings)
    queue.check_many(claims, k, ids)     # blocks until done; Busy (-> 503 + Retry-After) if the queue is full

Why a queue. Each request checking its claim alone encodes and searches one claim at a time, and every
request thread drives the same encoder and stance model at once; one large batch request held the
cores for seconds while health waited behind it (issue 12). Here:
- Grouping: a worker takes the first waiting claim, waits at most `queue_wait_ms` for others (up to
  `queue_batch_size`), and checks them together. Claims of different requests are checked exactly as
  alone: the encoder pads each text's own attention away, the stance model reads one claim per call
  (`verdict.read_all`), so a result never depends on the claims it was grouped with.
- Fairness: a request's claims (one claim, a batch, or a text's checkable sentences) wait as one ticket; a
  group takes one claim from each ticket in turn, so a 200-claim batch is checked a group at a time and a
  single check arriving meanwhile is in the next group.
- Bounds: a request is admitted only if the claims held (waiting or being checked) stay within
  `queue_claims` and the requests within `max_requests` (the server keeps some threads for health and
  pages); otherwise it is refused at once with `Busy`, which says when to retry from the recent rate.
  Nothing of a request outlives it: its ticket is dropped when it is answered.
- Workers: `queue_workers` threads (default one per core) each check a group at a time; with more than one,
  each runs single-threaded ONNX sessions (`Verifier.single_threaded`), so one worker's encoder or stance
  model runs while another runs the Python checks, as the batch runner's single-threaded encoder sessions
  do beside its checks (measured there). `benchmarks/serve_load.py --compare-workers` puts one worker
  against this in the server; that comparison is still to be run on a quiet machine (docs/speed.md).
Workers start with the first claim and end after `IDLE_S` seconds without one.

Written here rather than taken from a library: the grouping must hand whole claims to `check_many` and
share the worker threads fairly between requests, which task queues (concurrent.futures, Celery, rq) and
micro-batching helpers, built for one call per item, do not do.
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from verifier import Result, Settings, Verifier

IDLE_S = 30.0  # a worker with nothing to do for this long ends; the next claim starts it again
LIGHT_THREADS = 4  # request threads never admitted to the queue: health, pages and refusals stay quick
RATE_DECAY = 0.8  # weight of the past in the claims/s estimate that Retry-After is drawn from


class Busy(Exception):
    """The queue holds as much as it may: try again after `retry_after` seconds."""

    def __init__(self, message: str, retry_after: int):
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(eq=False)
class _Ticket:
    """One request's claims, answered when every one is checked."""

    texts: Sequence[str]
    ids: Sequence[str | None]
    k: int | None
    results: list[Any] = field(init=False)
    taken: int = 0  # claims handed to workers so far (they are taken in order)
    left: int = field(init=False)  # claims not yet checked
    done: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self.results = [None] * len(self.texts)
        self.left = len(self.texts)

    @property
    def waiting(self) -> int:
        return len(self.texts) - self.taken


class CheckQueue:
    def __init__(self, verifier: Callable[[], Verifier], settings: Settings, max_requests: int | None = None):
        self._verifier = verifier
        self._batch_size = max(1, settings.queue_batch_size)
        self._wait_s = max(0.0, settings.queue_wait_ms / 1000)
        self._max_claims = max(1, settings.queue_claims)
        self._max_requests = max_requests if max_requests is not None else max(1, settings.web_threads - LIGHT_THREADS)
        self._workers = settings.queue_workers or os.cpu_count() or 1
        self._cond = threading.Condition()
        self._tickets: deque[_Ticket] = deque()  # tickets with claims not yet handed out, in turn
        self._held_claims = 0  # claims of admitted requests not yet answered
        self._held_requests = 0
        self._running = 0  # worker threads alive
        self._collecting = False  # a worker is gathering a group (the others wait their turn)
        self._rate: float | None = None  # claims/s, from recent groups
        self.groups = 0  # groups checked so far (for the tests and the benchmark)

    # --- request threads -------------------------------------------------------------------------------
    def check(self, claim: str, k: int | None = None) -> Result:
        return self.check_many([claim], k)[0]

    def check_many(self, claims: Sequence[str], k: int | None = None,
                   ids: Sequence[str | None] | None = None) -> list[Result]:
        """Results in the order of `claims`, as `Verifier.check_many` gives them; Busy if the queue is full.

        A claim whose checks raise fails the request with its exception (the error handler makes it a 500),
        not the other claims of its group."""
        self._verifier()  # not loaded yet (NotReady) or failed: say so now, not from a worker
        if not claims:
            return []
        ticket = _Ticket(list(claims), list(ids) if ids is not None else [None] * len(claims), k)
        self._admit(ticket)
        try:
            ticket.done.wait()
        finally:
            self._release(ticket)
        for outcome in ticket.results:
            if isinstance(outcome, BaseException):
                raise outcome
        return ticket.results

    def warm_up(self, verifier: Verifier) -> None:
        """Load and run once the sessions the workers will use, so that the first group builds nothing."""
        if self._workers > 1:
            verifier.single_threaded().warm_up()

    @property
    def held(self) -> tuple[int, int]:
        """(claims, requests) admitted and not yet answered."""
        with self._cond:
            return self._held_claims, self._held_requests

    def _admit(self, ticket: _Ticket) -> None:
        n = len(ticket.texts)
        with self._cond:
            if self._held_requests >= self._max_requests:
                raise Busy(f"the server is checking {self._held_requests} requests, its limit; try again shortly",
                           self._retry_after())
            if self._held_claims + n > self._max_claims:
                raise Busy(f"the server holds {self._held_claims} claims to check and takes at most "
                           f"{self._max_claims} at once (setting queue_claims); these {n} would go over, try again "
                           "shortly", self._retry_after(n))
            self._held_claims += n
            self._held_requests += 1
            self._tickets.append(ticket)
            if self._running < self._workers:
                self._running += 1
                threading.Thread(target=self._work, name=f"check-worker-{self._running}", daemon=True).start()
            self._cond.notify_all()

    def _release(self, ticket: _Ticket) -> None:
        with self._cond:
            if ticket.waiting:  # the request thread was interrupted: drop what was not yet handed out
                ticket.taken = len(ticket.texts)
                if ticket in self._tickets:
                    self._tickets.remove(ticket)
            self._held_claims -= len(ticket.texts)
            self._held_requests -= 1

    def _retry_after(self, extra: int = 1) -> int:
        """Seconds until the claims held now (and `extra` more) are likely checked, at the recent rate."""
        if not self._rate:
            return 1
        return max(1, min(120, math.ceil((self._held_claims + extra) / self._rate)))

    # --- workers --------------------------------------------------------------------------------------
    def _work(self) -> None:
        while True:
            group = self._next_group()
            if group is None:
                return
            self._run(group)
            del group  # else it keeps this group's requests (their results) alive while waiting for the next

    def _next_group(self) -> list[tuple[_Ticket, int]] | None:
        """The next group of (ticket, claim index) pairs; None when this worker has idled for IDLE_S."""
        with self._cond:
            while self._collecting or not self._tickets:
                if not self._cond.wait(IDLE_S) and (self._collecting or not self._tickets):
                    self._running -= 1
                    return None
            self._collecting = True
            try:
                deadline = time.monotonic() + self._wait_s
                while sum(t.waiting for t in self._tickets) < self._batch_size:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        break
                    self._cond.wait(remaining)
                return self._take()
            finally:
                self._collecting = False
                self._cond.notify_all()

    def _take(self) -> list[tuple[_Ticket, int]]:
        """Up to a batch of claims with the same top_k, one from each ticket in turn; the next group starts
        with the ticket after the last one served."""
        group: list[tuple[_Ticket, int]] = []
        if not self._tickets:
            return group
        k = self._tickets[0].k
        while len(group) < self._batch_size:
            took = False
            for ticket in list(self._tickets):
                if ticket.k != k or not ticket.waiting or len(group) == self._batch_size:
                    continue
                group.append((ticket, ticket.taken))
                ticket.taken += 1
                took = True
            if not took:
                break
        served = {id(t) for t, _ in group}
        rest = [t for t in self._tickets if t.waiting]
        self._tickets = deque([t for t in rest if id(t) not in served] + [t for t in rest if id(t) in served])
        return group

    def _run(self, group: list[tuple[_Ticket, int]]) -> None:
        if not group:
            return
        started = time.perf_counter()
        try:
            verifier = self._verifier()
            if self._workers > 1:
                verifier = verifier.single_threaded()
            texts = [t.texts[i] for t, i in group]
            ids = [t.ids[i] for t, i in group]
            outcomes: list[Any] = verifier.check_many(texts, group[0][0].k, ids, return_exceptions=True)
        except Exception as exc:  # the group failed as a whole (a broken index, a bug): each request learns why
            outcomes = [exc] * len(group)
        seconds = time.perf_counter() - started
        with self._cond:
            self.groups += 1
            rate = len(group) * self._running / seconds if seconds > 0 else None  # the workers run side by side
            if rate:
                self._rate = rate if self._rate is None else RATE_DECAY * self._rate + (1 - RATE_DECAY) * rate
            for (ticket, i), outcome in zip(group, outcomes):
                ticket.results[i] = outcome
                ticket.left -= 1
                if not ticket.left:
                    ticket.done.set()

