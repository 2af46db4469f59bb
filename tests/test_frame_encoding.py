"""Frames handed to the encoder without copies (nnviz.visual.frame_encoding) make the same video.

Two renders of one small scene with animations, a held wait and a still hold, at -ql with
x264's veryfast preset: one with manim's own renderer and encoder methods, one with nnviz's.
The MP4 files must be equal byte for byte.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

SCENES = textwrap.dedent(
    """
    from manim import BLUE, RIGHT, Circle, Create, FadeIn, Square, Text
    from manim.renderer.cairo_renderer import CairoRenderer
    from manim.scene.video_segment_encoder import VideoSegmentEncoder

    MANIMS = VideoSegmentEncoder.write_frame, CairoRenderer.render, CairoRenderer.freeze_current_frame

    from nnviz.visual.beats import BeatScene


    class Nnviz(BeatScene):
        def construct(self):
            square = Square(color=BLUE)
            self.play(Create(square), FadeIn(Text("held").to_edge(RIGHT)))
            self.wait(0.8)
            self.play(square.animate.shift(RIGHT), Create(Circle()), run_time=0.7)
            self.wait(0.5)


    class Manims(Nnviz):
        def setup(self):
            super().setup()
            VideoSegmentEncoder.write_frame, CairoRenderer.render, CairoRenderer.freeze_current_frame = MANIMS
    """
)


def render(folder: Path, scene: str) -> bytes:
    command = [sys.executable, "-m", "manim", "render", "-ql", "--disable_caching", "--silent"]
    command += ["--encoder-option", "preset=veryfast", "--media_dir", str(folder / "media")]
    done = subprocess.run(
        [*command, str(folder / "scenes.py"), scene], cwd=folder, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return (folder / "media" / "videos" / "scenes" / "480p15" / f"{scene}.mp4").read_bytes()


def test_copy_free_encoding_makes_the_same_video(tmp_path: Path) -> None:
    (tmp_path / "scenes.py").write_text(SCENES)
    nnviz, manims = render(tmp_path, "Nnviz"), render(tmp_path, "Manims")
    assert len(nnviz) > 1000
    assert nnviz == manims


def test_installs_once_and_only_into_manims_encoder() -> None:
    from manim.scene.video_segment_encoder import VideoSegmentEncoder

    from nnviz.visual.frame_encoding import encode_frames_in_place

    assert encode_frames_in_place() and encode_frames_in_place()
    assert VideoSegmentEncoder.write_frame.__module__ == "nnviz.visual.frame_encoding"
