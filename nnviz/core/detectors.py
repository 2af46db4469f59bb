"""Hand-set detector weights: the lesson's illustrative neurons, built as real core networks.

A trained network's first-layer weights look like noise; the lesson first shows what people
*hope* they look like — neurons set by hand to pick out one stroke of a digit. Those neurons are
ordinary :class:`~nnviz.core.network.Network` layers, so every weighted sum and activation shown
of them is computed by the core's forward pass, never typed in:

* :func:`band_weights` — a horizontal edge: positive in a band of rows, negative just above and
  below (scenes 7 and 9);
* :func:`stroke_mask` and :func:`stroke_weights` — a short stroke with a negative ring around
  it (scene 13);
* :func:`detector_network` — any such weight images as one layer, one neuron each;
  :func:`stroke_detectors` — the stroke detectors with their biases.

>>> net = detector_network([band_weights()], biases=[-10.0])
>>> net.sizes
[784, 1]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from .network import Network
from .regions import BoolArray, FloatArray, dilate

#: The side of an MNIST digit: detectors are drawn on this grid unless told otherwise.
SIDE = 28
#: The strokes :func:`stroke_mask` knows, where a digit often has one.
STROKES = ("top bar", "middle bar", "right stroke", "diagonal", "loop")


def band_weights(
    rows: tuple[int, int] = (6, 9),
    cols: tuple[int, int] = (8, 20),
    *,
    margin: int = 2,
    inside: float = 1.0,
    outside: float = -1.0,
    shape: tuple[int, int] = (SIDE, SIDE),
) -> FloatArray:
    """A horizontal-edge detector's weights: ``inside`` on rows [top, bottom) x columns [left, right),
    ``outside`` on the ``margin`` rows just above and below that band (same columns), 0 elsewhere.

    The defaults are the lesson's detector (scenes 7 and 9): rows 6-8, columns 8-19 of a digit.

    >>> w = band_weights()
    >>> w[3:11, 10].tolist()
    [0.0, -1.0, -1.0, 1.0, 1.0, 1.0, -1.0, -1.0]
    """
    w = np.zeros(shape)
    (top, bottom), (left, right) = rows, cols
    w[max(0, top - margin) : top, left:right] = outside
    w[bottom : bottom + margin, left:right] = outside
    w[top:bottom, left:right] = inside
    return w


def stroke_mask(kind: str, shape: tuple[int, int] = (SIDE, SIDE)) -> BoolArray:
    """A short stroke, about 3 pixels thick, where digits often have one (``kind`` in :data:`STROKES`).

    Drawn for a 28x28 grid (positions are in its pixels).

    >>> int(stroke_mask("top bar").sum())
    27
    """
    m = np.zeros(shape, dtype=bool)
    r, c = np.mgrid[0 : shape[0], 0 : shape[1]]
    if kind == "top bar":
        m[5:8, 10:19] = True
    elif kind == "middle bar":
        m[13:16, 10:18] = True
    elif kind == "right stroke":
        m[8:17, 17:20] = True
    elif kind == "diagonal":
        m = (np.abs((r - 14) + (c - 14)) <= 1) & (r >= 9) & (r <= 21)
    elif kind == "loop":
        d = np.hypot((r - 14.0) / 1.3, c - 14.0)
        m = (d >= 4.0) & (d <= 6.0)
    else:
        raise ValueError(f"unknown stroke {kind!r}; use one of: {', '.join(STROKES)}")
    return m


def stroke_weights(stroke: BoolArray, gap: int = 1, border: int = 1) -> FloatArray:
    """+1 on the stroke, -1 on a ring ``border`` pixels wide that starts ``gap`` pixels out from it, 0 elsewhere.

    The gap lets real strokes be a little wider or off-centre without touching the ring.
    """
    ring = dilate(stroke, gap + border) & ~dilate(stroke, gap)
    return stroke.astype(float) - ring.astype(float)


def detector_network(
    weights: Sequence[npt.ArrayLike] | npt.NDArray[np.float64], biases: npt.ArrayLike = 0.0
) -> Network:
    """One layer of hand-set neurons as a real core Network: neuron i gets ``weights[i]`` and ``biases[i]``.

    Each ``weights[i]`` is an image (flattened row by row, like the pixels) or a flat row; a
    single number for ``biases`` is every neuron's bias.

    >>> detector_network([[1.0, -1.0]], biases=0.5).forward(np.array([1.0, 0.0])).weighted_sums[0].tolist()
    [1.5]
    """
    rows = np.array([np.asarray(w, dtype=float).ravel() for w in weights])
    b = np.broadcast_to(np.asarray(biases, dtype=float), (len(rows),)).copy()
    return Network.from_parameters([rows], [b])


def stroke_detectors(kinds: Sequence[str], gap: int = 1, border: int = 1, bias_fraction: float = 0.4) -> Network:
    """A Network (784 -> len(kinds)) whose neuron i fires when stroke i is inked and its surround is not.

    Weights from :func:`stroke_weights`; the bias is minus ``bias_fraction`` times the stroke's
    pixel count, so that share of the stroke must be inked (more if the ring is) before the
    neuron lights up.

    >>> stroke_detectors(["top bar", "loop"]).sizes
    [784, 2]
    """
    strokes = [stroke_mask(kind) for kind in kinds]
    return detector_network(
        [stroke_weights(s, gap, border) for s in strokes],
        [-bias_fraction * float(s.sum()) for s in strokes],
    )


__all__ = [
    "SIDE",
    "STROKES",
    "band_weights",
    "detector_network",
    "stroke_detectors",
    "stroke_mask",
    "stroke_weights",
]
