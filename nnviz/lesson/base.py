"""The base class of the lesson's scenes: settings, theme, seeded randomness and beats.

Example (a scene file)::

    from manim import Text, Write
    from nnviz.lesson import LessonScene

    class WhatItSees(LessonScene):
        def construct(self):
            self.beat("answer", notes="The network's answer for this digit.")
            answer = Text(f"{self.digit.description}: it reads {self.trace.prediction}")
            self.play(Write(answer.scale(0.5)))

``nnviz render --file FILE WhatItSees --digit 42 --palette colorblind`` renders it for another digit
and palette; the same class becomes a manim-slides deck with ``nnviz slides``.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from ..theme import Theme, make_theme, set_theme
from ..visual.beats import BeatScene
from ..visual.diagram import NetworkDiagram
from ..visual.pixels import PixelGrid
from .settings import Digit, LessonSettings, lesson_settings

if TYPE_CHECKING:
    from ..core.network import Network, Trace


class LessonScene(BeatScene):
    """A Scene that shows the digit and network chosen by :func:`lesson_settings`.

    In ``setup`` (override it with ``super().setup()`` first) it resolves the settings,
    makes their palette the theme of every mobject built afterwards and seeds Python's,
    numpy's legacy and its own ``self.rng`` generators with ``seed``, so two renders give
    the same frames. ``self.beat(name, notes=...)`` (from
    :class:`~nnviz.visual.beats.BeatScene`) marks each beat: a section of the video, or a
    slide with speaker notes in the ``nnviz slides`` deck.
    """

    #: Seed of ``self.rng`` (and of ``random``/``np.random``, which some manim animations use).
    seed: int = 0
    #: Theme fields this scene sets its own way, e.g. ``{"text_font_size": 26}`` (typography by
    #: role): applied over the palette in ``setup``, for every mobject the scene builds.
    theme_overrides: ClassVar[Mapping[str, Any]] = {}

    settings: LessonSettings
    theme: Theme
    rng: np.random.Generator

    def setup(self) -> None:
        super().setup()
        self.settings = lesson_settings()
        self.theme = set_theme(make_theme(self.settings.palette, **self.theme_overrides))
        random.seed(self.seed)
        np.random.seed(self.seed)
        self.rng = np.random.default_rng(self.seed)

    @property
    def network(self) -> Network:
        """The network being taught (``--weights``; the shipped one by default)."""
        return self.settings.network()

    @property
    def digit(self) -> Digit:
        """The digit being shown: ``.pixels`` (28, 28) in [0, 1], ``.label``, ``.description``."""
        return self.settings.digit()

    @cached_property
    def trace(self) -> Trace:
        """Every activation of the network for the digit: ``self.network.forward(pixels)``."""
        return self.network.forward(self.digit.pixels)


class DiagramLessonScene(LessonScene):
    """A LessonScene built around the whole network diagram, with a small digit left of its inputs.

    The layout lives here once for every scene that shows the diagram this way (``FeedForward``,
    ``HiddenAndOutputLayers``); override a class attribute to move it.

    Example (a scene file)::

        from nnviz import DiagramLessonScene, propagate

        class Forward(DiagramLessonScene):
            def construct(self):
                diagram = self.network_diagram()
                self.add(diagram, self.digit_beside_inputs(diagram, self.digit.pixels))
                self.play(propagate(diagram, self.trace))
    """

    #: The diagram is scaled by this and moved by ``diagram_shift`` to leave room for captions.
    diagram_scale: float = 0.9
    diagram_shift: np.ndarray = np.array([0.0, -0.3, 0.0])
    #: Side of one pixel of the small digit, and the x of its centre (level with the input column).
    pixel_size: float = 0.05
    digit_x: float = -6.25

    def network_diagram(self) -> NetworkDiagram:
        """The network's diagram, scaled and placed by the layout."""
        diagram = NetworkDiagram(self.network)
        diagram.scale(self.diagram_scale).shift(self.diagram_shift)
        return diagram

    def digit_beside_inputs(self, diagram: NetworkDiagram, pixels: np.ndarray) -> PixelGrid:
        """``pixels`` as a small digit at ``digit_x``, level with ``diagram``'s input column."""
        grid = PixelGrid(pixels, pixel_size=self.pixel_size, individual=False)
        grid.move_to((self.digit_x, float(diagram.layers[0].get_y()), 0.0))
        return grid
