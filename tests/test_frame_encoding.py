"""Frames read in place and held frames converted once (nnviz.visual.frame_encoding): the same video.

Two renders of one small scene with animations and held waits, by ``nnviz render`` at 720p (rows
read in place) and 480p (rows copied): one with manim's own encoder method, one
with nnviz's. The MP4 files must be equal byte for byte.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

SCENES = textwrap.dedent(
    """
    from manim import BLUE, RIGHT, Circle, Create, FadeIn, Square, Text, Transform
    from manim.scene.video_segment_encoder import VideoSegmentEncoder

    MANIMS = VideoSegmentEncoder.write_frame

    from nnviz.visual.beats import BeatScene


    class Nnviz(BeatScene):
        def construct(self):
            shape = Circle()
            self.play(Create(shape), FadeIn(Text("held").to_edge(RIGHT)), run_time=0.4)
            self.wait(0.5)
            self.play(Transform(shape, Square(color=BLUE)), run_time=0.4)
            self.play(Transform(shape, Circle(color="#FC6255")), run_time=0.4)
            self.wait(0.3)
            self.play(shape.animate.shift(RIGHT), run_time=0.4)


    class Manims(Nnviz):
        def setup(self):
            super().setup()
            VideoSegmentEncoder.write_frame = MANIMS
    """
)


def render(folder: Path, quality: str) -> dict[str, bytes]:
    command = [sys.executable, "-m", "nnviz", "render", "--file", "scenes.py", "Nnviz", "Manims", "-q", quality]
    done = subprocess.run([*command, "--jobs", "1"], cwd=folder, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    videos = folder / "media" / "videos" / "scenes" / {"m": "720p30", "l": "480p15"}[quality]
    return {scene: (videos / f"{scene}.mp4").read_bytes() for scene in ("Nnviz", "Manims")}


@pytest.mark.parametrize("quality", ["m", "l"])
def test_copy_free_encoding_makes_the_same_video(tmp_path: Path, quality: str) -> None:
    (tmp_path / "scenes.py").write_text(SCENES)
    videos = render(tmp_path, quality)
    assert len(videos["Nnviz"]) > 1000
    assert videos["Nnviz"] == videos["Manims"]


def test_installs_once_and_only_into_manims_encoder() -> None:
    from manim.scene.video_segment_encoder import VideoSegmentEncoder

    from nnviz.visual.frame_encoding import encode_frames_in_place

    assert encode_frames_in_place() and encode_frames_in_place()
    assert VideoSegmentEncoder.write_frame.__module__ == "nnviz.visual.frame_encoding"
