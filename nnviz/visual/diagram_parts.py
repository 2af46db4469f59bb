"""The parts a network diagram is made of: the neuron and the edge.

Which of a large layer's neurons are drawn is decided in one place,
:func:`nnviz.core.shown.shown_indices`; :func:`activation_opacity` is the one map from an
activation to a fill opacity. A :class:`Neuron` is a circle lit by its activation, an
:class:`Edge` a line that knows the weight it carries.

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

from ..core.shown import shown_indices
from ..theme import Theme, get_theme


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
