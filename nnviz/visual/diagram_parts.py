"""The parts a network diagram is made of: which neurons it shows, the neuron and the edge.

:func:`shown_indices` is the one place that decides which of a large layer's neurons are drawn
(for their activations and for the weights of their edges alike), :func:`activation_opacity`
the one map from an activation to a fill opacity. A :class:`Neuron` is a circle lit by its
activation, an :class:`Edge` a line that knows the weight it carries.

Example::

    from manim import Scene, RIGHT
    from nnviz.visual import Neuron

    class TwoNeurons(Scene):
        def construct(self):
            dim = Neuron(radius=0.35).set_activation(0.2).shift(RIGHT)
            bright = Neuron(radius=0.35).set_activation(0.9).shift(-RIGHT)
            self.add(dim, bright)
"""

from __future__ import annotations

from typing import Any

import numpy as np
from manim import Circle, Line

from ..core.errors import NnvizError
from ..theme import Theme, get_theme


def shown_indices(size: int, shown: int, *, image: bool = True) -> np.ndarray:
    """Which of a layer's ``size`` neurons a diagram shows when it shows only ``shown`` of them.

    The one place that decides it: a :class:`NetworkDiagram` uses these indices both for the
    activations its shown neurons display and for the weights its shown edges carry.

    * ``shown >= size``: every neuron, ``0 .. size-1``.
    * An image-like layer (``image=True`` and ``size`` a square number n*n with n >= 8, as the
      784 = 28x28 inputs): evenly spaced positions, in reading order, over the central region of
      the image (the middle 20x20 of 28x28, where MNIST centres its digits), so the shown input
      neurons sample the pixels a digit actually lights instead of the always-black border.
    * Otherwise: evenly spaced over ``0 .. size-1`` (first and last included).

    Deterministic, sorted ascending (top of the column first), no repeats.

    >>> shown_indices(784, 16)[:4].tolist()
    [116, 151, 185, 228]
    >>> shown_indices(10, 16).tolist()
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]

    Example::

        class ShownPixels(Scene):
            def construct(self):
                grid = PixelGrid(np.load("assets/mnist_subset.npz")["images"][0])
                picked = [grid.pixel(*divmod(int(k), 28)) for k in shown_indices(784, 16)]
                self.add(grid, *[SurroundingRectangle(p, buff=0) for p in picked])
    """
    size, shown = int(size), int(shown)
    if size < 0 or shown < 0:
        raise NnvizError(f"size {size} and shown {shown}: both must be >= 0 (a layer's size, how many to show)")
    if shown >= size:
        return np.arange(size)
    if shown == 0:
        return np.arange(0)
    side = int(round(np.sqrt(size)))
    if image and side * side == size and side >= 8:
        margin = int(round(side * 4 / 28))
        inner = side - 2 * margin
        if inner * inner >= shown:
            picks = np.rint(np.linspace(0, inner * inner - 1, shown)).astype(int)
            rows, cols = np.divmod(picks, inner)
            return np.unique((rows + margin) * side + cols + margin)
    return np.unique(np.rint(np.linspace(0, size - 1, shown)).astype(int))


def activation_opacity(a: np.ndarray | float) -> np.ndarray:
    """Fill opacity of a neuron with activation ``a``: ``a`` itself, clipped to [0, 1].

    Sigmoid activations are already in (0, 1); ReLU activations above 1 show as fully lit.

    Example::

        class Lit(Scene):
            def construct(self):
                self.add(Circle(fill_opacity=float(activation_opacity(0.7))))
    """
    return np.clip(np.asarray(a, dtype=float), 0.0, 1.0)


class Neuron(Circle):
    """A neuron: a circle whose fill opacity is its activation.

    ``layer`` and ``index`` say which neuron of the network it is (``index`` in the full layer,
    e.g. input pixel 406), ``activation`` the value it shows (``None`` before any trace).

    Example::

        class CloseUp(Scene):
            def construct(self):
                self.add(Neuron(radius=0.35).set_activation(0.8))
    """

    def __init__(self, radius: float | None = None, theme: Theme | str | None = None, **kwargs: Any) -> None:
        t = get_theme(theme)
        super().__init__(
            radius=t.neuron_radius if radius is None else radius,
            stroke_color=t.neuron_color,
            stroke_width=t.neuron_stroke,
            fill_color=t.neuron_color,
            fill_opacity=0.0,
            **kwargs,
        )
        self.layer = 0
        self.index = 0
        self.activation: float | None = None

    def set_activation(self, a: float) -> Neuron:
        """Show activation ``a``: fill opacity ``a`` (clipped to [0, 1])."""
        self.activation = float(a)
        self.set_fill(opacity=float(activation_opacity(a)))
        return self


class Edge(Line):
    """A connection from neuron ``source`` of layer ``layer - 1`` to neuron ``target`` of ``layer``.

    ``weight`` is the weight it carries (``None`` for a diagram built from bare sizes).

    Example::

        class OneEdge(Scene):
            def construct(self):
                diagram = NetworkDiagram(load_network_file("assets/network.npz"))
                edge = diagram.incoming_edges(1, 3)[0]   # edge.source, edge.target, edge.weight
                self.add(diagram)
                self.play(Indicate(edge))
    """

    layer: int
    source: int
    target: int  # type: ignore[assignment]  # the neuron index; shadows Mobject.target (generate_target)
    weight: float | None


__all__ = ["Edge", "Neuron", "activation_opacity", "shown_indices"]
