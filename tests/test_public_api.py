"""The public API of `verifier`, and the surfaces kept to it: what `verifier.__all__` holds, that the CLI,
web app, batch checking, evaluation and benchmarks import no internal module, and that what is described
in more than one place (the index description, the verdict labels, the statement rules) agrees."""

import ast
import dataclasses
import json
import typing
from pathlib import Path

import pytest

import verifier
from verifier import IndexInfo, Statement, Verdict

ROOT = Path(__file__).resolve().parent.parent

PUBLIC = [
    "BuildReport", "Claim", "CorpusError", "CorpusRead", "ENCODER_BACKENDS", "Encoder", "Evidence", "FactCheck", "FactCheckMatch",
    "Hit", "IndexDamaged", "IndexInfo", "IndexMismatch", "IndexNotFound", "InputError", "Judgement", "ModelError", "Problem",
    "Reason", "Result", "SentenceCheck", "Settings", "SettingsError", "Stance", "Statement", "TextResult", "TextTooLarge",
    "Verdict", "Verifier", "VerifierError", "__version__",
    "judge_statement", "load_encoder", "read_corpus", "validate_claim",
]  # fmt: skip

INTERNAL = ("verifier.core", "verifier.index", "verifier.ingest", "verifier.verdict", "verifier.encoder")
SURFACES = ("web", "verifier/cli.py", "verifier/batch", "verifier/evaluation", "benchmarks")

# Benchmarks that measure or tune an internal piece itself, not the product: the ANN store's recall, and
# the stance and verdict rules re-run on precomputed checks for a threshold grid. Only these imports.
MEASURING_INTERNALS = {
    "benchmarks/ann.py": {"verifier.index.vectors.FaissStore"},
    "benchmarks/int8_retrieval.py": {"verifier.index.store.text_key"},
    "benchmarks/stored_features.py": {
        "verifier.checks.dates.mentions.extract_dates", "verifier.checks.entities.mentions.extract_entities",
        "verifier.checks.numbers.mentions.extract_quantities", "verifier.checks.polarity._read",
        "verifier.checks.folding.fold",
    },
    "benchmarks/stance_learned.py": {"verifier.verdict.stance.claim_overlap", "verifier.verdict.stance.stance_of"},
    "benchmarks/stance.py": {
        "verifier.verdict.decide", "verifier.verdict.read_all", "verifier.verdict.model.LABELS",
        "verifier.verdict.model.load_stance_model", "verifier.verdict.model.softmax", "verifier.verdict.stance.Reading",
        "verifier.verdict.stance.claim_overlap", "verifier.verdict.stance.judge_hit",
        "verifier.verdict.stance.read_stance", "verifier.verdict.stance.stance_of",
    },
    # long statements read in windows against cut, the model built both ways
    "benchmarks/long_statements.py": {
        "verifier.verdict.model.DEFAULT_DIR", "verifier.verdict.model.LABELS", "verifier.verdict.model.StanceModel",
    },
    "benchmarks/rerank.py": {
        "verifier.evaluation.datasets.Query", "verifier.evaluation.datasets.checkthat",
        "verifier.evaluation.datasets.climate_fever", "verifier.evaluation.datasets.healthver_pairs",
        "verifier.evaluation.metrics.retrieval_scores", "verifier.rerank.NEUTRAL",
        "verifier.verdict.model.load_stance_model",
    },
    # a learned combiner of the model's reading and the checks' findings, studied against the stance rules
    "benchmarks/stance_combiner.py": {
        "verifier.verdict.model.LABELS", "verifier.verdict.model.load_stance_model", "verifier.verdict.stance.CHECKED",
        "verifier.verdict.stance.Reading", "verifier.verdict.stance.read_stance", "verifier.verdict.stance.unaddressed",
    },
    # a retrained stance model against the shipped one, paired on the calib parts
    "benchmarks/stance_compare.py": {"verifier.verdict.model.LABELS", "verifier.verdict.model.load_stance_model"},
    # the model reading figures the number check found consistent, marked or not
    "benchmarks/settled_figures.py": {
        "verifier.crossencoder._settled", "verifier.crossencoder.model_input", "verifier.verdict.model.LABELS",
        "verifier.verdict.model.load_stance_model",
    },
    # the model's cost, and check_many's claims read one by one (as before) against side by side
    "benchmarks/stance_cost.py": {
        "verifier.verdict.model.DEFAULT_DIR", "verifier.verdict.model.StanceModel", "verifier.verdict.read_all",
    },
    # the rerank stage's own relevance model against the stance model's p(about), on precomputed readings
    "benchmarks/relevance.py": {
        "verifier.evaluation.datasets.checkthat", "verifier.evaluation.datasets.climate_fever",
        "verifier.evaluation.metrics.retrieval_scores", "verifier.rerank.NEUTRAL", "verifier.rerank.RelevanceModel",
        "verifier.verdict.model.load_stance_model",
    },
    # the vector stores side by side (FAISS and Milvus), statement metadata and BM25 in and out of Milvus
    "benchmarks/scale.py": {
        "verifier.index.folder.IndexFolder", "verifier.index.store.StatementStore", "verifier.index.store.COLUMNS",
        "verifier.index.vectors.FaissStore", "verifier.index.milvus.MilvusStore", "verifier.index.milvus.connect",
        "verifier.index.lexical.LexicalIndex", "verifier.index.lexical.top_k",
    },
    "benchmarks/check_scale.py": {"verifier.index.folder.IndexFolder", "verifier.index.vectors.FaissStore"},
    "benchmarks/tune_verdict.py": {
        "verifier.verdict.decide", "verifier.verdict.stance.Judgement", "verifier.verdict.stance.claim_overlap",
        "verifier.verdict.stance.stance_of",
    },
}


