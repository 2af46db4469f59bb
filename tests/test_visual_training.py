"""The mobjects of a training run and of its mistakes: state against the core's numbers, and last frames.

Regenerate the control data (tests/control_data/training/) after an intended change of the look with
``pytest tests/test_visual_training.py --set_test``.
"""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("manim")

from manim import DOWN, LEFT, RIGHT, UP, Text
from manim.utils.testing.frames_comparison import frames_comparison

from nnviz.core.datasets import load_dataset
from nnviz.core.snapshots import load_snapshots
from nnviz.core.training import confusion_matrix
from nnviz.theme import get_theme
from nnviz.visual import ConfusionGrid, LearningCurve, OutputBars, SnapshotText, WeightSheet
from nnviz.visual.playback import snapshot_animation
from nnviz.visual.weight_sheet import sheet_pixels

__module_test__ = "training"


def _digit() -> tuple[np.ndarray, int]:
    test = load_dataset(split="test")
    return test.images[468] / 255.0, int(test.labels[468])


# ---------------------------------------------------------------- state


def test_weight_sheet_shows_each_snapshot_and_cross_fades_between() -> None:
    run = load_snapshots()
    sheet = WeightSheet(run.weights[0][:4], height=4)
    sheet.show_at(2)
    assert np.array_equal(sheet.image.pixel_array, np.rint(sheet_pixels(run.weights[0][2])).astype(np.uint8))
    sheet.show_at(2.25)
    a, b = sheet_pixels(run.weights[0][2]), sheet_pixels(run.weights[0][3])
    assert np.array_equal(sheet.image.pixel_array, np.rint((0.75 * a + 0.25 * b).astype(np.float32)).astype(np.uint8))
    assert len(sheet.frames) == 16
    # Tile k's colours: neuron k's weights, blue where positive, red where negative, at full strength.
    w = run.weights[0][2][5]
    tile = sheet_pixels(run.weights[0][2])[32:60, 32:60]  # row 1, column 1 of the 4x4 sheet
    strongest = np.unravel_index(np.argmax(np.abs(w)), (28, 28))
    colour = get_theme().positive if w[np.argmax(np.abs(w))] > 0 else get_theme().negative
    assert "#" + "".join(f"{int(v):02X}" for v in tile[strongest][:3]) == colour.upper()


def test_curves_bars_and_texts_follow_the_snapshots() -> None:
    run = load_snapshots()
    curve = LearningCurve(run.epochs, run.accuracy, 40, 1, "accuracy", values=[f"{a:.1%}" for a in run.accuracy])
    label = SnapshotText([str(int(s)) for s in run.steps])
    pixels, digit = _digit()
    outputs = run.outputs(pixels)
    bars = OutputBars(outputs, true_label=digit)
    animation = snapshot_animation([curve, label, bars], 0, len(run) - 1)
    animation.interpolate(0.7)  # no dt anywhere: the state depends on alpha alone
    s = 0.7 * (len(run) - 1)
    i = int(np.floor(s))  # numbers and texts: the last snapshot reached
    assert np.allclose(curve.head.get_center(), curve.point_at(s))
    assert np.allclose(curve.point_at(i), curve.axes.c2p(run.epochs[i], run.accuracy[i]))
    assert label.submobjects[0].text == str(int(run.steps[i]))
    assert curve.value is not None and curve.value.submobjects[0].text == f"{run.accuracy[i]:.1%}"
    lo = int(np.floor(s))
    expected = (1 - (s - lo)) * outputs[lo] + (s - lo) * outputs[lo + 1]
    assert np.allclose([bar.width for bar in bars.bars], np.maximum(expected * bars.bar_length, 1e-3))
    assert [n.text for n in bars.numbers] == [f"{v:.2f}" for v in outputs[i]]
    animation.interpolate(1.0)
    assert bars.answer == int(np.argmax(outputs[-1])) == digit
    assert bars.bars[digit].get_fill_color().to_hex().upper() == get_theme().highlight.upper()


def test_confusion_grid_cells_are_the_counts() -> None:
    run = load_snapshots()
    test = load_dataset(split="test")
    counts = confusion_matrix(run.network(-1), test.images, test.labels)
    grid = ConfusionGrid(counts)
    assert len(grid.numbers) == int(np.count_nonzero(counts))
    assert sorted(int(n.text) for n in grid.numbers) == sorted(counts[counts > 0].tolist())
    assert grid.cell(3, 3).get_fill_opacity() == pytest.approx((counts[3, 3] / counts[3].sum()) ** 0.5)
    assert grid.cell(0, 5).get_fill_opacity() == 0


# ---------------------------------------------------------------- last frames


@frames_comparison(last_frame=True)
def test_weight_sheet_mid_training(scene):
    run = load_snapshots()
    scene.add(WeightSheet(run.weights[0], height=7.4).show_at(6.5))


@frames_comparison(last_frame=True)
def test_learning_curves(scene):
    run = load_snapshots()
    acc = LearningCurve(
        run.epochs, run.accuracy, 1.0, 1.0, "held-out accuracy", "epoch", percent=True, y_step=0.5,
        values=[f"{a:.1%}" for a in run.accuracy],
    ).show_at(9.5)  # fmt: skip
    cost = LearningCurve(
        run.epochs, run.cost, 40, 11, "held-out cost", values=[f"{c:.2f}" for c in run.cost], color="#58C4DD"
    ).show_at(len(run) - 1)
    scene.add(acc.shift(2 * UP), cost.shift(1.8 * DOWN))


@frames_comparison(last_frame=True)
def test_output_bars(scene):
    run = load_snapshots()
    pixels, digit = _digit()
    bars = OutputBars(run.outputs(pixels), true_label=digit).show_at(8)
    scene.add(bars.move_to(2 * LEFT), Text("snapshot 8", font_size=24).next_to(bars, RIGHT, buff=1))


@frames_comparison(last_frame=True)
def test_confusion_grid(scene):
    test = load_dataset(split="test")
    counts = confusion_matrix(load_snapshots().network(-1), test.images, test.labels)
    scene.add(ConfusionGrid(counts, cell_size=0.55).shift(0.5 * RIGHT))
