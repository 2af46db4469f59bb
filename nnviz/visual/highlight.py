"""Drawing the eye: fade mobjects in cheaply, sweep a neuron's fill, single out a neuron's edges.

:func:`reveal` fades heavy mobjects (weight grids) in without redrawing them every frame,
:func:`sweep_activation` runs one neuron's fill through a sequence of activations, and
:func:`highlight_incoming` / :func:`clear_highlight` dim every edge but a neuron's own and
bring them back, and :func:`lit_incoming_edges` copies a neuron's edges drawn wider.

Example::

    from manim import Scene
    from nnviz.core.weights import load_network_file
    from nnviz.visual import NetworkDiagram, clear_highlight, highlight_incoming

    class Focus(Scene):
        def construct(self):
            diagram = NetworkDiagram(load_network_file("assets/network.npz"))
            self.add(diagram)
            self.play(highlight_incoming(diagram, 1, 3))
            self.play(clear_highlight(diagram))
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from manim import Animation, AnimationGroup, Rectangle, Scene, VGroup, VMobject, Wait, linear, smooth

from ..core.errors import NnvizError
from ..theme import Theme, get_theme, weight_strength
from .animation_utils import FillOverlay, animation_group, lagged_progress, rate_array
from .diagram_parts import Neuron, activation_opacity
from .mobject_utils import fill_rgba

if TYPE_CHECKING:
    from .diagram import NetworkDiagram


class Reveal(Animation):
    """Fade mobjects in over the background by lifting a veil off each: cheap for heavy mobjects.

    On the theme's (black) background, a mobject under a background-coloured veil of opacity
    1 - a looks exactly like the mobject at opacity a, which is what ``FadeIn`` shows. The
    mobjects themselves do not change, so manim draws them once per ``play`` instead of every
    frame: 16 weight grids (12,544 pixels) fade in several times faster than with ``FadeIn``.
    Only for mobjects over empty background (a veil hides whatever else is behind it).
    ``lag_ratio`` staggers the mobjects as in ``LaggedStart``. Build it with :func:`reveal`.

    Example::

        self.play(Reveal(PixelGrid(image), run_time=1))
    """

    def __init__(
        self,
        *mobjects: VMobject,
        lag_ratio: float = 0.0,
        theme: Theme | str | None = None,
        buff: float = 0.05,
        **kwargs: Any,
    ) -> None:
        if not mobjects:
            raise NnvizError("reveal got no mobjects: pass the mobjects to fade in, e.g. reveal(*weight_grids(W))")
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
        group = animation_group(self)
        scene.remove(group)
        scene.add(*self.targets, group)

    def begin(self) -> None:
        self.veils: list[Rectangle] = []
        for m in self.targets:
            veil = Rectangle(
                width=m.width + 2 * self.buff,
                height=m.height + 2 * self.buff,
                stroke_width=0,
                fill_color=self.theme.background,
                fill_opacity=1.0,
            )
            veil.move_to(m.get_center())
            self.veils.append(veil)
        animation_group(self).add(*self.veils)
        super().begin()

    def interpolate_mobject(self, alpha: float) -> None:
        n = len(self.veils)
        sub = rate_array(self.reveal_rate, lagged_progress(alpha, np.arange(n), n, self.reveal_lag))
        for veil, a in zip(self.veils, sub):
            veil.fill_rgbas = fill_rgba(veil, 1.0 - float(a))


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
    the last value at the end. Build it with :func:`sweep_activation`.

    Example::

        self.play(SweepActivation(diagram.neuron(3, 7), [0.0, 1.0, 0.4]))
    """

    def __init__(
        self, neuron: Neuron, values: Sequence[float] | np.ndarray, theme: Theme | str | None = None, **kwargs: Any
    ) -> None:
        v = np.asarray(values, dtype=float).ravel()
        if v.size == 0:
            raise NnvizError("sweep_activation got no values: pass the activations to run through, e.g. [0.0, 1.0]")
        self.neuron = neuron
        self.values = v
        self.theme = get_theme(theme)
        kwargs.setdefault("run_time", max(1.0, 0.5 * (v.size - 1)))
        kwargs.setdefault("rate_func", linear)
        super().__init__(VGroup(), remover=True, **kwargs)

    def begin(self) -> None:
        self.overlay = FillOverlay([self.neuron], [self.values[0]], self.theme, force=True)
        self.disc = self.overlay.items[0][0]
        animation_group(self).add(self.overlay.group)
        super().begin()

    def interpolate_mobject(self, alpha: float) -> None:
        v = self.values
        x = np.interp(alpha * (len(v) - 1), np.arange(len(v)), v) if len(v) > 1 else v[0]
        self.disc.fill_rgbas = fill_rgba(self.disc, float(activation_opacity(x)))

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


def lit_incoming_edges(diagram: NetworkDiagram, layer: int, k: int, width: float, power: float = 1.0) -> VGroup:
    """Copies of the edges into neuron ``k`` of ``layer``, opaque and drawn wider to single them out.

    An edge's width is ``width * (|w| / max|w|) ** power`` over that neuron's drawn edges, so the
    strongest weight gets ``width``. The copies are not added to the diagram.

    Example::

        class Lit(Scene):
            def construct(self):
                diagram = NetworkDiagram(load_network_file("assets/network.npz"))
                self.add(diagram)
                self.play(FadeIn(lit_incoming_edges(diagram, 1, 3, width=5.0)))
    """
    edges = diagram.incoming_edges(layer, k)
    w = np.array([e.weight for e in edges])
    widths = width * weight_strength(w, np.abs(w).max(initial=0.0), power)
    lit = VGroup(*(e.copy() for e in edges))
    for edge, edge_width in zip(lit, widths):
        edge.set_stroke(width=edge_width, opacity=1.0)
    return lit


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
        for layer in diagram.layers
        for n in layer
        if not np.allclose(n.stroke_rgbas[0, :3], white)
    ]
    if edges:
        anims.append(_StrokeOpacity(edges, 1.0, run_time=run_time))
    if not anims:  # nothing to undo; manim refuses an empty AnimationGroup
        return Wait(run_time)
    return AnimationGroup(*anims, **kwargs)


__all__ = ["Reveal", "SweepActivation", "clear_highlight", "highlight_incoming", "reveal", "sweep_activation"]
