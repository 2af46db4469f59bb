r"""Activation functions drawn on axes: the sigmoid that squishes, and ReLU.

Every point drawn is computed by the core's :mod:`nnviz.core.activations`: the curve, the dot
that :meth:`ActivationPlot.mark` puts at a real weighted sum ``(z, f(z))``, the curve slid by a
bias. (The sigmoid's squish of the number line is :mod:`~nnviz.visual.number_line`.)

Example::

    from manim import Scene, Create, FadeIn
    from nnviz.visual import ActivationPlot

    class Sigmoid(Scene):
        def construct(self):
            plot = ActivationPlot("sigmoid")
            self.play(Create(plot))
            self.play(FadeIn(plot.mark(2.31)))
"""

from collections.abc import Callable
from typing import Any

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Animation,
    AnimationGroup,
    Axes,
    DashedLine,
    DecimalNumber,
    Dot,
    MathTex,
    Mobject,
    Transform,
    UpdateFromAlphaFunc,
    ValueTracker,
    VGroup,
    VMobject,
    config,
    smooth,
)

from ..core.activations import relu, sigmoid
from ..core.errors import NnvizError
from ..theme import Theme, get_theme
from .axis_ticks import decimal_places, nice_step
from .tex import FUNCTION_TEX, RoleMathTex, tex_number

#: The core functions a plot can draw, by the core's activation names.
FUNCTIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {"sigmoid": sigmoid, "relu": relu}


def _boxes_overlap(lo: np.ndarray, hi: np.ndarray, mob: VMobject) -> bool:
    """Whether the box [lo, hi] (x, y) meets ``mob``'s bounding box."""
    m_lo, m_hi = mob.get_corner(DOWN + LEFT), mob.get_corner(UP + RIGHT)
    return bool(np.all(lo[:2] <= m_hi[:2]) and np.all(m_lo[:2] <= hi[:2]))


