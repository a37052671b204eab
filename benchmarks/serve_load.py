"""Load on `verifier serve` over loopback: closed-loop clients, batch mode on the same claims, the batch flood.

    nice -n 19 python benchmarks/serve_load.py [--clients 1 4 8 16 50] [--seconds 8] [--compare-workers]

Index: the CheckThat 2020 task 2 verified claims (10,186 statements after duplicates; built once under
var/bench/checkthat/index, the index benchmarks/latency.py uses), or the demo index with `--demo`.
Server: `verifier serve` in a subprocess, its query cache off (`VERIFIER_QUERY_CACHE_SIZE=0`), so every
request is embedded and checked; the other settings as shipped (or `--set name=value`).

1. Clients: for each N in --clients, N threads, each with its own keep-alive connection, POST one claim at
   a time to /api/v1/check in a closed loop for --seconds or until the phase's claims run out. Claims:
   the CheckThat 2020 tweets (train and dev, distinct after whitespace is collapsed), each phase its own
   slice, so no request repeats a claim. Reported: requests/s, p50/p95/p99, errors (any answer but 200;
   a 503 is counted), the server's RSS before and after.
2. Batch mode on the same claims as the 16-client phase (or the largest N below 16) sent, in this process:
   `run_batch` (what `verifier batch` runs) with a fresh Verifier, the checks' memo caches emptied; then the
   16 clients again on new claims. The ratio is the mean requests/s of both client runs over batch mode's
   claims/s.
3. `--compare-workers`: the 16-client phase again against a second server with `queue_workers=1` (one
   worker, the shared two-thread sessions), the two servers alternating, twice each, on fresh slices.
4. Flood: four POST /api/v1/check/batch of --flood-claims claims each (Climate-FEVER claims, distinct) at
   once, while another thread asks /api/v1/health every 50 ms: health latency p50 and max, each batch's
   time, the server's RSS before, peak and after. Then one batch of 200 claims of ~1,000 characters (the
   case of issue 12), which the server must refuse at once (413).

The machine is shared: run it niced, read the load average printed beside each figure, and compare
ratios taken within one run rather than figures of different runs.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from verifier import Settings, Verifier  # noqa: E402
from verifier.batch import run_batch  # noqa: E402
from verifier.evaluation.datasets import checkthat  # noqa: E402

from memo import clear_memo_caches  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
HEALTH_EVERY_S = 0.05


class Server:
    """`verifier serve` in a subprocess on a free loopback port."""

    def __init__(self, index: Path, settings: dict[str, str]):
        env = {**os.environ, "VERIFIER_QUERY_CACHE_SIZE": "0",
               **{f"VERIFIER_{k.upper()}": v for k, v in settings.items()}}
        command = [sys.executable, "-m", "verifier", "serve", "--index", str(index), "--port", "0"]
        self.proc = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                     text=True)
        self.port = 0
        for line in self.proc.stderr:
            if "serving on http://" in line:
                self.port = int(line.split("serving on http://", 1)[1].split("/")[0].rsplit(":", 1)[1])
                break
        if not self.port:
            raise SystemExit(f"the server did not start: {self.proc.stderr.read()}")
        threading.Thread(target=lambda: self.proc.stderr.read(), daemon=True).start()
        started = time.perf_counter()
        while request(self.port, "GET", "/api/v1/health")[0] != 200:
            if self.proc.poll() is not None or time.perf_counter() - started > 600:
                raise SystemExit("the server never became ready")
            time.sleep(0.2)
        self.ready_s = time.perf_counter() - started

    def rss_mb(self, field: str = "VmRSS") -> float:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(60)


def request(port: int, method: str, path: str, body: object = None, conn: http.client.HTTPConnection | None = None,
            timeout: float = 600) -> tuple[int, bytes]:
    own = conn is None
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        data = json.dumps(body).encode() if body is not None else None
        conn.request(method, path, body=data, headers={"Content-Type": "application/json"} if data else {})
        response = conn.getresponse()
        return response.status, response.read()
    except ConnectionError:
        return 0, b""
    finally:
        if own:
            conn.close()


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] if values else float("nan")


def clients_phase(server: Server, claims: list[str], clients: int, seconds: float) -> dict:
    """`clients` closed-loop clients on /api/v1/check until `seconds` pass or `claims` run out."""
    todo, lock = iter(claims), threading.Lock()
    times: list[float] = []
    sent: list[str] = []
    errors: dict[int, int] = {}
    rss_before = server.rss_mb()
    deadline = time.perf_counter() + seconds

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=600)
        while time.perf_counter() < deadline:
            with lock:
                claim = next(todo, None)
            if claim is None:
                break
            started = time.perf_counter()
            status, _ = request(server.port, "POST", "/api/v1/check", {"claim": claim}, conn)
            elapsed = time.perf_counter() - started
            with lock:
                sent.append(claim)
                if status == 200:
                    times.append(elapsed)
                else:
                    errors[status] = errors.get(status, 0) + 1
            if status == 0:  # the connection broke: open another
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=600)
        conn.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    return {"clients": clients, "requests": len(sent), "ok": len(times), "seconds": round(wall, 2),
            "req_per_s": len(times) / wall, "p50_ms": pct(times, 0.5) * 1000, "p95_ms": pct(times, 0.95) * 1000,
            "p99_ms": pct(times, 0.99) * 1000, "errors": errors, "ran_out": len(sent) == len(claims),
            "rss_before_mb": rss_before, "rss_after_mb": server.rss_mb(), "load": os.getloadavg()[0],
            "claims": sent}


def batch_mode(index: Path, claims: list[str], work: Path) -> float:
    """Claims/s of `run_batch` over `claims` (what `verifier batch` runs), caches cold."""
    path = work / "claims.jsonl"
    path.write_text("".join(json.dumps({"id": f"c{i}", "claim": c}) + "\n" for i, c in enumerate(claims)))
    clear_memo_caches()
    verifier = Verifier.open(index, Settings(query_cache_size=0))
    started = time.perf_counter()
    run_batch(verifier, path, work / "results.jsonl", overwrite=True)
    return len(claims) / (time.perf_counter() - started)


def flood(server: Server, batches: list[list[str]]) -> dict:
    """The batches posted at once while health is asked every HEALTH_EVERY_S."""
    health: list[float] = []
    health_errors: list[int] = []
    done = threading.Event()
    peak = [server.rss_mb()]

    def poll() -> None:
        while not done.is_set():
            started = time.perf_counter()
            status, _ = request(server.port, "GET", "/api/v1/health", timeout=120)
            health.append(time.perf_counter() - started)
            if status != 200:
                health_errors.append(status)
            peak.append(server.rss_mb())
            time.sleep(HEALTH_EVERY_S)

    outcomes: list[tuple[int, float]] = [(0, 0.0)] * len(batches)

    def post(i: int) -> None:
        started = time.perf_counter()
        status, _ = request(server.port, "POST", "/api/v1/check/batch", {"claims": batches[i]})
        outcomes[i] = (status, time.perf_counter() - started)

    rss_before = server.rss_mb()
    poller = threading.Thread(target=poll)
    poller.start()
    posts = [threading.Thread(target=post, args=(i,)) for i in range(len(batches))]
    for t in posts:
        t.start()
    for t in posts:
        t.join()
    done.set()
    poller.join()
    time.sleep(1)
    return {"batches": [len(b) for b in batches], "chars": [sum(map(len, b)) for b in batches],
            "statuses": [s for s, _ in outcomes], "batch_seconds": [round(s, 1) for _, s in outcomes],
            "health_asks": len(health), "health_p50_ms": pct(health, 0.5) * 1000,
            "health_p99_ms": pct(health, 0.99) * 1000, "health_max_ms": max(health) * 1000,
            "health_over_1s": sum(1 for h in health if h >= 1.0), "health_errors": health_errors,
            "rss_before_mb": rss_before, "rss_peak_mb": max(peak), "rss_after_mb": server.rss_mb(),
            "load": os.getloadavg()[0]}


def tweets() -> list[str]:
    seen: dict[str, None] = {}
    for split in ("train", "dev"):
        seen.update((" ".join(q.text.split()), None) for q in checkthat(DATA / "checkthat2020-task2", split).queries)
    return list(seen)


def climate_claims() -> list[str]:
    with open(DATA / "climate-fever" / "climate-fever.jsonl", encoding="utf-8") as fh:
        return list(dict.fromkeys(" ".join(json.loads(line)["claim"].split()) for line in fh))


def long_claims(pool: list[str], n: int, chars: int = 1000) -> list[str]:
    """n distinct claims of about `chars` characters, each a run of pool claims."""
    out, i = [], 0
    for _ in range(n):
        text = ""
        while len(text) < chars - 150:
            text += pool[i % len(pool)] + " "
            i += 1
        out.append(text.strip()[:chars])
    return out


def show(row: dict, name: str = "") -> None:
    errors = ", ".join(f"{n}x{s}" for s, n in row["errors"].items()) or "none"
    print(f"{name or str(row['clients']) + ' clients':>22}: {row['req_per_s']:6.1f} req/s  p50 {row['p50_ms']:7.0f}  "
          f"p95 {row['p95_ms']:7.0f}  p99 {row['p99_ms']:7.0f} ms  {row['ok']:4d} ok  errors {errors}  "
          f"RSS {row['rss_before_mb']:.0f} -> {row['rss_after_mb']:.0f} MB  {'(ran out of claims) ' if row['ran_out'] else ''}"
          f"load {row['load']:.1f}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", type=Path, default=ROOT / "var" / "bench" / "checkthat" / "index")
    parser.add_argument("--demo", action="store_true", help="use the demo index (built under var/bench/demo)")
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 4, 8, 16, 50])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--flood-claims", type=int, default=200)
    parser.add_argument("--compare-workers", action="store_true")
    parser.add_argument("--set", action="append", default=[], metavar="NAME=VALUE", help="a server setting")
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "bench" / "serve_load.json")
    args = parser.parse_args()
    if not (DATA / "checkthat2020-task2").is_dir() or not (DATA / "climate-fever").is_dir():
        print(f"SKIP: the CheckThat 2020 and Climate-FEVER data are not at {DATA} (see ../shared/data/README.md)")
        return
    index = build_index(args)
    settings = dict(item.split("=", 1) for item in args.set)
    pool, flood_pool = tweets(), climate_claims()
    phases = len(args.clients) + 1 + (4 if args.compare_workers else 0)
    per_phase = len(pool) // phases
    slices = iter(pool[i * per_phase:(i + 1) * per_phase] for i in range(phases))
    print(f"index {index} ({Verifier.inspect(index).count} statements); {len(pool)} distinct tweets, {per_phase} "
          f"per phase; {os.cpu_count()} CPUs; load {os.getloadavg()[0]:.1f}", flush=True)
    report: dict = {"index": str(index), "statements": Verifier.inspect(index).count, "settings": settings,
                    "per_phase": per_phase, "seconds": args.seconds, "phases": [], "load_start": os.getloadavg()}
    work = Path(tempfile.mkdtemp(prefix="serve-load-"))
    batch_mode(index, flood_pool[-20:], work)  # loads what batch mode loads once per process (not timed)
    server = Server(index, settings)
    print(f"server ready in {server.ready_s:.1f} s, RSS {server.rss_mb():.0f} MB", flush=True)
    try:
        baseline_at = max([n for n in args.clients if n <= 16], default=args.clients[0])
        for n in args.clients:
            row = clients_phase(server, next(slices), n, args.seconds)
            show(row)
            if n == baseline_at:  # clients, batch mode on the claims they sent, clients again on new claims
                batch = batch_mode(index, row["claims"], work)
                print(f"{'batch mode':>22}: {batch:6.1f} claims/s on the same {len(row['claims'])} claims  "
                      f"load {os.getloadavg()[0]:.1f}", flush=True)
                again = clients_phase(server, next(slices), n, args.seconds)
                show(again, f"{n} clients again")
                row["again"] = {k: v for k, v in again.items() if k != "claims"}
                row["batch_claims_per_s"] = batch
                row["ratio_to_batch"] = statistics.mean([row["req_per_s"], again["req_per_s"]]) / batch
                print(f"{'':>22}  {n} clients / batch mode = {row['ratio_to_batch']:.2f} (mean of the two client "
                      "runs around the batch run)", flush=True)
            report["phases"].append({k: v for k, v in row.items() if k != "claims"})
        if args.compare_workers:
            report["compare_workers"] = compare_workers(index, settings, server, slices, args.seconds)
        report["flood"] = flood(server, [flood_pool[i * args.flood_claims:(i + 1) * args.flood_claims]
                                         for i in range(4)])
        f = report["flood"]
        print(f"flood: 4 batches of {args.flood_claims} claims ({f['chars']} characters): statuses {f['statuses']}, "
              f"{f['batch_seconds']} s; health asked {f['health_asks']} times: p50 {f['health_p50_ms']:.0f} ms, p99 "
              f"{f['health_p99_ms']:.0f} ms, max {f['health_max_ms']:.0f} ms ({f['health_over_1s']} of 1 s or more), errors {f['health_errors'] or 'none'}; RSS {f['rss_before_mb']:.0f} -> "
              f"peak {f['rss_peak_mb']:.0f} -> {f['rss_after_mb']:.0f} MB; load {f['load']:.1f}", flush=True)
        started = time.perf_counter()
        status, body = request(server.port, "POST", "/api/v1/check/batch", {"claims": long_claims(flood_pool, 200)})
        report["long_batch"] = {"status": status, "seconds": time.perf_counter() - started,
                                "error": json.loads(body).get("error") if body else None}
        print(f"200 claims of ~1,000 characters: {status} in {report['long_batch']['seconds'] * 1000:.0f} ms: "
              f"{report['long_batch']['error']}", flush=True)
        report["rss_end_mb"], report["rss_peak_mb"] = server.rss_mb(), server.rss_mb("VmHWM")
    finally:
        server.stop()
    report["load_end"] = os.getloadavg()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2))
    print(f"wrote {args.out}")


def compare_workers(index: Path, settings: dict, server: Server, slices, seconds: float) -> list[dict]:
    """The 16-client phase against this server and one with queue_workers=1, alternating, twice each."""
    one = Server(index, {**settings, "queue_workers": "1"})
    rows = []
    try:
        for name, target in (("default workers", server), ("queue_workers=1", one)) * 2:
            row = clients_phase(target, next(slices), 16, seconds)
            show(row, name)
            rows.append({"server": name, **{k: v for k, v in row.items() if k != "claims"}})
    finally:
        one.stop()
    for name in ("default workers", "queue_workers=1"):
        print(f"{name}: mean {statistics.mean(r['req_per_s'] for r in rows if r['server'] == name):.1f} req/s")
    return rows


def build_index(args) -> Path:
    if args.demo:
        path = ROOT / "var" / "bench" / "demo" / "index"
        if not (path / "CURRENT").is_file():
            Verifier.build(path, [ROOT / "corpus" / "demo.jsonl"])
        return path
    if not (args.index / "CURRENT").is_file():
        started = time.perf_counter()
        report = Verifier.build(args.index, statements=checkthat(DATA / "checkthat2020-task2", "train").corpus)
        print(f"built {args.index}: {report.total} statements in {time.perf_counter() - started:.0f} s")
    return args.index


if __name__ == "__main__":
    main()
