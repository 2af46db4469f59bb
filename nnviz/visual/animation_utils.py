"""Helpers of the animations that leave a large diagram static while they play.

Manim's Cairo renderer draws the mobjects that do not move once per ``play`` and only the moving
ones every frame, and it counts a whole diagram as moving as soon as any of its neurons is
animated. So the animations of :mod:`~nnviz.visual.propagation`, :mod:`~nnviz.visual.highlight`
and their kin fade fills in on temporary overlay copies of the neurons (:class:`FillOverlay`),
draw flashes as temporary paths, and update the diagram itself once, when they end. A
784-16-16-10 diagram then propagates a digit about as fast as an empty scene renders (see
``bench/``). :func:`rate_array` and :func:`lagged_progress` are manim's rate-function and
``lag_ratio`` arithmetic, vectorised over many mobjects at once.

Example::

    import numpy as np
    from manim import smooth
    from nnviz.visual.animation_utils import lagged_progress, rate_array

    # progress of 4 staggered groups half-way through, through manim's smooth rate function
    rate_array(smooth, lagged_progress(0.5, np.arange(4), 4, lag_ratio=0.5))
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import cast

import numpy as np
from manim import Animation, VGroup, VMobject, linear, smooth

from ..theme import Theme
from .mobject_utils import fast_copy, fill_rgba


def rate_array(rate_func: Callable[[float], float], x: np.ndarray) -> np.ndarray:
    """``rate_func`` applied to every entry of ``x`` (manim's rate functions take scalars).

    ``linear`` and ``smooth`` are computed in one vectorised step, others entry by entry.

    >>> rate_array(linear, np.array([0.0, 0.25, 1.0])).tolist()
    [0.0, 0.25, 1.0]
    """
    x = np.asarray(x, dtype=float)
    if rate_func is linear:
        return x
    if rate_func is smooth:  # manim's smooth, vectorised: a logistic curve rescaled to [0, 1]
        error = 1.0 / (1.0 + np.exp(5.0))
        return np.clip((1.0 / (1.0 + np.exp(-10.0 * (x - 0.5))) - error) / (1 - 2 * error), 0.0, 1.0)
    return np.vectorize(rate_func, otypes=[float])(x)


def lagged_progress(alpha: float, groups: np.ndarray, n_groups: int, lag_ratio: float) -> np.ndarray:
    """Manim's lag_ratio arithmetic: the progress of each group at overall progress ``alpha``.

    Group g of ``n_groups`` starts ``g * lag_ratio`` (in units of one group's duration) after
    the first, as the members of ``LaggedStart`` do.

    >>> lagged_progress(0.5, np.arange(3), 3, lag_ratio=1.0).tolist()
    [1.0, 0.5, 0.0]
    """
    full = (n_groups - 1) * lag_ratio + 1.0
    return np.clip(alpha * full - groups * lag_ratio, 0.0, 1.0)


class FillOverlay:
    """Temporary fill-only discs that show neurons' fills changing, drawn over a static diagram.

    Each disc is the neuron's shape shrunk to the inner edge of its stroke, without a stroke (the
    static neuron's stroke shows around it; a stroke costs as much to draw as the disc). A neuron
    whose old fill is not empty gets a background-coloured disc under its copy, so the static old
    fill does not shine through while the copy fades from old to new. Add ``group`` to the
    animation's mobject and call :meth:`interpolate` with the (rated) progress; neurons whose
    fill does not change are skipped unless ``force``.

    Example::

        overlay = FillOverlay(list(diagram.layers[1]), [0.2] * 16, diagram.theme)
        animation.mobject.add(overlay.group)
        overlay.interpolate(0.5)   # half-way from each neuron's fill to 0.2
    """

    def __init__(
        self, neurons: Sequence[VMobject], new: Sequence[float] | np.ndarray, theme: Theme, force: bool = False
    ) -> None:
        self.items: list[tuple[VMobject, float, float]] = []
        self.group = VGroup()
        background = VMobject(fill_color=theme.background).fill_rgbas[0, :3]
        for n, target in zip(neurons, new):
            old = float(n.get_fill_opacity())
            target = float(target)
            if abs(old - target) < 1e-9 and not force:
                continue
            parts: list[VMobject] = []
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
        """Set every disc's fill opacity ``alpha`` of the way from its neuron's old fill to the new one."""
        for copy, old, new in self.items:
            copy.fill_rgbas = fill_rgba(copy, old + (new - old) * alpha)


def animation_group(animation: Animation) -> VGroup:
    """``animation.mobject``: the VGroup that nnviz's overlay animations are built on.

    manim 0.22 declares ``Animation.mobject`` as an OpenGLMobject (its OpenGL branch comes first),
    so a type checker would reject adding Cairo mobjects to it; this says what it holds.
    """
    return cast(VGroup, animation.mobject)


__all__ = ["FillOverlay", "animation_group", "lagged_progress", "rate_array"]
