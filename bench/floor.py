"""An empty floor of any length: one small dot crossing the screen for ``NNVIZ_FLOOR_SECONDS``.

The cost of rendering and encoding that many frames at all (start-up, frame copies, the video
encoder), to compare a scene of the same length against (``bench/watch_it_learn.py``,
``bench/render_all.py``). It hands frames to the encoder as the lesson's scenes do
(:func:`nnviz.visual.frame_encoding.encode_frames_in_place`), so that a ratio measures the
scene's drawing, not a difference in encoding.

    NNVIZ_FLOOR_SECONDS=25.8 manim render -qh --disable_caching bench/floor.py LengthFloor
"""

from __future__ import annotations

import os

from manim import LEFT, RIGHT, Dot, Scene, linear

from nnviz.visual.frame_encoding import encode_frames_in_place


class LengthFloor(Scene):
    """A dot moving for ``NNVIZ_FLOOR_SECONDS`` seconds (default 4), as ``EmptyFloor`` does for 4."""

    def setup(self) -> None:
        encode_frames_in_place()

    def construct(self) -> None:
        seconds = float(os.environ.get("NNVIZ_FLOOR_SECONDS", "4"))
        dot = Dot(3 * LEFT, radius=0.05)
        self.add(dot)
        self.play(dot.animate.move_to(3 * RIGHT), run_time=seconds, rate_func=linear)
