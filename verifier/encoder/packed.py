"""A model shipped with int8 weights and run in fp32: packed once when it is made, unpacked once per machine.

The project's embedder (`verifier/models/embedder/model.onnx`) stores each weight matrix as int8 with one
scale per output channel (symmetric), behind a DequantizeLinear node: a quarter of the fp32 file (23 MB
against 91 MB), still a valid ONNX graph. Before it runs, the DequantizeLinear nodes are folded back into
fp32 weights, once, into the cache (`cache_dir`), and the graph runs in fp32.

Why not ONNX Runtime's dynamic quantization (`quantize_dynamic`, what `encoder_backend=onnx-int8` does): it
also quantizes the activations, with one scale for the whole batch, so a text's vector depends on the texts
encoded beside it, and a claim checked alone would not meet the same vector in a batch run. Weights
quantized alone keep every row's vector a function of that row's text. The cosine of a packed model's vectors
to its fp32 model's is measured in docs/embedder-model.md; quantizing weights only is what the onnx package
gives no single call for, hence these few lines.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

MIN_SIZE = 4096  # smaller tensors (biases, norms, the 2-row token type table) stay fp32


def pack(fp32: Path, target: Path) -> int:
    """Write `fp32`'s graph with int8 weight matrices to `target`; return how many were packed."""
    import onnx
    from onnx import helper, numpy_helper

    model = onnx.load(str(fp32))
    graph = model.graph
    consumers: dict[str, list[tuple[str, int]]] = {}
    for node in graph.node:
        for position, name in enumerate(node.input):
            consumers.setdefault(name, []).append((node.op_type, position))
    packed, kept, nodes = 0, [], []
    for tensor in graph.initializer:
        weights = numpy_helper.to_array(tensor)
        uses = consumers.get(tensor.name, [])
        axis = _channel_axis(uses)
        if weights.dtype != np.float32 or weights.ndim != 2 or weights.size < MIN_SIZE or axis is None:
            kept.append(tensor)
            continue
        reduce = 1 - axis
        scale = np.abs(weights).max(axis=reduce) / 127.0
        scale[scale == 0] = 1.0
        shape = (-1, 1) if axis == 0 else (1, -1)
        q = np.clip(np.rint(weights / scale.reshape(shape)), -127, 127).astype(np.int8)
        name = tensor.name
        kept += [numpy_helper.from_array(q, f"{name}.int8"),
                 numpy_helper.from_array(scale.astype(np.float32), f"{name}.scale"),
                 numpy_helper.from_array(np.zeros_like(scale, dtype=np.int8), f"{name}.zero")]
        nodes.append(helper.make_node("DequantizeLinear", [f"{name}.int8", f"{name}.scale", f"{name}.zero"], [name],
                                      axis=axis, name=f"{name}.dequantize"))
        packed += 1
    del graph.initializer[:]
    graph.initializer.extend(kept)
    all_nodes = nodes + list(graph.node)
    del graph.node[:]
    graph.node.extend(all_nodes)
    onnx.checker.check_model(model)
    onnx.save(model, str(target))
    return packed


def unpack(packed: Path, target: Path) -> None:
    """Write `packed`'s graph with its DequantizeLinear-of-constant nodes folded into fp32 weights."""
    import onnx
    from onnx import numpy_helper

    model = onnx.load(str(packed))
    graph = model.graph
    constants = {t.name: t for t in graph.initializer}
    folded, spent, rest = [], set(), []
    for node in graph.node:
        if node.op_type == "DequantizeLinear" and all(name in constants for name in node.input):
            q, scale, *zero = (numpy_helper.to_array(constants[name]) for name in node.input)
            axis = next((a.i for a in node.attribute if a.name == "axis"), 1)
            shape = [1] * q.ndim
            shape[axis] = -1
            offset = zero[0].astype(np.float32).reshape(shape) if zero else 0.0
            weights = (q.astype(np.float32) - offset) * scale.astype(np.float32).reshape(shape)
            folded.append(numpy_helper.from_array(weights.astype(np.float32), node.output[0]))
            spent.update(node.input)
        else:
            rest.append(node)
    still_used = {name for node in rest for name in node.input}
    kept = [t for t in graph.initializer if t.name not in spent or t.name in still_used]
    del graph.initializer[:]
    graph.initializer.extend(kept + folded)
    del graph.node[:]
    graph.node.extend(rest)
    onnx.save(model, str(target))


def _channel_axis(uses: list[tuple[str, int]]) -> int | None:
    """The axis of a weight matrix's output channels: rows of an embedding table (Gather's data), columns of a
    MatMul's right operand; None for a tensor used otherwise."""
    if uses and all(use == ("Gather", 0) for use in uses):
        return 0
    if uses and all(use == ("MatMul", 1) for use in uses):
        return 1
    return None
