"""The lesson's scenes render: every scene of the catalog with ``manim render --dry_run``, and
FeedForward as a real low-quality video with one section per beat.

Each render is a ``python -m manim render`` subprocess run in a working folder of its own under
pytest's tmp dir, holding a copy of the repository's ``manim.cfg`` (so its settings apply and
nothing is written into the repository), with a media folder of its own, and without the
lecturer's ``NNVIZ_DIGIT`` / ``NNVIZ_WEIGHTS`` / ``NNVIZ_PALETTE`` so the defaults are tested. A
scene file that does not exist fails its test: the lesson is not complete without it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import pytest

from nnviz.lesson import SCENES, find_scene
from nnviz.lesson.catalog import scene_classes_in

ROOT = Path(__file__).resolve().parents[1]
#: A scene that takes longer than this (seconds) to render counts as broken.
DRY_RUN_TIMEOUT = 900
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
    # One media folder per test process: the dry runs share its TeX cache (pytest-xdist workers
    # each get their own session, so no two processes compile into the same tex_dir).
    return tmp_path_factory.mktemp("media")


def test_the_catalog_is_the_whole_lesson() -> None:
    files = sorted(p.name for p in (ROOT / "scenes").glob("*.py") if p.name != "__init__.py")
    assert sorted(s.file for s in SCENES) == files  # every scene file once, and no other
    assert len({s.name for s in SCENES}) == len(SCENES) >= 15


@pytest.mark.parametrize("name", [s.name for s in SCENES])
def test_scene_renders_in_a_dry_run(name: str, media_dir: Path, workdir: Path) -> None:
    path = scene_file(name)
    result = run(
        ["-m", "manim", "render", "--dry_run", "-ql", "--media_dir", str(media_dir), str(path), name],
        DRY_RUN_TIMEOUT,
        workdir,
    )
    assert result.returncode == 0, f"{name} failed to render (exit {result.returncode}):\n{explain(result)}"
    output = result.stdout + result.stderr
    assert "Traceback" not in output, explain(result)
    played = re.search(r"Played (\d+) animations", output)
    assert played and int(played.group(1)) > 0, f"{name} played no animation:\n{explain(result)}"


# ---------------------------------------------------------------- FeedForward, for real

#: Prints the beats of a scene, run in a dry run of its own (the names, in order).
BEATS_SCRIPT = textwrap.dedent(
    """
    import importlib.util, json, sys
    from manim import tempconfig

    path, name, media = sys.argv[1:4]
    spec = importlib.util.spec_from_file_location("scene_under_test", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    settings = {"dry_run": True, "quality": "low_quality", "media_dir": media, "progress_bar": "none",
                "verbosity": "WARNING", "notify_outdated_version": False}
    with tempconfig(settings):
        scene = getattr(module, name)()
        scene.render()
    print("BEATS=" + json.dumps([beat for beat, _ in getattr(scene, "beats", [])]))
    """
)


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
    """FeedForward rendered at -ql with --save_sections, and its beats read from a dry run."""
    name = "FeedForward"
    path = scene_file(name)
    media = tmp_path_factory.mktemp("feed_forward_media")
    result = run(
        ["-m", "manim", "render", "-ql", "--save_sections", "--media_dir", str(media), str(path), name],
        RENDER_TIMEOUT,
        workdir,
    )
    assert result.returncode == 0, f"{name} failed to render (exit {result.returncode}):\n{explain(result)}"
    beats_media = tmp_path_factory.mktemp("beats_media")
    beats_run = run(["-c", BEATS_SCRIPT, str(path), name, str(beats_media)], DRY_RUN_TIMEOUT, workdir)
    assert beats_run.returncode == 0, explain(beats_run)
    line = [l for l in beats_run.stdout.splitlines() if l.startswith("BEATS=")]
    assert line, f"no beats printed:\n{explain(beats_run)}"
    video_dir = media / "videos" / path.stem / LOW_QUALITY["folder"]
    return RenderedScene(
        name=name,
        video=video_dir / f"{name}.mp4",
        sections=video_dir / "sections",
        beats=json.loads(line[-1].removeprefix("BEATS=")),
    )


def test_feed_forward_has_named_beats(feed_forward: RenderedScene) -> None:
    beats = feed_forward.beats
    assert len(beats) >= 2, f"FeedForward marks {len(beats)} beat(s); a scene is a few named beats"
    for beat in beats:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", beat), f"beat name {beat!r} is not snake_case"


def test_feed_forward_writes_one_section_per_beat_named_after_it(feed_forward: RenderedScene) -> None:
    sections = feed_forward.sections
    assert sections.is_dir(), f"no sections folder at {sections}"
    name = feed_forward.name
    expected = [f"{name}_{i:04}_{beat}.mp4" for i, beat in enumerate(feed_forward.beats)]
    assert sorted(p.name for p in sections.glob("*.mp4")) == expected
    index = json.loads((sections / f"{name}.json").read_text())
    assert [s["name"] for s in index] == feed_forward.beats


def test_feed_forward_beats_last_long_enough_to_watch(feed_forward: RenderedScene) -> None:
    sections = feed_forward.sections
    files = sorted(sections.glob("*.mp4"))
    assert files, f"no section videos in {sections}"
    for f in files:
        facts = video_facts(f)
        assert facts["seconds"] >= MIN_BEAT_SECONDS, f"{f.name} lasts {facts['seconds']:.2f} s"
        assert (facts["width"], facts["height"]) == (LOW_QUALITY["width"], LOW_QUALITY["height"])


def test_feed_forward_video_has_a_plausible_duration(feed_forward: RenderedScene) -> None:
    video = feed_forward.video
    assert video.is_file(), f"no video at {video}"
    facts = video_facts(video)
    assert (facts["width"], facts["height"]) == (LOW_QUALITY["width"], LOW_QUALITY["height"])
    assert facts["fps"] == pytest.approx(LOW_QUALITY["fps"], abs=0.05)
    assert MIN_SCENE_SECONDS <= facts["seconds"] <= MAX_SCENE_SECONDS, f"{video.name} lasts {facts['seconds']:.1f} s"
    # The sections are the video cut at the beats: together they last as long as it does.
    sections = sorted(feed_forward.sections.glob("*.mp4"))
    total = sum(video_facts(f)["seconds"] for f in sections)
    assert total == pytest.approx(facts["seconds"], abs=0.15 * len(sections) + 0.2)
