"""The lesson's scenes render: every scene of the catalog constructs with the shipped network and
marks its beats, and FeedForward renders as a real low-quality video with one section per beat.

Every scene runs its ``construct`` in a process of its own with every animation skipped
(tests/scene_probe.py): manim's ``--dry_run`` alone would still draw each frame with Cairo, a
minute for some scenes, and prove nothing more about the scene's code. FeedForward is rendered
for real with ``python -m manim render -ql --save_sections``. Each process runs in a working
folder of its own under pytest's tmp dir, holding a copy of the repository's ``manim.cfg`` (so
its settings apply and nothing is written into the repository), with a media folder of its own,
and without the lecturer's ``NNVIZ_DIGIT`` / ``NNVIZ_WEIGHTS`` / ``NNVIZ_PALETTE`` so the
defaults are tested. A scene file that does not exist fails its test: the lesson is not
complete without it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import pytest

from nnviz.lesson import SCENES, find_scene
from nnviz.lesson.catalog import scene_classes_in

ROOT = Path(__file__).resolve().parents[1]
#: Runs a scene's construct with every animation skipped and prints its beats (see its docstring).
PROBE = Path(__file__).resolve().with_name("scene_probe.py")
#: A scene whose construct takes longer than this (seconds) counts as broken.
PROBE_TIMEOUT = 600
RENDER_TIMEOUT = 1800
#: Shortest a beat of FeedForward may last (seconds); the lesson aims at 2-6 s per beat.
MIN_BEAT_SECONDS = 1.5
#: A plausible length for a whole scene (seconds); the lesson aims at about 15-45 s.
MIN_SCENE_SECONDS, MAX_SCENE_SECONDS = 8.0, 90.0
#: manim's -ql: 854x480 at 15 frames per second, written under videos/<file>/480p15/.
LOW_QUALITY = {"width": 854, "height": 480, "fps": 15, "folder": "480p15"}


def scene_env() -> dict[str, str]:
    """The environment of a render: this one, without the lecturer's lesson settings."""
    env = {k: v for k, v in os.environ.items() if k not in ("NNVIZ_DIGIT", "NNVIZ_WEIGHTS", "NNVIZ_PALETTE")}
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


