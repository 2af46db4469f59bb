"""A forward pass drawn on a diagram: fills fading in layer by layer under a passing flash.

:class:`EdgeFlash` runs a yellow flash along many edges at once, :class:`Propagation` (built
with :func:`propagate`) animates a whole :class:`~nnviz.core.network.Trace` through a
:class:`~nnviz.visual.diagram.NetworkDiagram` and boxes the winning output. Both leave the
diagram static while they play (see :mod:`~nnviz.visual.animation_utils`).

Example::

    from manim import Scene
    import numpy as np
    from nnviz.core.weights import load_network_file
    from nnviz.visual import NetworkDiagram, PixelGrid, pixels_to_neurons, propagate

    class Forward(Scene):
        def construct(self):
            net = load_network_file("assets/network.npz")
            image = np.load("assets/mnist_subset.npz")["images"][0]
            diagram = NetworkDiagram(net)
            digit = PixelGrid(image).to_edge(LEFT)
            self.add(diagram, digit)
            self.play(pixels_to_neurons(digit, diagram))
            self.play(propagate(diagram, net.forward(image / 255)))
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

import numpy as np
from manim import Animation, Scene, SurroundingRectangle, VGroup, VMobject, linear, smooth

from ..core.errors import NnvizError
from ..theme import Theme, get_theme
from .animation_utils import FillOverlay, animation_group, lagged_progress, rate_array
from .diagram_parts import Edge, activation_opacity

if TYPE_CHECKING:
    from ..core.network import Trace
    from .diagram import NetworkDiagram


def _flash_bounds(alpha: np.ndarray, time_width: float) -> tuple[np.ndarray, np.ndarray]:
    """ShowPassingFlash's visible part [lower, upper] of a path at (rated) progress ``alpha``."""
    upper = alpha * (1.0 + time_width)
    lower = upper - time_width
    return np.maximum(lower, 0.0), np.minimum(upper, 1.0)


class _SegmentPath(VMobject):
    """Straight segments, each its own subpath of one cubic curve (4 points).

    Tells manim's camera where the subpaths split without its general scan, which would cost more
    than drawing the flash segments themselves.
    """

    def get_subpath_split_indices_from_points(self, points: np.ndarray, n_dims: int = 3) -> np.ndarray:
        n = len(points) // 4
        if n * 4 == len(points):
            starts = np.arange(n) * 4
            return np.stack([starts, starts + 4], axis=1)
        return super().get_subpath_split_indices_from_points(points, n_dims=n_dims)


