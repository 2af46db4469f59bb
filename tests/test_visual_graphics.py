"""Graphical regression: last frames of the pixel grids and diagrams against committed control data.

Regenerate after an intended change of the look with
``pytest tests/test_visual_graphics.py --set_test`` (control data in tests/control_data/visual/).
"""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("manim")

from manim import LEFT, RIGHT
from manim.utils.testing.frames_comparison import frames_comparison

from nnviz.core.network import Network
from nnviz.core.paths import EMBEDDED_DATASET
from nnviz.visual import NetworkDiagram, PixelGrid, weight_grids

__module_test__ = "visual"


def _net() -> Network:
    return Network([784, 16, 16, 10], seed=0)


def _digit() -> np.ndarray:
    with np.load(EMBEDDED_DATASET) as data:
        return data["images"][0]


@frames_comparison(last_frame=True)
def test_digit(scene):
    scene.add(PixelGrid(_digit()))


@frames_comparison(last_frame=True)
def test_weight_grid(scene):
    w = _net().weights[0][3]
    scene.add(
        PixelGrid.from_weights(w).shift(1.8 * LEFT),
        PixelGrid.weights_times_input(w, _digit()).shift(1.8 * RIGHT),
    )


@frames_comparison(last_frame=True)
def test_all_weight_grids(scene):
    scene.add(weight_grids(_net().weights[0]).scale_to_fit_height(7.4))


@frames_comparison(last_frame=True)
def test_diagram_with_trace(scene):
    net = _net()
    diagram = NetworkDiagram(net, trace=net.forward(_digit() / 255))
    scene.add(diagram, diagram.box_winner())


@frames_comparison(last_frame=True)
def test_all_inputs_diagram(scene):
    net = _net()
    diagram = NetworkDiagram(net, all_inputs=True, trace=net.forward(_digit() / 255))
    scene.add(diagram)