def run(args: list[str], timeout: int, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        env=scene_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def explain(result: subprocess.CompletedProcess[str], lines: int = 60) -> str:
    """The last lines of a failed render's output, for the assertion message."""
    out = (result.stdout + "\n" + result.stderr).strip().splitlines()
    return "\n".join(out[-lines:])


def scene_file(name: str) -> Path:
    """The scene's file from the catalog; the test fails (never skips) when it is missing."""
    entry = find_scene(name)
    path = entry.path()
    assert path.is_file(), f"scene {entry.name}: its file {path} does not exist yet"
    classes = scene_classes_in(path)
    assert entry.name in classes, f"{path} defines no class {entry.name} (it defines: {', '.join(classes) or 'none'})"
    return path


@pytest.fixture(scope="session")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A working folder with the repository's manim.cfg: renders read it, and write nothing into the repo."""
    folder = tmp_path_factory.mktemp("workdir")
    shutil.copy(ROOT / "manim.cfg", folder / "manim.cfg")
    return folder


@pytest.fixture(scope="session")
def media_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # One media folder per test process: the scenes share its TeX cache (pytest-xdist workers
    # each get their own session, so no two processes compile into the same tex_dir).
    return tmp_path_factory.mktemp("media")


def test_the_catalog_is_the_whole_lesson() -> None:
    files = sorted(p.name for p in (ROOT / "scenes").glob("*.py") if p.name != "__init__.py")
    assert sorted(s.file for s in SCENES) == files  # every scene file once, and no other
    assert len({s.name for s in SCENES}) == len(SCENES) >= 15


@dataclass(frozen=True)
class Probe:
    """What a scene's construct played: animations, beats, and where each section starts."""

    plays: int
    beats: list[str]
    sections: list[tuple[str, int]]


def probe_scene(name: str, media_dir: Path, workdir: Path) -> Probe:
    """Run scene ``name``'s construct (every animation skipped) in a process of its own."""
    path = scene_file(name)
    result = run([str(PROBE), str(path), name, str(media_dir)], PROBE_TIMEOUT, workdir)
    assert result.returncode == 0, f"{name} failed to construct (exit {result.returncode}):\n{explain(result)}"
    output = result.stdout + result.stderr
    assert "Traceback" not in output, explain(result)
    lines = [line for line in result.stdout.splitlines() if line.startswith("PROBE=")]
    assert lines, f"{name}: the probe printed nothing:\n{explain(result)}"
    facts = json.loads(lines[-1].removeprefix("PROBE="))
    return Probe(facts["plays"], facts["beats"], [(n, i) for n, i in facts["sections"]])


@pytest.mark.parametrize("name", [s.name for s in SCENES])
def test_scene_constructs_and_every_animation_lies_in_a_named_beat(name: str, media_dir: Path, workdir: Path) -> None:
    probe = probe_scene(name, media_dir, workdir)
    assert probe.plays > 0, f"{name} played no animation"
    beats = probe.beats
    assert len(beats) >= 2, f"{name} marks {len(beats)} beat(s); a scene is a few named beats"
    for beat in beats:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", beat), f"{name}: beat name {beat!r} is not snake_case"
    assert len(set(beats)) == len(beats), f"{name} names two beats alike: {beats}"
    # Each beat is a section (a section file, a slide), and nothing else is.
    assert [section for section, _ in probe.sections] == beats
    starts = [start for _, start in probe.sections]
    assert starts[0] == 0, f"{name} plays {starts[0]} animation(s) before its first beat"
    ends = [*starts[1:], probe.plays]
    empty = [beat for beat, start, end in zip(beats, starts, ends) if end <= start]
    assert not empty, f"{name}: beats without an animation (manim drops their sections): {empty}"


# ---------------------------------------------------------------- FeedForward, for real


def video_facts(path: Path) -> dict[str, float]:
    """Duration (s), width, height and frame rate of a video, read with PyAV (installed with manim)."""
    import av

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        if stream.duration is not None and stream.time_base is not None:
            seconds = float(stream.duration * stream.time_base)
        else:
            seconds = float(Fraction(container.duration or 0, av.time_base))
        return {
            "seconds": seconds,
            "width": stream.codec_context.width,
            "height": stream.codec_context.height,
            "fps": float(stream.average_rate or 0),
        }


@dataclass(frozen=True)
class RenderedScene:
    """A scene rendered for real: its video, its sections folder and the beats it marked."""

    name: str
    video: Path
    sections: Path
    beats: list[str]


@pytest.fixture(scope="module")
def feed_forward(tmp_path_factory: pytest.TempPathFactory, workdir: Path) -> RenderedScene:
    """FeedForward rendered at -ql with --save_sections, and its beats read from its construct apart."""
    name = "FeedForward"
    path = scene_file(name)
    media = tmp_path_factory.mktemp("feed_forward_media")
    result = run(
        ["-m", "manim", "render", "-ql", "--save_sections", "--media_dir", str(media), str(path), name],
        RENDER_TIMEOUT,
        workdir,
    )
    assert result.returncode == 0, f"{name} failed to render (exit {result.returncode}):\n{explain(result)}"
    probe = probe_scene(name, tmp_path_factory.mktemp("beats_media"), workdir)
    video_dir = media / "videos" / path.stem / LOW_QUALITY["folder"]
    return RenderedScene(
        name=name,
        video=video_dir / f"{name}.mp4",
        sections=video_dir / "sections",
        beats=probe.beats,
    )


class TestFeedForwardRendered:
    """FeedForward rendered for real once (``feed_forward``): a class runs on one pytest-xdist worker."""

    def test_feed_forward_has_named_beats(self, feed_forward: RenderedScene) -> None:
        beats = feed_forward.beats
        assert len(beats) >= 2, f"FeedForward marks {len(beats)} beat(s); a scene is a few named beats"
        for beat in beats:
            assert re.fullmatch(r"[a-z][a-z0-9_]*", beat), f"beat name {beat!r} is not snake_case"

    def test_feed_forward_writes_one_section_per_beat_named_after_it(self, feed_forward: RenderedScene) -> None:
        sections = feed_forward.sections
        assert sections.is_dir(), f"no sections folder at {sections}"
        name = feed_forward.name
        expected = [f"{name}_{i:04}_{beat}.mp4" for i, beat in enumerate(feed_forward.beats)]
        assert sorted(p.name for p in sections.glob("*.mp4")) == expected
        index = json.loads((sections / f"{name}.json").read_text())
        assert [s["name"] for s in index] == feed_forward.beats

    def test_feed_forward_beats_last_long_enough_to_watch(self, feed_forward: RenderedScene) -> None:
        sections = feed_forward.sections
        files = sorted(sections.glob("*.mp4"))
        assert files, f"no section videos in {sections}"
        for f in files:
            facts = video_facts(f)
            assert facts["seconds"] >= MIN_BEAT_SECONDS, f"{f.name} lasts {facts['seconds']:.2f} s"
            assert (facts["width"], facts["height"]) == (LOW_QUALITY["width"], LOW_QUALITY["height"])

    def test_feed_forward_video_has_a_plausible_duration(self, feed_forward: RenderedScene) -> None:
        video = feed_forward.video
        assert video.is_file(), f"no video at {video}"
        facts = video_facts(video)
        assert (facts["width"], facts["height"]) == (LOW_QUALITY["width"], LOW_QUALITY["height"])
        assert facts["fps"] == pytest.approx(LOW_QUALITY["fps"], abs=0.05)
        assert MIN_SCENE_SECONDS <= facts["seconds"] <= MAX_SCENE_SECONDS, (
            f"{video.name} lasts {facts['seconds']:.1f} s"
        )
        # The sections are the video cut at the beats: together they last as long as it does.
        sections = sorted(feed_forward.sections.glob("*.mp4"))
        total = sum(video_facts(f)["seconds"] for f in sections)
        assert total == pytest.approx(facts["seconds"], abs=0.15 * len(sections) + 0.2)
