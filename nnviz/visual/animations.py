"""Animations of the network diagram: propagation, pixels pouring into neurons, edges into grids.

Every animation here leaves a :class:`~nnviz.visual.diagram.NetworkDiagram` *static* while it
plays: manim's Cairo renderer draws the mobjects that do not move once per ``play`` and only the
moving ones every frame, and it counts a whole diagram as moving as soon as any of its neurons is
animated. So fills fade in on temporary overlay copies of the neurons, flashes are temporary paths,
and the diagram itself is updated once, when the animation ends. A 784-16-16-10 diagram then
propagates a digit about as fast as an empty scene renders (see ``bench/``).

Example::

    from manim import Scene
    import numpy as np
    from nnviz.core.weights import load_network_file
    from nnviz.visual.diagram import NetworkDiagram
    from nnviz.visual.pixels import PixelGrid
    from nnviz.visual.animations import pixels_to_neurons, propagate

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

from typing import Any, Sequence

import numpy as np
from manim import Animation, AnimationGroup, Circle, Scene, Transform, VGroup, VMobject, Wait, linear, smooth

from ..core.network import Trace
from .diagram import Edge, NetworkDiagram, Neuron, activation_opacity
from .pixels import PixelGrid, fast_copy, polyline_points
from ..theme import Theme, get_theme


def rate_array(rate_func: Any, x: np.ndarray) -> np.ndarray:
    """``rate_func`` applied to every entry of ``x`` (manim's rate functions take scalars)."""
    x = np.asarray(x, dtype=float)
    if rate_func is linear:
        return x
    if rate_func is smooth:  # manim's smooth, vectorised: a logistic curve rescaled to [0, 1]
        error = 1.0 / (1.0 + np.exp(5.0))
        return np.clip((1.0 / (1.0 + np.exp(-10.0 * (x - 0.5))) - error) / (1 - 2 * error), 0.0, 1.0)
    return np.vectorize(rate_func, otypes=[float])(x)


def _flash_bounds(alpha: np.ndarray, time_width: float) -> tuple[np.ndarray, np.ndarray]:
    """ShowPassingFlash's visible part [lower, upper] of a path at (rated) progress ``alpha``."""
    upper = alpha * (1.0 + time_width)
    lower = upper - time_width
    return np.maximum(lower, 0.0), np.minimum(upper, 1.0)


def _lagged(alpha: float, groups: np.ndarray, n_groups: int, lag_ratio: float) -> np.ndarray:
    """Manim's lag_ratio arithmetic: the progress of each group at overall progress ``alpha``."""
    full = (n_groups - 1) * lag_ratio + 1.0
    return np.clip(alpha * full - groups * lag_ratio, 0.0, 1.0)


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
            raise ValueError("EdgeFlash needs at least one edge")
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
            raise ValueError("groups needs one entry per edge")
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
            path = _SegmentPath(stroke_color=self.theme.highlight, stroke_width=top * (lv + 1) / self.width_levels,
                                fill_opacity=0)
            self.paths.append(path)
        self.mobject.add(*self.paths)

    def bounds(self, alpha: float) -> tuple[np.ndarray, np.ndarray]:
        """The visible part [lower, upper] (fractions of its length) of every edge at ``alpha``."""
        sub = rate_array(self.flash_rate, _lagged(alpha, self.groups, self.n_groups, self.flash_lag))
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


def _fill_rgba(neuron: VMobject, opacity: float) -> np.ndarray:
    rgba = neuron.fill_rgbas[:1].copy()
    rgba[:, 3] = opacity
    return rgba


class _FillOverlay:
    """Temporary fill-only discs that show neurons' fills changing, drawn over a static diagram.

    Each disc is the neuron's shape shrunk to the inner edge of its stroke, without a stroke (the
    static neuron's stroke shows around it; a stroke costs as much to draw as the disc). A neuron
    whose old fill is not empty gets a background-coloured disc under its copy, so the static old
    fill does not shine through while the copy fades from old to new.
    """

    def __init__(self, neurons: Sequence[VMobject], new: Sequence[float], theme: Theme, force: bool = False) -> None:
        self.items: list[tuple[VMobject, float, float]] = []
        self.group = VGroup()
        background = VMobject(fill_color=theme.background).fill_rgbas[0, :3]
        for n, target in zip(neurons, new):
            old = float(n.get_fill_opacity())
            target = float(target)
            if abs(old - target) < 1e-9 and not force:
                continue
            parts = []
            copy = fast_copy(n)
            copy.stroke_width = 0
            center = n.get_center()
            radius = max(n.width / 2, 1e-6)
            inner = max(radius - 0.005 * n.get_stroke_width(), 0.5 * radius)  # 0.01 unit per stroke width
            copy.points = center + (n.points - center) * (inner / radius)
            if old > 0:
                cover = fast_copy(copy)
                cover.fill_rgbas = np.array([[*background, 1.0]])
                parts.append(cover)
            parts.append(copy)
            self.group.add(*parts)
            self.items.append((copy, old, target))

    def interpolate(self, alpha: float) -> None:
        for copy, old, new in self.items:
            copy.fill_rgbas = _fill_rgba(copy, old + (new - old) * alpha)


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
            raise ValueError("layer_time must be positive")
        if len(trace.activations) != diagram.num_layers or np.ndim(trace.activations[0]) != 1:
            raise ValueError("propagate needs the trace of one input through this diagram's network")
        current = diagram.activations[0]
        first = 0 if current is None or not np.allclose(current, trace.activations[0]) else 1
        self.phases: list[tuple[str, int, float]] = [("layer", l, self.layer_time) for l in range(first, diagram.num_layers)]
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
            box = self.box
            self.mobject.add(box)
            self._box_full = box.points.copy()
            return box
        values = activation_opacity(np.asarray(self.trace.activations[layer])[d.shown[layer]])
        overlay = _FillOverlay(list(d.layers[layer]), values, d.theme)
        flash = None
        if layer > 0 and len(d.edges_into(layer)) > 0:
            edges = list(d.edges_into(layer))
            flash = EdgeFlash(edges, groups=self._flash_groups(layer, edges), theme=d.theme)
            flash.prepare()
            self.mobject.add(flash.mobject)
        self.mobject.add(overlay.group)
        return overlay, flash

    def interpolate_mobject(self, alpha: float) -> None:
        for i, (kind, layer, _) in enumerate(self.phases):
            if alpha < self.starts[i] or i in self._done:
                continue
            if i not in self._state:
                self._state[i] = self._start_phase(i)
            sub = float(np.clip((alpha - self.starts[i]) / (self.ends[i] - self.starts[i]), 0.0, 1.0))
            if kind == "box":
                self.box.pointwise_become_partial(_Points(self._box_full), 0.0, smooth(sub))
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
            self.box.points = self._box_full.copy()
            return
        self.diagram.set_layer(layer, self.trace.activations[layer])

    def clean_up_from_scene(self, scene: Scene) -> None:
        super().clean_up_from_scene(scene)  # removes the overlays and flashes
        if self.box is not None:
            self.mobject.remove(self.box)
            scene.add(self.box)


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


class PixelsToNeurons(Animation):
    """A digit's pixels become neurons and pour into the diagram's input layer.

    First each pixel square turns into a small neuron (its fill opacity the pixel's value) in a
    28x28 arrangement where the digit was; then the neurons pour into the input layer: those shown
    land on their input neurons, the hidden ones shrink into the ellipsis (with ``all_inputs``,
    every one lands on its place in the sheet). The grid is removed from the scene when the
    animation starts; at the end the diagram's input neurons show the pixel values. Build it with
    :func:`pixels_to_neurons` (example there).
    """

    def __init__(self, grid: PixelGrid, diagram: NetworkDiagram, **kwargs: Any) -> None:
        if grid.mode != "gray":
            raise ValueError("pixels_to_neurons needs a grayscale PixelGrid")
        if grid.values.size != diagram.sizes[0]:
            raise ValueError(f"{grid.values.size} pixels for {diagram.sizes[0]} inputs")
        self.grid = grid
        self.diagram = diagram
        self.values = grid.values.ravel().copy()
        kwargs.setdefault("run_time", 2 * diagram.theme.move_time)
        kwargs.setdefault("rate_func", linear)
        super().__init__(VGroup(), remover=True, **kwargs)

    def _setup_scene(self, scene: Scene) -> None:
        super()._setup_scene(scene)
        if scene is not None:
            scene.remove(self.grid)

    def begin(self) -> None:
        d, g, t = self.diagram, self.grid, self.diagram.theme
        rows, cols = g.shape
        n = rows * cols
        centers = np.array([g.pixel_center(r, c) for r, c in np.ndindex(rows, cols)])
        pitch = np.linalg.norm(g.pixel_center(0, 1) - g.pixel_center(0, 0)) if cols > 1 else g.pixel_size
        # A unit circle and, projected radially onto the square of half-side 1, a square with the
        # same points: the pixel morphs into a neuron by interpolating between the two.
        unit_circle = Circle(radius=1.0).points
        self.unit_circle = unit_circle
        self.unit_square = unit_circle / np.max(np.abs(unit_circle[:, :2]), axis=1, keepdims=True)
        sheet_center = centers.mean(axis=0)
        spread = 1.15
        self.sheet = sheet_center + (centers - sheet_center) * spread
        self.start, self.pitch = centers, pitch
        # destinations
        dest = np.zeros((n, 3))
        dest_r = np.zeros(n)
        self.dest_stroke = d.layers[0][0].get_stroke_width()
        shown = set(int(k) for k in d.shown[0])
        ell = d.ellipses.get(0)
        ellipsis_center = ell.get_center() if ell is not None else d.layers[0].get_center()
        for k in range(n):
            if k in shown:
                neuron = d.neuron(0, k)
                dest[k] = neuron.get_center()
                dest_r[k] = neuron.width / 2
            else:
                dest[k] = ellipsis_center
                dest_r[k] = 0.0
        self.dest, self.dest_r = dest, dest_r
        self.hidden = np.array([k not in shown for k in range(n)])
        self.dots = []
        prototype = Neuron(radius=1.0, theme=t)
        for k in range(n):
            dot = fast_copy(prototype)
            dot.fill_rgbas = _fill_rgba(dot, float(self.values[k]))
            self.dots.append(dot)
        self.mobject.add(*self.dots)
        order = np.arange(n)
        self.delay = order / max(n - 1, 1)  # reading order: the top rows pour first
        super().begin()

    def interpolate_mobject(self, alpha: float) -> None:
        split = 0.35
        a = smooth(min(alpha / split, 1.0))
        b = np.clip((alpha - split) / (1 - split), 0.0, 1.0)
        # each neuron moves during 40% of the pouring stage, staggered in reading order
        move = rate_array(smooth, np.clip((b - self.delay * 0.6) / 0.4, 0.0, 1.0))
        r0 = self.pitch * 0.42
        for k, dot in enumerate(self.dots):
            m = move[k]
            center = (1 - a) * self.start[k] + a * self.sheet[k]
            center = (1 - m) * center + m * self.dest[k]
            radius = (1 - m) * r0 + m * self.dest_r[k]
            shape = (1 - a) * self.unit_square * (self.pitch / 2) + a * self.unit_circle * radius
            if a >= 1.0:
                shape = self.unit_circle * radius
            dot.points = shape + center
            fade = 1.0 - m if self.hidden[k] else 1.0
            dot.fill_rgbas = _fill_rgba(dot, float(self.values[k]) * fade)
            dot.stroke_rgbas = np.array([[*dot.stroke_rgbas[0, :3], a * fade]])
            dot.stroke_width = self.dest_stroke * (0.5 + 0.5 * m)

    def finish(self) -> None:
        super().finish()
        self.diagram.set_layer(0, self.values)


def pixels_to_neurons(grid: PixelGrid, diagram: NetworkDiagram, **kwargs: Any) -> PixelsToNeurons:
    """Turn a digit's pixels into 784 neurons and pour them into the diagram's input layer.

    The grid leaves the scene (pass ``grid.copy()`` to keep it); the shown input neurons end up
    holding the pixel values, the hidden ones vanish into the ellipsis.

    Example::

        class Pour(Scene):
            def construct(self):
                image = np.load("assets/mnist_subset.npz")["images"][0]
                diagram = NetworkDiagram([784, 16, 16, 10]).shift(RIGHT)
                digit = PixelGrid(image).scale(0.8).to_edge(LEFT)
                self.add(diagram, digit)
                self.play(pixels_to_neurons(digit, diagram))
    """
    return PixelsToNeurons(grid, diagram, **kwargs)


def _line_shape(start: np.ndarray, end: np.ndarray, n_points: int) -> np.ndarray:
    """A closed degenerate path along start->end with ``n_points`` points (a square's count)."""
    corners = np.array([start, end, end, start, start])
    pts = polyline_points(corners)
    if len(pts) != n_points:
        idx = np.linspace(0, len(pts) - 1, n_points)
        pts = np.array([pts[int(round(i))] for i in idx])
    return pts


def _weight_grid_for(diagram: NetworkDiagram, layer: int, k: int, grid: PixelGrid | None) -> PixelGrid:
    if diagram.network is None:
        raise ValueError("a diagram built from sizes has no weights to show as a grid")
    if not 1 <= layer < diagram.num_layers:
        raise IndexError(f"layer {layer} has no incoming weights")
    w = diagram.network.weights[layer - 1][int(k)]
    if grid is None:  # in the gap between the two layers, on an opaque backing
        grid = PixelGrid.from_weights(w, theme=diagram.theme, background=True)
        left = diagram.layers[layer - 1].get_right()[0]
        right = diagram.layers[layer].get_left()[0]
        grid.scale_to_fit_height(max(0.5, min(3.0, right - left - 0.3)))
        grid.move_to(np.array([(left + right) / 2, diagram.layers[layer].get_center()[1], 0.0]))
    if grid.values.size != w.size or not grid.individual:
        raise ValueError("the grid must be an individual-pixel PixelGrid of this neuron's weights")
    return grid


def edges_to_grid(
    diagram: NetworkDiagram, layer: int, k: int, grid: PixelGrid | None = None, **kwargs: Any
) -> Transform:
    """Neuron k's incoming edges rearrange into its weight grid (28x28 for a first-layer neuron).

    Each drawn edge becomes the pixel of its source (its colour is its weight's sign either way);
    the pixels of edges not drawn (hidden inputs) fade in. The grid, by default
    ``PixelGrid.from_weights(W[layer-1][k])`` placed between the two layers, is the animation's
    ``grid`` attribute; hand it to :func:`grid_to_edges` to go back. The diagram is unchanged.

    Example::

        class LooksFor(Scene):
            def construct(self):
                diagram = NetworkDiagram(load_network_file("assets/network.npz"))
                self.add(diagram)
                there = edges_to_grid(diagram, 1, 3)
                self.play(there)
                self.play(grid_to_edges(diagram, 1, 3, there.grid))
    """
    grid = _weight_grid_for(diagram, layer, k, grid)
    final = grid.copy()
    _set_edge_shapes(diagram, layer, k, grid)
    kwargs.setdefault("run_time", diagram.theme.move_time)
    anim = Transform(grid, final, **kwargs)
    anim.grid = grid  # type: ignore[attr-defined]
    return anim


def _set_edge_shapes(diagram: NetworkDiagram, layer: int, k: int, grid: PixelGrid) -> None:
    """Make ``grid`` look like neuron k's incoming edges: drawn edges as lines, the rest invisible."""
    edges = {e.source: e for e in diagram.incoming_edges(layer, k)}
    for idx, pixel in enumerate(grid.pixels):
        e = edges.get(idx)
        if e is None:
            pixel.fill_rgbas = _fill_rgba(pixel, 0.0)
            continue
        pixel.points = _line_shape(e.points[0], e.points[-1], len(pixel.points))
        pixel.fill_rgbas = _fill_rgba(pixel, 0.0)
        pixel.stroke_rgbas = e.stroke_rgbas.copy()
        pixel.stroke_width = e.get_stroke_width()
    if grid.frame is not None:
        grid.frame.stroke_rgbas = np.array([[*grid.frame.stroke_rgbas[0, :3], 0.0]])
    if grid.background is not None:
        grid.background.fill_rgbas = _fill_rgba(grid.background, 0.0)


def grid_to_edges(diagram: NetworkDiagram, layer: int, k: int, grid: PixelGrid, **kwargs: Any) -> Transform:
    """The reverse of :func:`edges_to_grid`: the grid's pixels fly back onto neuron k's edges.

    The grid is removed from the scene at the end; the diagram's edges are where they were.

    Example::

        class Back(Scene):
            def construct(self):
                diagram = NetworkDiagram(load_network_file("assets/network.npz"))
                self.add(diagram)
                there = edges_to_grid(diagram, 1, 3)
                self.play(there)
                self.play(grid_to_edges(diagram, 1, 3, there.grid))
    """
    grid = _weight_grid_for(diagram, layer, k, grid)
    target = grid.copy()
    _set_edge_shapes(diagram, layer, k, target)
    kwargs.setdefault("run_time", diagram.theme.move_time)
    return Transform(grid, target, remover=True, **kwargs)


class Reveal(Animation):
    """Fade mobjects in over the background by lifting a veil off each: cheap for heavy mobjects.

    On the theme's (black) background, a mobject under a background-coloured veil of opacity
    1 - a looks exactly like the mobject at opacity a, which is what ``FadeIn`` shows. The
    mobjects themselves do not change, so manim draws them once per ``play`` instead of every
    frame: 16 weight grids (12,544 pixels) fade in several times faster than with ``FadeIn``.
    Only for mobjects over empty background (a veil hides whatever else is behind it).
    ``lag_ratio`` staggers the mobjects as in ``LaggedStart``. Build it with :func:`reveal`
    (example there).
    """

    def __init__(self, *mobjects: VMobject, lag_ratio: float = 0.0, theme: Theme | str | None = None,
                 buff: float = 0.05, **kwargs: Any) -> None:
        if not mobjects:
            raise ValueError("reveal needs at least one mobject")
        self.targets = list(mobjects)
        self.theme = get_theme(theme)
        self.reveal_lag = float(lag_ratio)
        self.buff = float(buff)
        self.reveal_rate = kwargs.pop("rate_func", smooth)
        super().__init__(VGroup(), remover=True, rate_func=linear, **kwargs)

    def _setup_scene(self, scene: Scene) -> None:
        super()._setup_scene(scene)
        if scene is None:
            return
        # the mobjects go in (static) *below* the veils, which are the only moving mobjects
        scene.remove(self.mobject)
        scene.add(*self.targets, self.mobject)

    def begin(self) -> None:
        from manim import Rectangle

        self.veils = []
        for m in self.targets:
            veil = Rectangle(width=m.width + 2 * self.buff, height=m.height + 2 * self.buff,
                             stroke_width=0, fill_color=self.theme.background, fill_opacity=1.0)
            veil.move_to(m.get_center())
            self.veils.append(veil)
        self.mobject.add(*self.veils)
        super().begin()

    def interpolate_mobject(self, alpha: float) -> None:
        n = len(self.veils)
        sub = rate_array(self.reveal_rate, _lagged(alpha, np.arange(n), n, self.reveal_lag))
        for veil, a in zip(self.veils, sub):
            veil.fill_rgbas = _fill_rgba(veil, 1.0 - float(a))


def reveal(*mobjects: VMobject, lag_ratio: float = 0.0, **kwargs: Any) -> Reveal:
    """Fade ``mobjects`` in (one after another with ``lag_ratio``) without redrawing them per frame.

    Looks like ``LaggedStart(*[FadeIn(m) for m in mobjects])`` on the black background; the
    mobjects are added to the scene.

    Example::

        class Grids(Scene):
            def construct(self):
                grids = weight_grids(load_network_file("assets/network.npz").weights[0])
                self.play(reveal(*grids.scale_to_fit_height(7), lag_ratio=0.25, run_time=4))
    """
    return Reveal(*mobjects, lag_ratio=lag_ratio, **kwargs)


class SweepActivation(Animation):
    """A neuron's fill running through a sequence of activations (piecewise linear in time).

    Drawn on an overlay copy, so a large diagram around the neuron stays static; the neuron holds
    the last value at the end. Build it with :func:`sweep_activation` (example there).
    """

    def __init__(self, neuron: Neuron, values: Sequence[float] | np.ndarray, theme: Theme | str | None = None,
                 **kwargs: Any) -> None:
        v = np.asarray(values, dtype=float).ravel()
        if v.size == 0:
            raise ValueError("sweep_activation needs at least one value")
        self.neuron = neuron
        self.values = v
        self.theme = get_theme(theme)
        kwargs.setdefault("run_time", max(1.0, 0.5 * (v.size - 1)))
        kwargs.setdefault("rate_func", linear)
        super().__init__(VGroup(), remover=True, **kwargs)

    def begin(self) -> None:
        self.overlay = _FillOverlay([self.neuron], [self.values[0]], self.theme, force=True)
        self.copy = self.overlay.items[0][0]
        self.mobject.add(self.overlay.group)
        super().begin()

    def interpolate_mobject(self, alpha: float) -> None:
        v = self.values
        x = np.interp(alpha * (len(v) - 1), np.arange(len(v)), v) if len(v) > 1 else v[0]
        self.copy.fill_rgbas = _fill_rgba(self.copy, float(activation_opacity(x)))

    def finish(self) -> None:
        super().finish()
        if isinstance(self.neuron, Neuron):
            self.neuron.set_activation(float(self.values[-1]))
        else:
            self.neuron.set_fill(opacity=float(activation_opacity(self.values[-1])))


def sweep_activation(neuron: Neuron, values: Sequence[float] | np.ndarray, **kwargs: Any) -> SweepActivation:
    """Animate ``neuron`` lighting up through ``values`` (e.g. ``np.linspace(0, 1, 5)``).

    Example::

        class Dial(Scene):
            def construct(self):
                n = Neuron(radius=0.35)
                self.add(n)
                self.play(sweep_activation(n, [0.0, 1.0, 0.2, 0.8]))
    """
    return SweepActivation(neuron, values, **kwargs)


class _StrokeOpacity(Animation):
    """Fade the stroke opacity of many edges at once (numpy on their colour arrays)."""

    def __init__(self, edges: Sequence[VMobject], target: float, **kwargs: Any) -> None:
        self.edge_list = list(edges)
        self.target = float(target)
        super().__init__(VGroup(*self.edge_list), **kwargs)

    def begin(self) -> None:
        self.from_opacity = np.array([e.stroke_rgbas[0, 3] for e in self.edge_list])
        super().begin()

    def interpolate_mobject(self, alpha: float) -> None:
        a = self.rate_func(alpha)
        for e, o in zip(self.edge_list, self.from_opacity):
            e.stroke_rgbas[:, 3] = o + (self.target - o) * a


def highlight_incoming(diagram: NetworkDiagram, layer: int, k: int, **kwargs: Any) -> Animation:
    """Single out neuron k of ``layer``: every other edge fades, its stroke turns yellow.

    Undo with :func:`clear_highlight`. It changes the diagram's own edges, so the whole diagram is
    redrawn every frame while it plays (slow with ``all_inputs``).

    Example::

        class Focus(Scene):
            def construct(self):
                diagram = NetworkDiagram(load_network_file("assets/network.npz"))
                self.add(diagram)
                self.play(highlight_incoming(diagram, 1, 3))
                self.play(clear_highlight(diagram))
    """
    keep = set(map(id, diagram.incoming_edges(layer, k)))
    others = [e for group in diagram.edge_groups for e in group if id(e) not in keep]
    neuron = diagram.neuron(layer, k)
    run_time = kwargs.pop("run_time", 1.0)
    anims: list[Animation] = [neuron.animate(run_time=run_time).set_stroke(color=diagram.theme.highlight)]
    if others:
        anims.append(_StrokeOpacity(others, diagram.theme.dim_opacity, run_time=run_time))
    return AnimationGroup(*anims, **kwargs)


def clear_highlight(diagram: NetworkDiagram, **kwargs: Any) -> Animation:
    """Undo :func:`highlight_incoming`: every edge opaque again, every neuron stroke white.

    Example::

        class Unfocus(Scene):
            def construct(self):
                diagram = NetworkDiagram([8, 6, 6, 4])
                self.add(diagram)
                self.play(highlight_incoming(diagram, 1, 2))
                self.play(clear_highlight(diagram))
    """
    run_time = kwargs.pop("run_time", 1.0)
    edges = [e for group in diagram.edge_groups for e in group]
    white = VMobject(stroke_color=diagram.theme.neuron_color).stroke_rgbas[0, :3]
    anims: list[Animation] = [
        n.animate(run_time=run_time).set_stroke(color=diagram.theme.neuron_color)
        for layer in diagram.layers for n in layer
        if not np.allclose(n.stroke_rgbas[0, :3], white)
    ]
    if edges:
        anims.append(_StrokeOpacity(edges, 1.0, run_time=run_time))
    if not anims:  # nothing to undo; manim refuses an empty AnimationGroup
        return Wait(run_time)
    return AnimationGroup(*anims, **kwargs)


__all__ = [
    "EdgeFlash",
    "Propagation",
    "propagate",
    "PixelsToNeurons",
    "pixels_to_neurons",
    "edges_to_grid",
    "grid_to_edges",
    "SweepActivation",
    "sweep_activation",
    "Reveal",
    "reveal",
    "highlight_incoming",
    "clear_highlight",
    "rate_array",
]
