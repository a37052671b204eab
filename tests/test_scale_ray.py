"""`verifier batch --engine ray` against a real local Ray (started once for this module, 2 CPUs): the same records,
byte for byte, in the same order as the local run, bad lines included; the same resume rules; the same summary."""

import json

import pytest
from click.testing import CliRunner

from verifier import Settings, Verifier
from verifier.batch import ResumeError, run_batch
from verifier.batch.ray_engine import RayBatchRun
from verifier.cli import cli

pytestmark = pytest.mark.model

CLAIMS = [
    {"id": "c1", "claim": "2,000 Afghan troops fled into Tajikistan", "desk": "asia"},
    {"id": "c2", "claim": "Over 1,000 Afghan troops fled into Tajikistan"},
    {"id": "c3", "claim": "The Taliban seized the main border crossing in June 2021"},
    {"id": "c4", "claim": "2,000 Afghan troops fled into Tajikistan"},
    {"id": "c5", "claim": ""},
    {"id": "c6", "claim": "Russia has a military base in Tajikistan", "desk": "europe"},
    {"id": "c7", "claim": "The committee counted 7 trucks, 3 buses"},
]
CHUNK = Settings(batch_chunk_size=2)


@pytest.fixture(scope="module")
def ray_cluster():
    import ray

    options = dict(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    try:
        ray.init(**options)
    except Exception:
        # Ray's local node once failed to come up within Ray's fixed 30 s wait on the loaded 2-core CI machine
        # (7 Dec 2026: "The current node timed out during startup", no raylet log at all); that is the machine,
        # not the batch engine under test, so it gets one more try, and a second failure fails the test.
        ray.shutdown()
        ray.init(**options)
    yield ray
    ray.shutdown()


@pytest.fixture(scope="module")
def claims_and_local(demo_index, tmp_path_factory):
    folder = tmp_path_factory.mktemp("ray-batch")
    claims = folder / "claims.jsonl"
    claims.write_text("".join(json.dumps(c) + "\n" for c in CLAIMS), encoding="utf-8")
    local = folder / "local.jsonl"
    summary = run_batch(Verifier.open(demo_index, CHUNK), claims, local)
    assert summary.failed == 1 and summary.total == len(CLAIMS)
    return claims, local


def test_ray_resumes_a_run_and_writes_the_local_runs_records_byte_for_byte(ray_cluster, demo_index, claims_and_local,
                                                                          tmp_path):
    """One Ray run (each starts its actors and loads a Verifier in each, so the module keeps to one): it resumes
    after three records and one a kill tore, and checks the rest, a bad line and a repeated claim among them."""
    claims, local = claims_and_local
    out = tmp_path / "ray.jsonl"
    lines = local.read_bytes().splitlines(keepends=True)
    out.write_bytes(b"".join(lines[:3]) + lines[3][:40])
    result = CliRunner().invoke(cli, ["--set", "batch_chunk_size=2", "batch", str(claims), "--index", str(demo_index),
                                      "--out", str(out), "--engine", "ray", "--actors", "2"])
    assert result.exit_code == 1, result.output  # one bad line, as in the local run
    assert out.read_bytes() == local.read_bytes()
    assert "Checked 4 claims" in result.output and "3 were already there (dropped one record" in result.output
    assert f"{out}: 7 records:" in result.output and "; 1 failed." in result.output


def test_ray_refuses_a_changed_input_before_checking_anything(demo_index, claims_and_local, tmp_path):
    claims, local = claims_and_local
    changed = tmp_path / "claims.jsonl"
    edited = [dict(c, claim="Something else") if c["id"] == "c2" else c for c in CLAIMS]
    changed.write_text("".join(json.dumps(c) + "\n" for c in edited), encoding="utf-8")
    out = tmp_path / "ray.jsonl"
    out.write_bytes(local.read_bytes())
    with pytest.raises(ResumeError, match="line 2"):
        RayBatchRun(demo_index, CHUNK, changed, out).run()
    assert out.read_bytes() == local.read_bytes()


def test_ray_options_need_the_ray_engine(demo_index, claims_and_local, tmp_path):
    claims, _ = claims_and_local
    result = CliRunner().invoke(cli, ["batch", str(claims), "--index", str(demo_index), "--out", str(tmp_path / "o.jsonl"),
                                      "--address", "auto"])
    assert result.exit_code == 2 and "--address and --actors go with --engine ray" in result.output