class ActivationPlot(VGroup):
    r"""An activation function on axes: x (the weighted sum z) against f(z), in ``theme.highlight``.

    ``kind`` is ``"sigmoid"`` (y in [0, 1]) or ``"relu"`` (y up to the right end of the x range).
    ``bias`` draws ``f(x + b)`` instead: a bias of -10 moves the sigmoid's step to x = 10, so
    pass an x range that shows it, e.g. ``x_range=(-5, 15)``. The curve, the marks and the
    shifted curve are all computed with the core's functions.

    Parts: ``axes``, ``curve``, ``x_label``, ``y_label``. :meth:`mark` returns a dot with its
    numbers (not added to the plot), :meth:`shift_bias` animates the curve to a new bias and
    :meth:`shifted` returns a new plot with it.

    Example::

        class BiasShift(Scene):
            def construct(self):
                plot = ActivationPlot("sigmoid", x_range=(-5, 15))
                self.add(plot)
                self.play(plot.shift_bias(-10))
                self.play(FadeIn(plot.mark(12.0)))
    """

    def __init__(
        self,
        kind: str = "sigmoid",
        x_range: tuple[float, float] = (-5.0, 5.0),
        y_range: tuple[float, float] | None = None,
        bias: float = 0.0,
        theme: Theme | str | None = None,
        width: float | None = None,
        height: float | None = None,
        x_step: float | None = None,
        y_step: float | None = None,
        show_labels: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if kind not in FUNCTIONS:
            raise NnvizError(f"unknown activation {kind!r}; use one of: {', '.join(FUNCTIONS)}")
        x_min, x_max = (float(v) for v in x_range)
        if not x_min < x_max:
            raise NnvizError(f"x_range {x_range}: need min < max")
        if y_range is None:
            y_range = (0.0, 1.0) if kind == "sigmoid" else (0.0, max(1.0, x_max))
        y_min, y_max = (float(v) for v in y_range)
        t = self.theme = get_theme(theme)
        self.kind = kind
        self.function = FUNCTIONS[kind]
        self.bias = float(bias)
        self.x_range = (x_min, x_max)
        self.y_range = (y_min, y_max)
        x_step = x_step or nice_step(x_max - x_min)
        y_step = y_step or (0.5 if kind == "sigmoid" else nice_step(y_max - y_min, ticks=5))
        self.axes = Axes(
            x_range=[x_min, x_max, x_step],
            y_range=[y_min, y_max, y_step],
            x_length=width or t.plot_width,
            y_length=height or t.plot_height,
            tips=False,
            axis_config={
                "color": t.axis_color,
                "include_numbers": True,
                "font_size": t.label_font_size * 0.8,
                "stroke_width": 2,
            },
            x_axis_config={"decimal_number_config": {"num_decimal_places": decimal_places(x_step)}},
            y_axis_config={"decimal_number_config": {"num_decimal_places": decimal_places(y_step)}},
        )
        self.curve = self._graph(self.bias)
        self.add(self.axes, self.curve)
        self.x_label: VMobject | None = None
        self.y_label: VMobject | None = None
        if show_labels:
            self.x_label = MathTex("z", font_size=t.label_font_size)
            self.x_label.next_to(self.axes.x_axis.get_right(), RIGHT, buff=0.15)
            self.y_label = self._function_of(self._argument(self.bias))
            self.y_label.next_to(self.axes.y_axis.get_top(), UP, buff=0.15)
            self.add(self.x_label, self.y_label)

    # -- the numbers -------------------------------------------------------------------------
    @property
    def function_tex(self) -> str:
        """TeX of the function symbol: ``\\sigma`` or ``\\mathrm{ReLU}``."""
        return FUNCTION_TEX[self.kind]

    def value(self, z: float) -> float:
        """The activation the plot shows at z: ``f(z + bias)``, computed by the core."""
        return float(self.function(np.asarray(float(z) + self.bias)))

    @staticmethod
    def _argument(bias: float) -> str:
        return "z" if bias == 0 else "z + b"

    def _function_of(self, arg: str) -> RoleMathTex:
        return RoleMathTex(
            [(self.function_tex, "function"), (f"({arg})", None)],
            theme=self.theme,
            font_size=self.theme.label_font_size,
        )

    def _graph(self, bias: float) -> VMobject:
        x_min, x_max = self.x_range
        y_min, y_max = self.y_range
        f = self.function
        # Sample densely (and include x = -bias, where ReLU bends).
        xs = np.union1d(np.linspace(x_min, x_max, 241), [-bias] if x_min < -bias < x_max else [])
        ys = f(xs + bias)
        # Where f leaves the y range the curve stops at the edge (never a clipped, false plateau).
        inside = (ys >= y_min) & (ys <= y_max)
        points: list[tuple[float, float]] = []
        for i, (x, y) in enumerate(zip(xs, ys)):
            if i > 0 and inside[i] != inside[i - 1]:
                edge = y_max if max(y, ys[i - 1]) > y_max else y_min
                t = (edge - ys[i - 1]) / (y - ys[i - 1])
                points.append((xs[i - 1] + t * (x - xs[i - 1]), edge))
            if inside[i]:
                points.append((x, y))
        curve = VMobject(stroke_color=self.theme.highlight, stroke_width=self.theme.curve_width)
        if len(points) >= 2:
            curve.set_points_as_corners([self.axes.c2p(x, y) for x, y in points])
        return curve

    def point_at(self, z: float) -> np.ndarray:
        """Scene position of ``(z, f(z + bias))`` on the axes."""
        self._check_in_range(z)
        return self.axes.c2p(float(z), self.value(z))

    def _check_in_range(self, z: float) -> None:
        x_min, x_max = self.x_range
        if not x_min <= float(z) <= x_max:
            raise NnvizError(f"z = {float(z):.3g} is outside the plot's x range {self.x_range}: pass a wider x_range")
        y = self.value(z)
        if not self.y_range[0] <= y <= self.y_range[1]:
            raise NnvizError(f"f(z) = {y:.3g} is outside the plot's y range {self.y_range}: pass a taller y_range")

    # -- marks -------------------------------------------------------------------------------
    def mark(self, z: float, label: bool = True, guides: bool = True, decimals: int | None = None) -> VGroup:
        """A dot at ``(z, f(z + bias))`` with dashed guides to the axes and a label of the numbers.

        The label reads e.g. ``z = 2.31   σ(z) = 0.91`` (``σ(z + b)`` when the plot has a bias),
        both numbers formatted from the core's values. The returned VGroup has parts ``dot``,
        ``guides`` and ``label`` and attributes ``z`` and ``activation``; it is not added to the
        plot, so play e.g. ``FadeIn(plot.mark(z))``.

        Example::

            trace = net.forward(x)
            z = trace.weighted_sums[0][3]
            self.play(FadeIn(plot.mark(z)))
        """
        d = self.theme.decimals if decimals is None else decimals
        z = float(z)
        point = self.point_at(z)
        y = self.value(z)
        group = VGroup()
        group.z, group.activation = z, y  # type: ignore[attr-defined]
        group.dot = Dot(point, radius=0.08, color=self.theme.neuron_color)  # type: ignore[attr-defined]
        group.guides = self._guides(point, z, y) if guides else VGroup()  # type: ignore[attr-defined]
        group.add(group.guides, group.dot)
        group.label = None  # type: ignore[attr-defined]
        if label:
            arg = self._argument(self.bias)
            group.label = RoleMathTex(  # type: ignore[attr-defined]
                [
                    ("z", None),
                    ("=", None),
                    (tex_number(z, d), "result"),
                    (r"\quad", None),
                    (self.function_tex, "function"),
                    (f"({arg})", None),
                    ("=", None),
                    (tex_number(y, d), "result"),
                ],
                theme=self.theme,
                font_size=self.theme.label_font_size,
            )
            self._place_label(group.label, point)
            group.add(group.label)
        return group

    def _guides(self, point: np.ndarray, z: float, y: float) -> VGroup:
        """Dashed lines from the point (z, y) down to the x axis and across to the y axis."""
        guides = VGroup()
        foot_x = self.axes.c2p(z, self.y_range[0])
        foot_y = self.axes.c2p(max(self.x_range[0], min(0.0, self.x_range[1])), y)
        for end in (foot_x, foot_y):
            if np.linalg.norm(end - point) > 0.05:
                guides.add(DashedLine(point, end, color=self.theme.axis_color, stroke_width=2, dash_length=0.08))
        return guides

    def _place_label(self, label: VMobject, point: np.ndarray) -> None:
        """Put the label beside the dot where it meets neither the curve nor the axes' text.

        The curves are increasing, so up-left and down-right of the dot are the natural
        free sides; the others are tried next, and below the axes is the fallback.
        """
        curve_points = np.asarray(self.curve.get_anchors())
        axes_lines = [self.axes.x_axis, self.axes.y_axis]
        texts = [*self.axes.x_axis.numbers, *self.axes.y_axis.numbers]
        texts += [m for m in (self.x_label, self.y_label) if m is not None]
        frame_lo = np.array([-config.frame_width / 2 + 0.3, -config.frame_height / 2 + 0.3])
        frame_hi = -frame_lo
        offset = np.array([0.15, 0.2, 0.0])
        for direction in (UP + LEFT, DOWN + RIGHT, UP + RIGHT, DOWN + LEFT):
            label.move_to(point + direction * offset, aligned_edge=-direction)
            lo = label.get_corner(DOWN + LEFT) - 0.03
            hi = label.get_corner(UP + RIGHT) + 0.03
            if np.any(lo[:2] < frame_lo) or np.any(hi[:2] > frame_hi):
                continue
            on_curve = np.all((curve_points[:, :2] >= lo[:2]) & (curve_points[:, :2] <= hi[:2]), axis=1)
            if on_curve.any() or any(_boxes_overlap(lo, hi, m) for m in texts + axes_lines):
                continue
            return
        label.next_to(self.axes, DOWN, buff=0.3)

    def tracking_mark(self, tracker: ValueTracker, decimals: int | None = None) -> VGroup:
        """A mark that follows a ``ValueTracker`` holding z: animate ``tracker.animate.set_value(z)``.

        The dot, the guides and the two numbers are recomputed by the core on every frame
        (the numbers are DecimalNumbers, so no LaTeX runs per frame); the label stays put
        under the axes.

        Example::

            z = ValueTracker(-4)
            self.add(plot.tracking_mark(z))
            self.play(z.animate.set_value(4), run_time=3)
        """
        d = self.theme.decimals if decimals is None else decimals
        fs = self.theme.label_font_size
        dot = Dot(radius=0.08, color=self.theme.neuron_color)
        z_number = DecimalNumber(0.0, num_decimal_places=d, font_size=fs)
        a_number = DecimalNumber(0.0, num_decimal_places=d, font_size=fs)
        z_text = MathTex("z", "=", font_size=fs)
        f_text = RoleMathTex(
            [(self.function_tex, "function"), (f"({self._argument(self.bias)})", None), ("=", None)],
            theme=self.theme,
            font_size=fs,
        )
        label = VGroup(z_text, z_number, f_text, a_number)
        guides = VGroup()
        group = VGroup(guides, dot, label)

        def update(mark: Mobject) -> None:
            z = float(tracker.get_value())
            point = self.point_at(z)
            y = self.value(z)
            dot.move_to(point)
            # Round through tex_number so the numbers read exactly as a static mark's would.
            z_number.set_value(float(tex_number(z, d)))
            a_number.set_value(float(tex_number(y, d)))
            z_number.next_to(z_text, RIGHT, buff=0.12)
            f_text.next_to(z_number, RIGHT, buff=0.45)
            a_number.next_to(f_text, RIGHT, buff=0.12)
            # A label that hops around a moving dot is hard to read: keep it under the axes.
            label.next_to(self.axes, DOWN, buff=0.3)
            guides.become(self._guides(point, z, y))

        update(group)
        group.add_updater(update)
        return group

    # -- bias ----------------------------------------------------------------------------------
    def shifted(self, bias: float) -> "ActivationPlot":
        """A copy of this plot drawing ``f(x + bias)``, in the same place.

        Example::

            threshold = plot.shifted(-10)   # active only when the weighted sum exceeds 10
        """
        new: ActivationPlot = self.copy()
        new.bias = float(bias)
        new.curve.set_points(new._graph(new.bias).points)
        if new.y_label is not None:
            new.y_label.become(new._function_of(new._argument(new.bias)).move_to(new.y_label, aligned_edge=DOWN))
        return new

    def shift_bias(self, bias: float, run_time: float | None = None) -> Animation:
        """Slide the curve from ``f(x + self.bias)`` to ``f(x + bias)``; ``self.bias`` follows.

        Every frame is the real curve of the bias in between (not a blend of two curves).

        Example::

            self.play(plot.shift_bias(-10))   # needs an x range reaching 10, e.g. (-5, 15)
        """
        t = self.theme.shift_time if run_time is None else run_time
        if t <= 0:
            raise NnvizError(f"run_time is {t}: pass a positive number of seconds, or None for theme.shift_time")
        start, end = self.bias, float(bias)

        def update(curve: VMobject, alpha: float) -> None:
            self.bias = start + (end - start) * alpha
            curve.set_points(self._graph(self.bias).points)

        # manim types the callback as taking any Mobject; it is passed self.curve, a VMobject
        slide = UpdateFromAlphaFunc(self.curve, update, run_time=t, rate_func=smooth)  # type: ignore[arg-type]
        if self.y_label is None or self._argument(start) == self._argument(end):
            return slide
        # The axis label turns from f(z) into f(z + b) (or back) while the curve slides.
        new_label = self._function_of(self._argument(end)).move_to(self.y_label, aligned_edge=DOWN)
        return AnimationGroup(slide, _Relabel(self, new_label, run_time=t))

    def threshold_line(self) -> DashedLine:
        """A vertical dashed line at x = -bias, where f's step (sigmoid) or bend (ReLU) sits."""
        x = -self.bias
        self._check_in_range(x)
        return DashedLine(
            self.axes.c2p(x, self.y_range[0]),
            self.axes.c2p(x, self.y_range[1]),
            color=self.theme.bias_symbol,
            stroke_width=2,
        )


class _Relabel(Transform):
    """Morph a plot's y label into ``new_label``, then put ``new_label`` itself in its place.

    So that after the animation ``plot.y_label`` is the new RoleMathTex (with its tex_string),
    not the old one wearing the new glyphs.
    """

    def __init__(self, plot: ActivationPlot, new_label: VMobject, **kwargs: Any) -> None:
        self.plot, self.new_label = plot, new_label
        super().__init__(plot.y_label, new_label.copy(), **kwargs)

    def finish(self) -> None:
        super().finish()
        old = self.plot.y_label
        if old is not None and old in self.plot.submobjects:
            self.plot.submobjects[self.plot.submobjects.index(old)] = self.new_label
            self.plot.y_label = self.new_label


__all__ = ["FUNCTIONS", "ActivationPlot"]
