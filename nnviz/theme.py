"""Every colour, size and timing of nnviz in one place.

A :class:`Theme` is resolved when a mobject is built: pass ``theme=`` to a mobject, or
set the render-wide default with :func:`set_theme` (the lesson scenes do this from the
``NNVIZ_PALETTE`` setting). Palettes differ only in the two sign colours.

Example::

    from manim import Scene
    from nnviz.theme import get_theme, set_theme

    class Demo(Scene):
        def construct(self):
            set_theme("colorblind")
            self.add(Dot(color=get_theme().positive))
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from .core.errors import NnvizError

# manim's palette, spelled out so the core-free parts of nnviz can use them too.
BLUE = "#58C4DD"
RED = "#FC6255"
GREEN = "#83C167"
YELLOW = "#FFFF00"
WHITE = "#FFFFFF"
BLACK = "#000000"
GREY = "#888888"
# Okabe-Ito blue / orange: distinguishable with every common colour-vision deficiency.
CB_BLUE = "#56B4E9"
CB_ORANGE = "#E69F00"

PALETTES: dict[str, tuple[str, str]] = {
    "classic": (BLUE, RED),
    "chapter1": (GREEN, RED),
    "colorblind": (CB_BLUE, CB_ORANGE),
}


@dataclass(frozen=True)
class Theme:
    """Colours, sizes and timings; ``positive``/``negative`` colour weights by sign."""

    palette: str = "classic"
    positive: str = BLUE
    negative: str = RED
    weight_symbol: str = GREEN  # w and W in formulas
    bias_symbol: str = BLUE  # b in formulas
    highlight: str = YELLOW  # flashes, sigma, the winner box
    neuron_color: str = WHITE
    background: str = BLACK
    digit_frame: str = BLUE
    # sizes (manim units)
    neuron_radius: float = 0.15
    closeup_radius: float = 0.35
    neuron_stroke: float = 2.0
    layer_spacing: float = 2.6
    neuron_spacing: float = 0.4
    max_edge_width: float = 3.0
    edge_power: float = 1.0  # stroke width ~ (|w| / max|W|) ** edge_power; 1 keeps typical weights visible at 480p
    grid_opacity_power: float = 0.3  # weight-grid pixel opacity ~ (|w| / max|row|) ** 0.3
    shown_inputs: int = 16  # a large layer shows this many neurons (half above an ellipsis)
    # timings (seconds)
    layer_time: float = 1.2
    flash_time_width: float = 2.0
    flash_lag_ratio: float = 0.5
    beat_pause: float = 1.0
    # pixels, the network diagram and its animations (pixels.py, diagram.py, propagation.py, ...)
    pixel_size: float = 0.1  # side of one PixelGrid pixel: a 28x28 digit is 2.8 units wide
    digit_frame_width: float = 2.0  # stroke of the blue frame around a digit
    grid_frame_color: str = WHITE  # the thin frame around a weight grid
    grid_frame_width: float = 1.0
    grid_levels: int = 32  # a merged PixelGrid rounds each opacity to the nearest 1/grid_levels
    ellipsis_slots: float = 1.5  # height of an elided layer's vertical ellipsis, in neuron spacings
    sheet_spacing: float = 0.13  # all-inputs mode: distance between neighbours in the 28x28 sheet
    sheet_radius: float = 0.045  # all-inputs mode: radius of one of the 784 input neurons
    sheet_edge_width: float = 1.0  # all-inputs mode: stroke width of the strongest first-layer edge
    flash_width: float = 1.5  # a propagation flash is this many times as wide as its edge
    box_buff: float = 0.08  # gap between the winner box and the output neuron with its label
    dim_opacity: float = 0.12  # opacity of the edges that highlight_incoming fades
    move_time: float = 2.0  # pixels pouring into neurons, edges rearranging into a grid
    # formulas and plots (activation_plot.py, number_line.py, weighted_sum.py, matrix_form.py, tex.py)
    math_font_size: float = 40.0  # MathTex formulas
    label_font_size: float = 30.0  # numbers next to a plot's dot, axis labels
    matrix_font_size: float = 32.0  # entries of the matrix form
    # typography of the scenes, by role (a scene departs from these with LessonScene.theme_overrides)
    title_font_size: float = 40.0  # a frame's heading (Text), or the one big formula that heads it
    text_font_size: float = 30.0  # prose: a sentence across the frame
    caption_font_size: float = 24.0  # small prose: under a digit, a column header, a source line
    list_font_size: float = 27.0  # the lines of a list under a heading set in text size
    bar_font_size: float = 17.0  # the digit and value beside each bar of a scene's column of ten output bars
    number_font_size: float = 28.0  # a value standing alone: under a neuron, beside an output
    small_math_font_size: float = 32.0  # a secondary formula beside the main one: a result, a row
    decimals: int = 2  # digits after the point of every number shown in a formula or label
    axis_color: str = "#BBBBBB"  # plot axes and number lines
    curve_width: float = 4.0  # the activation curve
    plot_width: float = 7.0  # an ActivationPlot's axes (manim units)
    plot_height: float = 3.5
    write_time: float = 1.5  # writing a formula, drawing a curve
    shift_time: float = 2.0  # sliding a curve by a bias, squishing the number line


_current = Theme()


def make_theme(palette: str = "classic", **overrides: Any) -> Theme:
    """A theme with the sign colours of ``palette`` and any field overridden.

    >>> make_theme("chapter1").positive
    '#83C167'
    """
    if palette not in PALETTES:
        raise NnvizError(f"unknown palette {palette!r}; use one of: {', '.join(PALETTES)}")
    positive, negative = PALETTES[palette]
    return replace(Theme(), palette=palette, positive=positive, negative=negative, **overrides)


def set_theme(theme: Theme | str) -> Theme:
    """Make ``theme`` (or a palette name) the default for mobjects built from now on."""
    global _current
    _current = make_theme(theme) if isinstance(theme, str) else theme
    return _current


def get_theme(theme: Theme | str | None = None) -> Theme:
    """Resolve a mobject's ``theme=`` argument: None means the current default."""
    if theme is None:
        return _current
    return make_theme(theme) if isinstance(theme, str) else theme


def weight_color(w: float, theme: Theme | None = None) -> str:
    """The colour of a weight: the palette's positive colour for w >= 0, else the negative one.

    >>> weight_color(-0.3) == RED
    True
    """
    t = get_theme(theme)
    return t.positive if w >= 0 else t.negative


def weight_strength(w: np.ndarray | float, scale: float, power: float) -> np.ndarray:
    """(|w| / scale) ** power in [0, 1]: the one mapping from weight size to width or opacity.

    >>> float(weight_strength(-0.5, 1.0, 1.0))
    0.5
    """
    scale = float(scale) if scale and np.isfinite(scale) and scale > 0 else 1.0
    return np.clip(np.abs(np.asarray(w, dtype=float)) / scale, 0.0, 1.0) ** power


def edge_width(w: np.ndarray | float, max_abs: float, theme: Theme | None = None) -> np.ndarray:
    """Stroke width of an edge: ``max_edge_width * (|w| / max|W|) ** edge_power``."""
    t = get_theme(theme)
    return t.max_edge_width * weight_strength(w, max_abs, t.edge_power)


def grid_opacity(w: np.ndarray | float, max_abs: float, theme: Theme | None = None) -> np.ndarray:
    """Opacity of a weight-grid pixel: ``(|w| / max|row|) ** grid_opacity_power``."""
    t = get_theme(theme)
    return weight_strength(w, max_abs, t.grid_opacity_power)