def test_the_public_api_is_exactly_this():
    assert sorted(verifier.__all__) == PUBLIC
    assert all(hasattr(verifier, name) for name in verifier.__all__)


def _surface_files() -> list[Path]:
    files = []
    for surface in SURFACES:
        path = ROOT / surface
        files += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return files


def _imported_names(path: Path) -> set[str]:
    """Every `module` and `module.name` the file imports, relative imports resolved."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    if path.name == "__init__.py":
        package = ".".join(path.relative_to(ROOT).parts[:-1])
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            out.add(module)
            out.update(f"{module}.{alias.name}" for alias in node.names)
    return out


def _internal(name: str) -> bool:
    return any(name == prefix or name.startswith(prefix + ".") for prefix in INTERNAL)


@pytest.mark.parametrize("path", _surface_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_surfaces_import_nothing_internal(path):
    names = _imported_names(path)
    allowed = MEASURING_INTERNALS.get(str(path.relative_to(ROOT)), set())
    modules = {name.rsplit(".", 1)[0] for name in allowed}
    reached = sorted(n for n in names if _internal(n) and n not in allowed and n not in modules)
    assert not reached, f"{path.relative_to(ROOT)} imports internals {reached}; add what it needs to verifier/__init__.py"


def test_the_import_check_sees_relative_imports():
    names = _imported_names(ROOT / "verifier" / "batch" / "run.py")
    assert "verifier.Verifier" in names and "verifier.batch.claims" in names


# --- one source for what is described in several places ------------------------------------------------------
def test_index_info_is_the_manifest_plus_its_path_and_the_api_describes_it_whole():
    from verifier.index.manifest import Manifest
    from web.api_models import IndexInfoOut

    info = [f.name for f in dataclasses.fields(IndexInfo)]
    manifest = [{"model_name": "model"}.get(f.name, f.name) for f in dataclasses.fields(Manifest)]
    assert sorted(info) == sorted(["path", *manifest])
    # the API leaves out the server's path to the index and where its Milvus is
    assert sorted(IndexInfoOut.model_fields) == sorted(set(info) - {"path", "milvus_uri"})


def test_index_info_round_trips_the_manifest(tmp_path):
    from verifier.index.manifest import Manifest

    manifest = Manifest("m", "ab" * 32, 8, "onnx", "flat", 3, "c", "u", {"A": 2}, {"P": 3}, ("2020", "2021"))
    info = IndexInfo.from_manifest(str(tmp_path), manifest)
    assert info.model == "m" and info.dates == ("2020", "2021")
    assert info.manifest_dict() == manifest.to_dict()


def test_verdict_labels_and_their_order_come_from_the_verdict_enum():
    from verifier.batch.command import _ordered
    from verifier.evaluation.harness import CLAIM_LABELS
    from web.api_models import ResultOut
    from web.check import VERDICTS

    order = [v.value for v in Verdict]
    assert list(VERDICTS) == order
    assert list(typing.get_args(ResultOut.model_fields["verdict"].annotation)) == order
    assert [v for v, _ in _ordered({v: 1 for v in reversed(order)})] == order
    assert list(CLAIM_LABELS) == [v for v in order if v != Verdict.MIXED.value]


BAD_RECORDS = [
    ({"text": "   "}, "text"),
    ({"text": "Troops fled.", "date": "5 July 2021"}, "date"),
]


@pytest.mark.parametrize("record, field", BAD_RECORDS)
def test_corpus_files_and_the_api_refuse_a_statement_by_the_same_rule(record, field, demo_verifier, tmp_path):
    from conftest import make_app

    from verifier import read_corpus

    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(json.dumps(record) + "\n", encoding="utf-8")
    (problem,) = read_corpus([corpus]).problems
    with pytest.raises(verifier.InputError) as refused:
        Statement.from_record(record)
    assert refused.value.field == field and problem.message == str(refused.value)

    client = make_app(demo_verifier, tmp_path, api_token="t").test_client()
    response = client.post("/api/v1/statements", json={"statements": [record]}, headers={"Authorization": "Bearer t"})
    error = response.get_json()["error"]
    assert response.status_code == 400
    assert error["field"] == f"statements[0].{field}" and error["message"] == f"statements[0].{field}: {problem.message}"


def test_a_validated_claim_is_not_validated_again(demo_verifier, monkeypatch):
    import verifier.core as core

    calls = []
    real = core.validate_claim
    monkeypatch.setattr(core, "validate_claim", lambda *a, **k: calls.append(a) or real(*a, **k))
    claim = verifier.validate_claim("  Afghan   troops fled into Tajikistan ", demo_verifier.settings)
    assert claim == "Afghan troops fled into Tajikistan"
    result = demo_verifier.check(claim)
    assert calls == [] and type(result.claim) is str
    demo_verifier.check_many(["Afghan troops fled"])
    assert len(calls) == 1  # a plain string: validated once, by the Verifier
