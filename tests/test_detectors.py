"""Hand-set detectors (nnviz.core.detectors): their weights, and real networks built from them."""

from __future__ import annotations

import numpy as np
import pytest

from nnviz.core.activations import sigmoid
from nnviz.core.detectors import (
    STROKES,
    band_weights,
    detector_network,
    stroke_detectors,
    stroke_mask,
    stroke_weights,
)


def test_band_weights_are_positive_in_the_band_negative_around_it() -> None:
    w = band_weights((3, 5), (1, 4), margin=1, inside=2.0, outside=-0.5, shape=(7, 6))
    expected = np.zeros((7, 6))
    expected[2, 1:4] = expected[5, 1:4] = -0.5
    expected[3:5, 1:4] = 2.0
    assert np.array_equal(w, expected)


def test_band_margin_is_clipped_at_the_top_edge() -> None:
    w = band_weights((1, 2), (0, 3), margin=3, shape=(6, 3))
    assert w[:, 0].tolist() == [-1.0, 1.0, -1.0, -1.0, -1.0, 0.0]


def test_detector_network_computes_weighted_sums_of_the_image() -> None:
    image = np.arange(12.0).reshape(3, 4) / 12
    w = band_weights((1, 2), (0, 4), margin=1, shape=(3, 4))
    net = detector_network([w, -w], biases=[0.5, -1.0])
    assert net.sizes == [12, 2]
    trace = net.forward(image)
    z = float(image[1].sum() - image[0].sum() - image[2].sum())
    assert trace.weighted_sums[0].tolist() == pytest.approx([z + 0.5, -z - 1.0])
    assert trace.output.tolist() == pytest.approx(sigmoid(np.array([z + 0.5, -z - 1.0])).tolist())


def test_detector_network_takes_one_bias_for_all_and_flat_rows() -> None:
    net = detector_network(np.array([[1.0, 0.0], [0.0, 1.0]]), biases=-2.0)
    assert net.biases[0].tolist() == [-2.0, -2.0]
    assert net.forward(np.array([3.0, 5.0])).weighted_sums[0].tolist() == [1.0, 3.0]


def test_stroke_weights_ring_starts_after_the_gap() -> None:
    stroke = np.zeros((9, 9), dtype=bool)
    stroke[4, 4] = True
    w = stroke_weights(stroke, gap=1, border=2)
    assert w[4, 4] == 1.0
    assert w[3:6, 3:6].sum() == 1.0  # the gap: zeros around the stroke
    assert (w == -1.0).sum() == 7 * 7 - 3 * 3  # a ring 2 pixels wide around the 3x3 gap
    assert (w[0] == 0).all() and (w[:, 8] == 0).all()  # nothing beyond the ring
    assert set(np.unique(w)) == {-1.0, 0.0, 1.0}


@pytest.mark.parametrize("kind", STROKES)
def test_every_stroke_is_a_small_inked_region(kind: str) -> None:
    m = stroke_mask(kind)
    assert m.shape == (28, 28) and m.dtype == bool
    assert 15 <= m.sum() <= 200


def test_unknown_stroke() -> None:
    with pytest.raises(ValueError, match="unknown stroke"):
        stroke_mask("squiggle")


def test_stroke_detectors_fire_on_their_stroke_only() -> None:
    net = stroke_detectors(["top bar", "middle bar"], bias_fraction=0.4)
    top, middle = stroke_mask("top bar"), stroke_mask("middle bar")
    assert net.biases[0].tolist() == [-0.4 * top.sum(), -0.4 * middle.sum()]
    a = net.forward(top.astype(float)).output
    assert a[0] > 0.99 and a[1] < 0.01
    a = net.forward(middle.astype(float)).output
    assert a[1] > 0.99 and a[0] < 0.01