class EdgeFlash(Animation):
    """A yellow flash passing along many edges at once, computed with numpy.

    The same path arithmetic as ``ShowPassingFlash(edges_copy, time_width=...)`` with manim's
    ``lag_ratio`` applied between *groups* of edges (by default, the edges leaving one neuron
    flash together): each frame, the visible part ``[lower, upper]`` of every edge is computed in
    one vectorised step and drawn as a few merged paths (one per stroke width), so 12,544 edges
    cost about as much as the few hundred visible at any moment. The edges are not modified.

    Parameters
    ----------
    edges
        The edges (straight lines) to flash, in order.
    groups
        Group index of each edge; groups start one after another with ``lag_ratio``. Default:
        a new group whenever an edge's ``source`` changes.
    time_width, lag_ratio
        As ShowPassingFlash's; defaults ``theme.flash_time_width`` and ``theme.flash_lag_ratio``.
    width_factor
        Flash stroke = this times the edge's stroke; default ``theme.flash_width``.

    Example::

        class Flash(Scene):
            def construct(self):
                diagram = NetworkDiagram(load_network_file("assets/network.npz"))
                self.add(diagram)
                self.play(EdgeFlash(diagram.edges_into(1)), run_time=1.2)
    """

    def __init__(
        self,
        edges: Sequence[VMobject] | VGroup,
        groups: Sequence[int] | np.ndarray | None = None,
        theme: Theme | str | None = None,
        time_width: float | None = None,
        lag_ratio: float | None = None,
        width_factor: float | None = None,
        width_levels: int = 6,
        **kwargs: Any,
    ) -> None:
        t = get_theme(theme)
        self.theme = t
        self.edges = list(edges)
        if not self.edges:
            raise NnvizError("EdgeFlash got no edges to flash: pass a non-empty group, e.g. diagram.edges_into(1)")
        self.time_width = t.flash_time_width if time_width is None else float(time_width)
        self.flash_lag = t.flash_lag_ratio if lag_ratio is None else float(lag_ratio)
        self.width_factor = t.flash_width if width_factor is None else float(width_factor)
        self.width_levels = max(1, int(width_levels))
        if groups is None:
            sources = [getattr(e, "source", i) for i, e in enumerate(self.edges)]
            change = np.r_[0, np.cumsum(np.asarray(sources[1:]) != np.asarray(sources[:-1]))]
            groups = change
        g = np.asarray(groups)
        if g.shape != (len(self.edges),):
            raise NnvizError(f"groups has shape {g.shape} for {len(self.edges)} edges: pass one group index per edge")
        _, self.groups = np.unique(g, return_inverse=True)  # 0..G-1 in order of first appearance
        self.n_groups = int(self.groups.max()) + 1
        self.flash_rate = kwargs.pop("flash_rate_func", smooth)
        kwargs.setdefault("rate_func", linear)
        super().__init__(VGroup(), remover=True, **kwargs)

    def begin(self) -> None:
        self.prepare()
        super().begin()

    def prepare(self) -> None:
        """Read the edges' end points and widths now (they may have moved since construction)."""
        if getattr(self, "_prepared", False):
            return
        self._prepared = True
        self.starts = np.array([e.points[0] for e in self.edges])
        self.ends = np.array([e.points[-1] for e in self.edges])
        widths = np.array([e.get_stroke_width() for e in self.edges], dtype=float) * self.width_factor
        top = widths.max() if widths.size and widths.max() > 0 else 1.0
        levels = np.clip(np.ceil(widths / top * self.width_levels).astype(int), 1, self.width_levels)
        self.level_of = levels - 1
        self.paths = []
        for lv in range(self.width_levels):
            path = _SegmentPath(
                stroke_color=self.theme.highlight, stroke_width=top * (lv + 1) / self.width_levels, fill_opacity=0
            )
            self.paths.append(path)
        animation_group(self).add(*self.paths)

    def bounds(self, alpha: float) -> tuple[np.ndarray, np.ndarray]:
        """The visible part [lower, upper] (fractions of its length) of every edge at ``alpha``."""
        sub = rate_array(self.flash_rate, lagged_progress(alpha, self.groups, self.n_groups, self.flash_lag))
        return _flash_bounds(np.asarray(sub, dtype=float), self.time_width)

    def interpolate_mobject(self, alpha: float) -> None:
        self.prepare()
        lower, upper = self.bounds(alpha)
        visible = upper > lower + 1e-9
        d = self.ends - self.starts
        for lv, path in enumerate(self.paths):
            sel = visible & (self.level_of == lv)
            if not sel.any():
                path.points = np.zeros((0, 3))
                continue
            p = self.starts[sel] + d[sel] * lower[sel, None]
            q = self.starts[sel] + d[sel] * upper[sel, None]
            path.points = np.stack([p, p + (q - p) / 3, p + 2 * (q - p) / 3, q], axis=1).reshape(-1, 3)


