"""A model folder in either sentence-transformers layout: the one the packaged model ships in (before 6) and
the one sentence-transformers 6 writes when a fine-tuned model is saved (training/train_embedder.py)."""

import json
import shutil

import pytest

from verifier.encoder.model_files import packaged_model_dir, resolve_model
from verifier.encoder.onnx_backend import _pooling_mode
from verifier.errors import ModelError

NEW_MODULES = [
    {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.base.modules.transformer.Transformer"},
    {"idx": 1, "name": "1", "path": "1_Pooling",
     "type": "sentence_transformers.sentence_transformer.modules.pooling.Pooling"},
    {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.base.modules.normalize.Normalize"},
]


def _folder(tmp_path, pooling: dict, modules=NEW_MODULES):
    folder = tmp_path / "model"
    folder.mkdir()
    for name in ("config.json", "sentence_bert_config.json"):
        shutil.copy(packaged_model_dir() / name, folder / name)
    (folder / "model.safetensors").write_bytes(b"weights")
    (folder / "1_Pooling").mkdir()
    (folder / "1_Pooling" / "config.json").write_text(json.dumps(pooling))
    (folder / "modules.json").write_text(json.dumps(modules))
    return folder


def test_packaged_layout_reads():
    model = resolve_model("")
    assert model.dim == 384
    assert _pooling_mode(model.path) == "mean"


def test_layout_of_sentence_transformers_6_reads(tmp_path):
    folder = _folder(tmp_path, {"embedding_dimension": 384, "pooling_mode": "mean", "include_prompt": True})
    assert resolve_model(str(folder)).dim == 384
    assert _pooling_mode(folder) == "mean"


def test_cls_pooling_in_the_new_layout(tmp_path):
    assert _pooling_mode(_folder(tmp_path, {"embedding_dimension": 384, "pooling_mode": "cls"})) == "cls"


def test_pooling_the_onnx_backend_cannot_do_is_refused(tmp_path):
    folder = _folder(tmp_path, {"embedding_dimension": 384, "pooling_mode": "max"})
    with pytest.raises(ModelError, match="mean or CLS pooling only"):
        _pooling_mode(folder)


def test_unknown_module_is_refused(tmp_path):
    modules = NEW_MODULES + [{"idx": 3, "name": "3", "path": "3_Dense", "type": "sentence_transformers.models.Dense"}]
    folder = _folder(tmp_path, {"embedding_dimension": 384, "pooling_mode": "mean"}, modules)
    with pytest.raises(ModelError, match="Dense"):
        _pooling_mode(folder)


def test_pooling_config_without_a_dimension_is_refused(tmp_path):
    folder = _folder(tmp_path, {"pooling_mode": "mean"})
    with pytest.raises(ModelError, match="no embedding dimension"):
        resolve_model(str(folder))
