"""Batch order: indices that sort texts by length, shared by the encoders and the batch runner."""

from __future__ import annotations

from typing import Sequence

import numpy as np


def length_order(texts: Sequence[str]) -> np.ndarray:
    """Indices that sort texts by length, so each batch pads to about the same length."""
    return np.argsort([-len(t) for t in texts], kind="stable")