class Propagation(Animation):
    """A forward pass through a diagram, layer by layer, ending with the winner boxed.

    For each layer l = 1..L (and the input layer first, if it does not show the trace's input
    yet): the layer's neurons fade to their new activations while an :class:`EdgeFlash` runs along
    the incoming edges; each layer takes ``layer_time`` seconds. Then the brightest output is boxed
    (``box=True``; the box stays in the scene, as ``animation.box``). The diagram's neurons hold
    the trace's activations once it ends. Build it with :func:`propagate`.

    Example::

        class Forward(Scene):
            def construct(self):
                net = Network([8, 6, 6, 4], seed=0)
                diagram = NetworkDiagram(net)
                self.add(diagram)
                self.play(Propagation(diagram, net.forward(np.linspace(0, 1, 8))))
    """

    def __init__(
        self,
        diagram: NetworkDiagram,
        trace: Trace,
        layer_time: float | None = None,
        box: bool = True,
        **kwargs: Any,
    ) -> None:
        t = diagram.theme
        self.diagram = diagram
        self.trace = trace
        self.layer_time = float(t.layer_time if layer_time is None else layer_time)
        if self.layer_time <= 0:
            raise NnvizError(f"layer_time is {self.layer_time}: pass a positive number of seconds per layer")
        if len(trace.activations) != diagram.num_layers or np.ndim(trace.activations[0]) != 1:
            raise NnvizError(
                f"propagate got a trace of {len(trace.activations)} layers (input of shape "
                f"{np.shape(trace.activations[0])}) for a diagram of {diagram.num_layers} layers: pass "
                "net.forward(x) for one input x of the network this diagram draws"
            )
        current = diagram.activations[0]
        first = 0 if current is None or not np.allclose(current, trace.activations[0]) else 1
        self.phases: list[tuple[str, int, float]] = [
            ("layer", l, self.layer_time) for l in range(first, diagram.num_layers)
        ]
        self.box = diagram.box_winner(trace) if box else None
        if self.box is not None:
            self.phases.append(("box", diagram.num_layers - 1, self.layer_time / 3))
        durations = np.array([p[2] for p in self.phases])
        self.starts = np.r_[0.0, np.cumsum(durations)[:-1]] / durations.sum()
        self.ends = np.cumsum(durations) / durations.sum()
        kwargs.setdefault("run_time", float(durations.sum()))
        kwargs.setdefault("rate_func", linear)
        super().__init__(VGroup(), remover=True, **kwargs)
        self._state: dict[int, Any] = {}
        self._done: set[int] = set()

    def begin(self) -> None:
        # The diagram stays static while this plays, yet manim walks all its parts (13,000 with
        # all_inputs) for updaters every frame. Unless a part has one, the walk stops at the diagram.
        d = self.diagram
        self._suspended_before = d.updating_suspended
        if not d.updating_suspended and not d.get_family_updaters():
            d.updating_suspended = True
        super().begin()

    def clean_up_from_scene(self, scene: Scene) -> None:
        self.diagram.updating_suspended = self._suspended_before
        super().clean_up_from_scene(scene)  # removes the overlays and flashes
        if self.box is not None:
            animation_group(self).remove(self.box)
            scene.add(self.box)

    def _winner_box(self) -> SurroundingRectangle:
        """The winner box (a "box" phase is planned only when there is one)."""
        if self.box is None:
            raise NnvizError("this Propagation was built with box=False: it has no winner box")
        return self.box

    def _flash_groups(self, layer: int, edges: Sequence[Edge]) -> np.ndarray:
        d = self.diagram
        src = np.array([e.source for e in edges])
        if layer == 1 and d.all_inputs:
            # half rows of the sheet flash one after another: a scan down the digit, with about
            # 450 of the 12,544 edges lit at a time (each lit edge costs Cairo ~0.1 ms per frame)
            return src // max(1, d.sheet_side // 2)
        return np.searchsorted(d.shown[layer - 1], src)

    def _start_phase(self, i: int) -> Any:
        kind, layer, _ = self.phases[i]
        d = self.diagram
        if kind == "box":
            box = self._winner_box()
            animation_group(self).add(box)
            self._box_full = box.points.copy()
            return box
        values = activation_opacity(np.asarray(self.trace.activations[layer])[d.shown[layer]])
        overlay = FillOverlay(list(d.layers[layer]), values, d.theme)
        flash = None
        if layer > 0 and len(d.edges_into(layer)) > 0:
            edges = cast("list[Edge]", list(d.edges_into(layer)))  # a diagram's edge groups hold only Edges
            flash = EdgeFlash(edges, groups=self._flash_groups(layer, edges), theme=d.theme)
            flash.prepare()
            animation_group(self).add(animation_group(flash))
        animation_group(self).add(overlay.group)
        return overlay, flash

    def interpolate_mobject(self, alpha: float) -> None:
        for i, (kind, _layer, _) in enumerate(self.phases):
            if alpha < self.starts[i] or i in self._done:
                continue
            if i not in self._state:
                self._state[i] = self._start_phase(i)
            sub = float(np.clip((alpha - self.starts[i]) / (self.ends[i] - self.starts[i]), 0.0, 1.0))
            if kind == "box":
                self._winner_box().pointwise_become_partial(_Points(self._box_full), 0.0, smooth(sub))
            else:
                overlay, flash = self._state[i]
                overlay.interpolate(smooth(sub))
                if flash is not None:
                    flash.interpolate_mobject(sub)
            if sub >= 1.0:
                self._finish_phase(i)

    def _finish_phase(self, i: int) -> None:
        kind, layer, _ = self.phases[i]
        self._done.add(i)
        if kind == "box":
            self._winner_box().points = self._box_full.copy()
            return
        self.diagram.set_layer(layer, self.trace.activations[layer])


class _Points(VMobject):
    """A bare VMobject holding given points: the source of ``pointwise_become_partial``."""

    def __init__(self, points: np.ndarray) -> None:
        super().__init__()
        self.points = points


def propagate(
    diagram: NetworkDiagram,
    trace: Trace,
    layer_time: float | None = None,
    box: bool = True,
    **kwargs: Any,
) -> Propagation:
    """Animate ``trace`` flowing through ``diagram``: fills fade in layer by layer under a flash.

    About ``theme.layer_time`` (1.2 s) per layer, plus a third of that to box the winner. The
    input layer is animated too when the diagram does not show the trace's input yet (with
    ``all_inputs`` that means 784 fading neurons drawn every frame: show the input first, with
    :func:`pixels_to_neurons` or ``diagram.set_layer(0, x)``, for a fast render).

    Example::

        class Forward(Scene):
            def construct(self):
                net = load_network_file("assets/network.npz")
                image = np.load("assets/mnist_subset.npz")["images"][7]
                diagram = NetworkDiagram(net)
                self.add(diagram)
                animation = propagate(diagram, net.forward(image / 255))
                self.play(animation)
                self.play(FadeOut(animation.box))
    """
    return Propagation(diagram, trace, layer_time=layer_time, box=box, **kwargs)


__all__ = ["EdgeFlash", "Propagation", "propagate"]
