"""The Cairo path cache and the skipping of invisible VMobjects leave every pixel as it was."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
from manim import Square

from nnviz.visual.cairo_paths import INVISIBLE, invisible

# Drawn in a fresh interpreter: the reference frames need manim's camera before the patch, and
# a scene test in the same process may have installed it already.
_DRAW = textwrap.dedent(
    """
    import numpy as np
    from manim import Camera, Circle, Text, config
    from nnviz import PicturePanel, PixelGrid
    from nnviz.visual.cairo_paths import cache_cairo_paths

    config.pixel_width, config.pixel_height = 480, 270

    def make():
        rng = np.random.default_rng(0)
        picture = np.clip(rng.normal(0.5, 0.4, (90, 70)), 0, 1)
        digit = np.where(rng.random((28, 28)) < 0.8, 0.0, rng.random((28, 28)))
        return [
            PicturePanel(picture, height=3.0).shift([-4.0, 0, 0]),
            PixelGrid(digit, pixel_size=0.1),  # individual squares, most of them clear
            PixelGrid.from_weights(rng.normal(size=784), individual=False).shift([4.0, 0, 0]),
            Text("cached 0.25", font_size=36).shift([0, 3.0, 0]),
            Circle(radius=0.5).set_stroke(opacity=0.0).set_fill(opacity=0.0).shift([0, -3.0, 0]),
        ]

    def frames():
        mobjects, out = make(), []
        for step in range(3):  # still, still again (replayed), then moved and faded
            if step == 2:
                for m in mobjects:
                    m.shift([0.013, -0.007, 0]).set_opacity(0.6)
            camera = Camera()
            camera.capture_mobjects(mobjects)
            out.append(camera.pixel_array.copy())
        return out

    reference = frames()
    assert cache_cairo_paths() and cache_cairo_paths()
    cached = frames()
    worst = max(int(np.abs(a.astype(int) - b.astype(int)).max()) for a, b in zip(reference, cached))
    lit = min(int((a > 0).sum()) for a in reference)
    print(worst, lit)
    """
)


def test_cached_and_skipped_drawing_gives_the_same_pixels() -> None:
    out = subprocess.run([sys.executable, "-c", _DRAW], capture_output=True, text=True, timeout=300, check=True)
    worst, lit = (int(v) for v in out.stdout.split()[-2:])
    assert lit > 10_000  # the frames show something
    assert worst == 0


def test_invisible_means_no_trace() -> None:
    clear = Square().set_fill(opacity=0.0).set_stroke(width=0)
    assert invisible(clear)
    assert invisible(Square().set_fill(opacity=0.0).set_stroke(opacity=INVISIBLE / 2))
    assert not invisible(Square().set_fill(opacity=0.0))  # the default stroke shows
    assert not invisible(Square().set_fill(opacity=0.01).set_stroke(width=0))
    faint_background = Square().set_fill(opacity=0.0).set_stroke(width=0)
    faint_background.set_stroke(width=4, opacity=0.5, background=True)
    assert not invisible(faint_background)
    gradient = Square().set_stroke(width=0).set_fill(["#FF0000", "#0000FF"], opacity=0.0)
    assert invisible(gradient)
    assert np.all(gradient.get_fill_rgbas()[:, 3] == 0)


def test_every_lesson_scene_draws_with_the_path_cache(tmp_path: Path) -> None:
    code = (
        "from manim.camera.camera import Camera; from nnviz.visual.beats import BeatScene; "
        "before = getattr(Camera, '_nnviz_caches_cairo_paths', False); BeatScene().setup(); "
        "print(before, getattr(Camera, '_nnviz_caches_cairo_paths', False))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.stdout.split() == ["False", "True"], done.stderr[-2000:]
