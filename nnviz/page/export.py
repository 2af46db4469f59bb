"""The numbers the draw-a-digit page computes with, exported from the core as JavaScript data.

The page reads two classic scripts written here: ``data.js`` (the network's weights and biases,
the shown inputs, the palettes) and ``samples.js`` (held-out digits with the core's answers).
Classic scripts rather than JSON files or ES modules: a browser refuses ``fetch`` and module
imports from ``file://``, and the page must open from a folder with no server.

Floats are written with Python's shortest round-trip ``repr`` (what ``json.dumps`` does), which
JavaScript parses back to the very same double, so the browser multiplies the core's weights,
not approximations of them.

>>> data = network_data(load_network())
>>> data["sizes"], len(data["weights"][0]), len(data["shown_inputs"])
([784, 16, 16, 10], 16, 16)
"""

from __future__ import annotations

import base64
import json
from typing import Any

import numpy as np

from ..core.datasets import Dataset
from ..core.network import Network
from ..core.preprocess import BOX, CANVAS, CENTRE, INK_THRESHOLD, MAX_WORKING_SIDE, MIN_CONTRAST, MIN_STROKE
from ..core.shown import shown_indices
from ..theme import PALETTES, make_theme

#: How many held-out digits travel with the page: every one the network gets wrong, then
#: correct ones picked at random (seeded) up to this count.
SAMPLE_COUNT = 300


def network_data(network: Network, palette: str = "classic") -> dict[str, Any]:
    """Everything ``data.js`` holds: the network, which inputs to show, colours, pre-processing constants."""
    theme = make_theme(palette)
    return {
        "sizes": list(network.sizes),
        "activation": network.activation,
        "weights": [w.tolist() for w in network.weights],
        "biases": [b.tolist() for b in network.biases],
        "shown_inputs": shown_indices(network.sizes[0], theme.shown_inputs).tolist(),
        "palette": palette,
        "palettes": {name: {"positive": pos, "negative": neg} for name, (pos, neg) in PALETTES.items()},
        "highlight": theme.highlight,
        "digit_frame": theme.digit_frame,
        "layer_time": theme.layer_time,
        "preprocess": {
            "canvas": CANVAS,
            "box": BOX,
            "centre": CENTRE,
            "ink_threshold": INK_THRESHOLD,
            "min_contrast": MIN_CONTRAST,
            "min_stroke": MIN_STROKE,
            "max_working_side": MAX_WORKING_SIDE,
        },
    }


def sample_data(network: Network, test: Dataset, count: int = SAMPLE_COUNT, seed: int = 0) -> dict[str, Any]:
    """Held-out digits for the page's sample buttons, with the core's prediction of each.

    Pixels travel as base64 of the uint8 images (0..255; the page divides by 255 as
    :meth:`Dataset.inputs` does).
    """
    predictions = np.asarray(network.predict(test.inputs()))
    wrong = np.flatnonzero(predictions != test.labels)
    right = np.flatnonzero(predictions == test.labels)
    extra = max(0, count - len(wrong))
    picked = np.random.default_rng(seed).choice(right, size=min(extra, len(right)), replace=False)
    chosen = np.sort(np.concatenate([wrong[:count], picked]).astype(int))
    return {
        "count": int(len(chosen)),
        "split": test.name + " (" + test.split + ")",
        "indices": chosen.tolist(),
        "labels": test.labels[chosen].astype(int).tolist(),
        "predictions": predictions[chosen].astype(int).tolist(),
        "side": int(test.images.shape[1]),
        "pixels": base64.b64encode(np.ascontiguousarray(test.images[chosen], dtype=np.uint8).tobytes()).decode(),
    }


def as_script(name: str, value: Any) -> str:
    """``value`` as a classic script that sets ``window.<name>``.

    >>> as_script("NNVIZ_X", {"a": 0.1})
    'window.NNVIZ_X = {"a": 0.1};\\n'
    """
    return f"window.{name} = {json.dumps(value, allow_nan=False)};\n"
