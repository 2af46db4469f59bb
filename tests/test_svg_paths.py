"""Glyphs that drop their parsed SVG path keep every point, and copy without it."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

# A fresh interpreter: the reference glyphs need manim as it is, and a scene test in this process
# may have installed the patch already.
_BUILD = textwrap.dedent(
    r"""
    import numpy as np
    from manim import Brace, MathTex, Square, Text, config
    from manim.mobject.svg.svg_mobject import SVG_HASH_TO_MOB_MAP
    from nnviz.visual.svg_paths import lean_svg_paths

    config.media_dir = MEDIA

    def build():
        shapes = [MathTex(r"\sigma\left(w_{0,0} a_0 + b_0\right)"), Text("weights 0.25"), Brace(Square())]
        return [np.concatenate([m.points for m in s.get_family()]) for s in shapes], shapes

    reference, fat = build()
    assert any("path_obj" in vars(m) for s in fat for m in s.get_family())
    SVG_HASH_TO_MOB_MAP.clear()  # else the formulas come back as copies of the fat glyphs
    assert lean_svg_paths() and lean_svg_paths()
    for _ in range(2):  # built, then from manim's SVG cache
        points, lean = build()
        assert not any("path_obj" in vars(m) for s in lean for m in s.get_family())
        assert all(np.array_equal(a, b) for a, b in zip(reference, points))
        copied = [s.copy() for s in lean]
        assert all(np.array_equal(a, np.concatenate([m.points for m in c.get_family()]))
                   for a, c in zip(reference, copied))
        lean[0][0].generate_points()  # made again: a no-op, the points stay
        assert np.array_equal(np.concatenate([m.points for m in lean[0].get_family()]), reference[0])
    print("ok")
    """
)


def test_lean_glyphs_keep_their_points_and_copy_without_the_parsed_path(tmp_path: Path) -> None:
    code = f"MEDIA = {str(tmp_path)!r}\n" + _BUILD
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert result.returncode == 0 and result.stdout.strip().endswith("ok"), (
        result.stdout[-2000:] + result.stderr[-3000:]
    )


def test_every_lesson_scene_installs_it() -> None:
    from manim.mobject.svg.svg_mobject import VMobjectFromSVGPath

    from nnviz.visual.beats import BeatScene

    BeatScene().setup()
    assert getattr(VMobjectFromSVGPath, "_nnviz_drops_svg_paths", False)
