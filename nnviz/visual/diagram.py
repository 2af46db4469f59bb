"""The network diagram: layers of neurons lit by their activations, edges coloured by their weights.

:class:`NetworkDiagram` draws a core :class:`~nnviz.core.network.Network` (or bare layer sizes):

* each neuron a circle (radius ``theme.neuron_radius``, white stroke) whose fill opacity is its
  activation, set from a forward :class:`~nnviz.core.network.Trace`;
* a layer larger than ``shown`` shows ``shown // 2`` neurons, a vertical ellipsis and the rest,
  with a brace labelled by the real size (784); which neurons are shown is decided by
  :func:`shown_indices` alone, for the neurons' activations and the edges' weights alike;
* each edge a line from rim to rim, coloured by its weight's sign and as wide as
  :func:`~nnviz.theme.edge_width` says for ``|w| / max|W|`` of its whole weight matrix;
* the output neurons labelled 0-9 on the right.

With ``all_inputs=True`` the 784 inputs are drawn as a 28x28 sheet of small neurons with all
12,544 first-layer edges.

Example::

    from manim import Scene, Create
    import numpy as np
    from nnviz.core.weights import load_network_file
    from nnviz.visual.diagram import NetworkDiagram

    class Diagram(Scene):
        def construct(self):
            net = load_network_file("assets/network.npz")
            digit = np.load("assets/mnist_subset.npz")["images"][0] / 255
            diagram = NetworkDiagram(net).set_trace(net.forward(digit))
            self.add(diagram, diagram.box_winner())
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, cast

import numpy as np
from manim import (
    LEFT,
    ORIGIN,
    RIGHT,
    UP,
    Brace,
    DecimalNumber,
    Dot,
    MathTex,
    SurroundingRectangle,
    VGroup,
    VMobject,
)
from manim.utils.color import ManimColor

from ..core.errors import NnvizError
from ..core.network import Network, Trace
from ..core.shown import shown_indices
from ..theme import GREY, Theme, edge_width, get_theme, weight_color
from .diagram_parts import Edge, Neuron
from .mobject_utils import LeafGroup, fast_copy, polyline_points


def _rgba(color: str, opacity: float = 1.0) -> np.ndarray:
    return np.array([[*ManimColor(color).to_rgb(), opacity]], dtype=float)


class NetworkDiagram(VGroup):
    """A feed-forward network drawn as layers of neurons joined by weight-coloured edges.

    Parameters
    ----------
    network_or_sizes
        A core :class:`~nnviz.core.network.Network` (edges get its weights) or a list of layer
        sizes (edges drawn thin and grey, since there are no weights).
    theme
        Colours and sizes; ``None`` is the current theme.
    shown
        A layer with more neurons shows this many (half above an ellipsis); default
        ``theme.shown_inputs`` (16). Which ones: :func:`shown_indices`.
    edge_threshold
        Hide edges with ``|w| < edge_threshold * max|W|`` (max over the drawn edges of that layer).
    all_inputs
        Draw every input as a small neuron in a square sheet (28x28 for 784 inputs), with every
        first-layer edge.
    trace
        A forward trace to show at once (same as :meth:`set_trace`).
    labels
        Labels of the output neurons; default their indices 0, 1, 2, ...

    Attributes: ``network`` (or ``None``), ``sizes``, ``shown`` (per layer, the indices shown),
    ``layers`` (per layer, a VGroup of :class:`Neuron` top to bottom), ``edge_groups``
    (``edge_groups[l - 1]`` holds the edges into layer l), ``output_labels``, ``braces``,
    ``ellipses``, ``activations`` (per layer, the full activation vectors last set, or ``None``).

    Example::

        class Propagation(Scene):
            def construct(self):
                net = load_network_file("assets/network.npz")
                digit = np.load("assets/mnist_subset.npz")["images"][0] / 255
                diagram = NetworkDiagram(net)
                self.add(diagram)
                self.play(propagate(diagram, net.forward(digit)))
    """

    def __init__(
        self,
        network_or_sizes: Network | Sequence[int],
        theme: Theme | str | None = None,
        shown: int | None = None,
        edge_threshold: float = 0.0,
        all_inputs: bool = False,
        trace: Trace | None = None,
        labels: Sequence[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        t = get_theme(theme)
        self.theme = t
        if isinstance(network_or_sizes, Network):
            self.network: Network | None = network_or_sizes
            self.sizes = list(network_or_sizes.sizes)
        else:
            self.network = None
            self.sizes = [int(s) for s in network_or_sizes]
            if len(self.sizes) < 2 or min(self.sizes) < 1:
                raise NnvizError(
                    f"layer sizes {self.sizes}: a diagram needs at least two layers of size >= 1, "
                    "e.g. [784, 16, 16, 10]"
                )
        self.max_shown = int(t.shown_inputs if shown is None else shown)
        if self.max_shown < 2:
            raise NnvizError(f"shown={self.max_shown}: show at least 2 neurons of a large layer (the default is 16)")
        self.edge_threshold = float(edge_threshold)
        self.all_inputs = bool(all_inputs)
        self.sheet_side = 0
        if self.all_inputs:
            side = int(round(np.sqrt(self.sizes[0])))
            if side * side != self.sizes[0]:
                raise NnvizError(
                    f"all_inputs draws the inputs as a square sheet, but {self.sizes[0]} is not a square number: "
                    "pass all_inputs=False"
                )
            self.sheet_side = side
        self.shown: list[np.ndarray] = [
            np.arange(n) if (l == 0 and self.all_inputs) else shown_indices(n, self.max_shown, image=(l == 0))
            for l, n in enumerate(self.sizes)
        ]
        self.activations: list[np.ndarray | None] = [None] * len(self.sizes)
        self._neurons: dict[tuple[int, int], Neuron] = {}
        self._incoming: dict[tuple[int, int], list[Edge]] = {}
        self._outgoing: dict[tuple[int, int], list[Edge]] = {}
        self.ellipses: dict[int, VGroup] = {}
        self.braces: dict[int, VGroup] = {}

        self._layout()
        self.layers: list[VGroup] = [self._build_layer(l) for l in range(len(self.sizes))]
        self.edge_groups: list[VGroup] = [self._build_edges(l) for l in range(1, len(self.sizes))]
        self.output_labels = self._build_labels(labels)
        self._build_ellipses_and_braces()
        # Drawing order: edges below neurons, labels on top.
        self.add(*self.edge_groups, *self.layers, *self.ellipses.values(), *self.braces.values(), self.output_labels)
        self.move_to(ORIGIN)
        if trace is not None:
            self.set_trace(trace)

    # -- layout ---------------------------------------------------------------------------------
    @property
    def num_layers(self) -> int:
        """Number of layers, the input layer included."""
        return len(self.sizes)

    def is_elided(self, layer: int) -> bool:
        """Whether ``layer`` shows only some of its neurons (with an ellipsis and a brace)."""
        return len(self.shown[layer]) < self.sizes[layer]

    def _layout(self) -> None:
        t = self.theme
        L = self.num_layers
        xs = np.arange(L, dtype=float) * t.layer_spacing
        if self.all_inputs:  # the first hidden layer stands layer_spacing right of the sheet
            xs[1:] += (self.sheet_side - 1) * t.sheet_spacing / 2
        left = xs[0] - (((self.sheet_side - 1) * t.sheet_spacing / 2) if self.all_inputs else 0.0)
        right = xs[-1]
        self._xs = xs - (left + right) / 2
        self._positions: list[np.ndarray] = []
        for l in range(L):
            self._positions.append(self._layer_positions(l))

    def _layer_positions(self, l: int) -> np.ndarray:
        t = self.theme
        x = self._xs[l]
        n_shown = len(self.shown[l])
        if l == 0 and self.all_inputs:
            side = self.sheet_side
            r, c = np.divmod(np.arange(side * side), side)
            pos = np.zeros((side * side, 3))
            pos[:, 0] = x + (c - (side - 1) / 2) * t.sheet_spacing
            pos[:, 1] = ((side - 1) / 2 - r) * t.sheet_spacing
            return pos
        if self.is_elided(l):
            top = n_shown // 2 + n_shown % 2
            slots = np.concatenate([np.arange(top), top + t.ellipsis_slots + np.arange(n_shown - top)])
        else:
            slots = np.arange(n_shown, dtype=float)
        span = slots[-1] if len(slots) else 0.0
        pos = np.zeros((n_shown, 3))
        pos[:, 0] = x
        pos[:, 1] = (span / 2 - slots) * t.neuron_spacing
        return pos

    # -- construction ---------------------------------------------------------------------------
    def _build_layer(self, l: int) -> VGroup:
        t = self.theme
        sheet = l == 0 and self.all_inputs
        prototype = Neuron(radius=t.sheet_radius if sheet else t.neuron_radius, theme=t)
        if sheet:
            prototype.set_stroke(width=max(0.5, t.neuron_stroke * t.sheet_radius / t.neuron_radius))
        base = prototype.points.copy()
        neurons = []
        for k, p in zip(self.shown[l], self._positions[l]):
            n = fast_copy(prototype)
            n.points = base + p
            n.layer, n.index, n.activation = l, int(k), None
            self._neurons[(l, int(k))] = n
            neurons.append(n)
        return LeafGroup(*neurons)

    def radius(self, layer: int) -> float:
        """Radius of the neurons of ``layer``."""
        sheet = layer == 0 and self.all_inputs
        return self.theme.sheet_radius if sheet else self.theme.neuron_radius

    def max_abs_weight(self, layer: int) -> float:
        """max|W| over the drawn edges into ``layer`` (1..L): the scale of their widths.

        Taken over the drawn edges, not the whole matrix: one strong weight to an undrawn
        pixel would otherwise make every drawn edge hair-thin.
        """
        if self.network is None:
            return 1.0
        drawn = self.network.weights[layer - 1][np.ix_(self.shown[layer], self.shown[layer - 1])]
        return float(np.max(np.abs(drawn))) if drawn.size else 1.0

    def edge_stroke_width(self, layer: int, w: np.ndarray | float) -> np.ndarray:
        """Stroke width of an edge into ``layer`` carrying weight ``w``.

        :func:`~nnviz.theme.edge_width` of ``|w| / max|W|``; the first layer of an
        all-inputs diagram is scaled down to ``theme.sheet_edge_width`` so 12,544 edges stay legible.
        """
        width = edge_width(w, self.max_abs_weight(layer), self.theme)
        if layer == 1 and self.all_inputs:
            width = width * (self.theme.sheet_edge_width / self.theme.max_edge_width)
        return width

    def _build_edges(self, l: int) -> VGroup:
        t = self.theme
        src_idx, dst_idx = self.shown[l - 1], self.shown[l]
        src_pos, dst_pos = self._positions[l - 1], self._positions[l]
        if self.network is not None:
            W = self.network.weights[l - 1][np.ix_(dst_idx, src_idx)]  # (targets, sources)
            W = W.T  # (sources, targets), edges listed source-major
            keep = np.abs(W) >= self.edge_threshold * self.max_abs_weight(l)
            widths = self.edge_stroke_width(l, W)
        else:
            W = np.zeros((len(src_idx), len(dst_idx)))
            keep = np.ones(W.shape, dtype=bool)
            widths = np.ones(W.shape)
        si, di = np.nonzero(keep)
        a, b = src_pos[si], dst_pos[di]
        d = b - a
        u = d / np.linalg.norm(d, axis=1, keepdims=True)
        starts = a + u * self.radius(l - 1)
        ends = b - u * self.radius(l)
        prototype = Edge(LEFT, RIGHT, stroke_width=1, color=GREY)
        colors = {c: _rgba(c) for c in (t.positive, t.negative, GREY)}
        edges = []
        for i, j, s, e in zip(si, di, starts, ends):
            edge = fast_copy(prototype)
            edge.points = polyline_points(np.array([s, e]))
            edge.start, edge.end = s.copy(), e.copy()
            k_src, k_dst = int(src_idx[i]), int(dst_idx[j])
            if self.network is not None:
                w = float(W[i, j])
                edge.weight = w
                edge.stroke_rgbas = colors[weight_color(w, t)].copy()
                edge.stroke_width = float(widths[i, j])
            else:
                edge.weight = None
                edge.stroke_rgbas = colors[GREY].copy()
                edge.stroke_width = 1.0
            edge.layer, edge.source, edge.target = l, k_src, k_dst
            self._outgoing.setdefault((l - 1, k_src), []).append(edge)
            self._incoming.setdefault((l, k_dst), []).append(edge)
            edges.append(edge)
        return LeafGroup(*edges)

    def _build_labels(self, labels: Sequence[str] | None) -> VGroup:
        t = self.theme
        L = self.num_layers - 1
        texts = [str(labels[k]) if labels is not None else str(int(k)) for k in self.shown[L]]
        # one LaTeX run for all the labels, then each part moves next to its neuron
        tex = MathTex(*texts, font_size=t.label_font_size, color=t.neuron_color)
        group = VGroup(*tex.submobjects)
        for n, label in zip(self.layers[L], group):
            label.next_to(n, RIGHT, buff=0.2)
        return group

    def _build_ellipses_and_braces(self) -> None:
        t = self.theme
        for l in range(self.num_layers):
            if not self.is_elided(l):
                continue
            layer = self.layers[l]
            n_shown = len(self.shown[l])
            top = n_shown // 2 + n_shown % 2
            upper, lower = layer[top - 1], layer[top]
            mid = (upper.get_center() + lower.get_center()) / 2
            gap = np.linalg.norm(upper.get_center() - lower.get_center())
            dots = VGroup(*[Dot(mid + UP * f * gap * 0.22, radius=0.035, color=t.neuron_color) for f in (-1, 0, 1)])
            self.ellipses[l] = dots
            direction = LEFT if l == 0 else RIGHT
            target = VGroup(layer, self.output_labels) if l == self.num_layers - 1 else layer
            brace = Brace(target, direction=direction, buff=0.15, color=t.neuron_color)
            label = MathTex(str(self.sizes[l]), font_size=t.label_font_size, color=t.neuron_color)
            label.next_to(brace, direction, buff=0.1)
            group = VGroup(brace, label)
            group.brace, group.label = brace, label  # type: ignore[attr-defined]
            self.braces[l] = group

    # -- access ---------------------------------------------------------------------------------
    def neuron(self, layer: int, k: int) -> Neuron:
        """Neuron ``k`` (index in the full layer) of ``layer``; NnvizError if it is not shown."""
        try:
            return self._neurons[(layer, int(k))]
        except KeyError:
            raise NnvizError(f"neuron {k} of layer {layer} is not shown; shown: {self.shown[layer].tolist()}") from None

    def _neurons_of(self, layer: int) -> Iterable[Neuron]:
        """``layers[layer]``, typed: the group holds only the layer's Neurons, in drawing order."""
        return cast("Iterable[Neuron]", self.layers[layer])

    def incoming_edges(self, layer: int, k: int) -> VGroup:
        """The drawn edges into neuron ``k`` of ``layer`` (1..L), in source order."""
        self.neuron(layer, k)
        return VGroup(*self._incoming.get((layer, int(k)), []))

    def outgoing_edges(self, layer: int, k: int) -> VGroup:
        """The drawn edges out of neuron ``k`` of ``layer`` (0..L-1), in target order."""
        self.neuron(layer, k)
        return VGroup(*self._outgoing.get((layer, int(k)), []))

    def edges_into(self, layer: int) -> VGroup:
        """All drawn edges into ``layer`` (1..L)."""
        if not 1 <= layer < self.num_layers:
            raise NnvizError(f"layer {layer} has no incoming edges; use 1..{self.num_layers - 1}")
        return self.edge_groups[layer - 1]

    def label(self, k: int) -> VMobject:
        """The label of output neuron ``k``."""
        idx = np.flatnonzero(self.shown[-1] == k)
        if len(idx) == 0:
            raise NnvizError(f"output {k} is not shown")
        return self.output_labels[int(idx[0])]

    # -- state ----------------------------------------------------------------------------------
    def set_layer(self, layer: int, values: np.ndarray | Sequence[float]) -> NetworkDiagram:
        """Show the activations ``values`` (the full layer, e.g. 784 inputs or a 28x28 image)."""
        v = np.asarray(values, dtype=float).ravel()
        if v.size != self.sizes[layer]:
            raise NnvizError(
                f"layer {layer} has {self.sizes[layer]} neurons, got {v.size} values: pass the full layer's activations"
            )
        self.activations[layer] = v.copy()
        for n, k in zip(self._neurons_of(layer), self.shown[layer]):
            n.set_activation(v[k])
        return self

    def clear_activations(self) -> NetworkDiagram:
        """Empty every neuron (fill opacity 0), as before any input."""
        for l in range(self.num_layers):
            self.activations[l] = None
            for n in self._neurons_of(l):
                n.activation = None
                n.set_fill(opacity=0.0)
        return self

    def set_trace(self, trace: Trace) -> NetworkDiagram:
        """Fill every shown neuron with its activation in ``trace`` (one input, not a batch)."""
        acts = trace.activations
        if len(acts) != self.num_layers:
            raise NnvizError(
                f"a trace of {len(acts)} layers for a diagram of {self.num_layers}: pass the trace of this diagram's "
                "network, net.forward(x)"
            )
        for l, a in enumerate(acts):
            if np.ndim(a) != 1:
                raise NnvizError(
                    "set_trace takes the trace of a single input, not a batch: pass net.forward(x) with x of shape (n,)"
                )
            self.set_layer(l, a)
        return self

    def with_trace(self, trace: Trace) -> NetworkDiagram:
        """A copy of this diagram showing ``trace`` (this one is unchanged), e.g. a Transform target."""
        copy: NetworkDiagram = self.copy()
        return copy.set_trace(trace)

    def winner(self, trace: Trace | None = None) -> int:
        """Index of the brightest output: of ``trace``, or of the activations shown now."""
        if trace is not None:
            return int(np.argmax(trace.activations[-1]))
        out = self.activations[-1]
        if out is None:
            raise NnvizError("the diagram shows no output activations yet: call set_trace first, or pass a trace")
        return int(np.argmax(out))

    def box_winner(self, trace: Trace | None = None) -> SurroundingRectangle:
        """A yellow box around the brightest output neuron and its label (not added to the diagram)."""
        k = self.winner(trace)
        target = VGroup(self.neuron(self.num_layers - 1, k), self.label(k))
        return SurroundingRectangle(
            target, color=self.theme.highlight, buff=self.theme.box_buff, stroke_width=self.theme.neuron_stroke + 1
        )

    def output_numbers(
        self, outputs: Trace | np.ndarray | Sequence[float], *, font_size: float | None = None, buff: float = 0.3
    ) -> VGroup:
        """The output activations as numbers, each right of its output's label; the winner's in yellow.

        ``outputs`` is the output layer's activation vector (``sizes[-1]`` values), or a
        :class:`~nnviz.core.network.Trace` whose last activations are used. One
        ``DecimalNumber`` per shown output neuron, in ``shown[-1]`` order, with
        ``theme.decimals`` places and ``font_size`` (default ``theme.label_font_size``); the
        largest output (the network's answer) is coloured ``theme.highlight``. The numbers are
        not added to the diagram.

        Example::

            class Answer(Scene):
                def construct(self):
                    net = load_network_file("assets/network.npz")
                    trace = net.forward(np.load("assets/mnist_subset.npz")["images"][0] / 255)
                    diagram = NetworkDiagram(net, trace=trace).shift(LEFT)
                    numbers = diagram.output_numbers(trace)
                    self.add(diagram)
                    self.play(LaggedStart(*[FadeIn(n) for n in numbers], lag_ratio=0.05))
        """
        values = outputs.activations[-1] if isinstance(outputs, Trace) else outputs
        out = np.asarray(values, dtype=float)
        if out.shape != (self.sizes[-1],):
            raise NnvizError(
                f"output_numbers got values of shape {out.shape} for {self.sizes[-1]} outputs: pass the output "
                "activations of one input, trace.activations[-1], or the trace itself"
            )
        best = int(np.argmax(out))
        size = self.theme.label_font_size if font_size is None else font_size
        numbers = VGroup()
        for k in self.shown[-1]:
            number = DecimalNumber(float(out[k]), num_decimal_places=self.theme.decimals, font_size=size)
            number.next_to(self.label(k), RIGHT, buff=buff)
            if k == best:
                number.set_color(self.theme.highlight)
            numbers.add(number)
        return numbers


__all__ = ["NetworkDiagram"]
