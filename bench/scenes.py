"""Rendering benchmark: four scenes of the same 4-second length, timed by ``bench/render.py``.

``EmptyFloor`` is the floor (a dot crossing the screen: manim's fixed cost per frame, the video
encoder and start-up); the others are what the lesson renders most: a forward pass through the
784-16-16-10 diagram, the same with all 784 inputs and all 12,960 edges flashing, and the 16
first-layer weight grids fading in. The target is each scene within 3x of ``EmptyFloor``.

    manim render -qh --disable_caching bench/scenes.py ForwardPass
"""

from __future__ import annotations

import numpy as np
from manim import LEFT, RIGHT, Dot, FadeIn, LaggedStart, Scene, linear

from nnviz.core.network import Network
from nnviz.core.paths import EMBEDDED_DATASET, SHIPPED_NETWORK
from nnviz.core.weights import load_network_file
from nnviz.visual import NetworkDiagram, propagate, reveal, weight_grids

DURATION = 4.0  # seconds of video in every scene


def bench_network() -> Network:
    """The shipped trained network, or a seeded random one if it is not there."""
    if SHIPPED_NETWORK.exists():
        return load_network_file(SHIPPED_NETWORK)
    return Network([784, 16, 16, 10], seed=0)


def bench_digit() -> np.ndarray:
    """The first test digit of the embedded MNIST subset, as 784 values in [0, 1]."""
    with np.load(EMBEDDED_DATASET) as data:
        index = int(np.flatnonzero(data["test"])[0])
        return data["images"][index].reshape(-1) / 255.0


class EmptyFloor(Scene):
    """One small dot moving for 4 s: the cost of rendering and encoding frames at all."""

    def construct(self) -> None:
        dot = Dot(3 * LEFT, radius=0.05)
        self.add(dot)
        self.play(dot.animate.move_to(3 * RIGHT), run_time=DURATION, rate_func=linear)


class ForwardPass(Scene):
    """A digit propagating through the 784-16-16-10 diagram (16 shown inputs, real weights)."""

    def construct(self) -> None:
        net = bench_network()
        x = bench_digit()
        diagram = NetworkDiagram(net)
        diagram.set_layer(0, x)
        self.add(diagram)
        # three layers of theme.layer_time (1.2 s) and the winner box (0.4 s): 4 s
        self.play(propagate(diagram, net.forward(x), run_time=DURATION))


class AllEdgesForwardPass(Scene):
    """The same with all 784 inputs as a 28x28 sheet and all 12,960 edges flashing."""

    def construct(self) -> None:
        net = bench_network()
        x = bench_digit()
        diagram = NetworkDiagram(net, all_inputs=True)
        diagram.set_layer(0, x)
        self.add(diagram)
        self.play(propagate(diagram, net.forward(x), run_time=DURATION))


class WeightGridsFadeIn(Scene):
    """The 16 first-layer weight grids (12,544 pixels) fading in one after another (nnviz's reveal)."""

    def construct(self) -> None:
        grids = weight_grids(bench_network().weights[0]).scale_to_fit_height(7.2)
        self.play(reveal(*grids, lag_ratio=0.25, run_time=DURATION))


class WeightGridsManimFadeIn(Scene):
    """Reference, not a target: the same fade with manim's FadeIn, which redraws every pixel per frame."""

    def construct(self) -> None:
        grids = weight_grids(bench_network().weights[0]).scale_to_fit_height(7.2)
        self.play(LaggedStart(*[FadeIn(g) for g in grids], lag_ratio=0.25, run_time=DURATION))
