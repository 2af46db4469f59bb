"""The lesson's scenes construct: every scene of the catalog constructs with the shipped network and
marks its beats (tests/test_wheel.py renders FeedForward for real, with one section per beat,
from the installed wheel).

Every scene runs its ``construct`` in a process of its own with every animation skipped
(tests/scene_probe.py, forked from a server that imported manim and nnviz once): manim's
``--dry_run`` alone would still draw each frame with Cairo, a minute for some scenes, and prove
nothing more about the scene's code. Each process runs in a working
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
import selectors
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from nnviz.lesson import SCENES, find_scene
from nnviz.lesson.catalog import scene_classes_in

ROOT = Path(__file__).resolve().parents[1]
#: Runs a scene's construct with every animation skipped and prints its beats (see its docstring).
PROBE = Path(__file__).resolve().with_name("scene_probe.py")
#: A scene whose construct takes longer than this (seconds) counts as broken.
PROBE_TIMEOUT = 600


def scene_env() -> dict[str, str]:
    """The environment of a render: this one, without the lecturer's lesson settings."""
    env = {k: v for k, v in os.environ.items() if k not in ("NNVIZ_DIGIT", "NNVIZ_WEIGHTS", "NNVIZ_PALETTE")}
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


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


class ProbeServer:
    """tests/scene_probe.py as a fork server in ``workdir``: manim and nnviz imported once, a fresh
    child process per scene (see the script's docstring)."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.process = subprocess.Popen(
            [sys.executable, str(PROBE), "--serve"],
            cwd=workdir, env=scene_env(), stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        self.count = 0

    def run(self, path: Path, name: str, media_dir: Path) -> subprocess.CompletedProcess[str]:
        """Probe one scene; its output as a finished process's (stdout and stderr in one)."""
        assert self.process.stdin is not None and self.process.stdout is not None
        self.count += 1
        out = self.workdir / f"probe-{self.count}-{name}.out"
        request = {"path": str(path), "name": name, "media_dir": str(media_dir), "out": str(out)}
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        with selectors.DefaultSelector() as selector:
            selector.register(self.process.stdout, selectors.EVENT_READ)
            assert selector.select(PROBE_TIMEOUT), f"{name}: no answer from the probe in {PROBE_TIMEOUT} s"
        answer = self.process.stdout.readline()
        assert answer, f"the probe server ended (exit {self.process.wait()}) while probing {name}"
        output = out.read_text(encoding="utf-8", errors="replace") if out.exists() else ""
        return subprocess.CompletedProcess([str(PROBE), str(path), name], json.loads(answer)["status"], output, "")

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait(timeout=60)


@pytest.fixture(scope="session")
def probe_server(workdir: Path) -> Iterator[ProbeServer]:
    server = ProbeServer(workdir)
    yield server
    server.close()


def probe_scene(name: str, media_dir: Path, server: ProbeServer) -> Probe:
    """Run scene ``name``'s construct (every animation skipped) in a process of its own."""
    path = scene_file(name)
    result = server.run(path, name, media_dir)
    assert result.returncode == 0, f"{name} failed to construct (exit {result.returncode}):\n{explain(result)}"
    output = result.stdout + result.stderr
    assert "Traceback" not in output, explain(result)
    lines = [line for line in result.stdout.splitlines() if line.startswith("PROBE=")]
    assert lines, f"{name}: the probe printed nothing:\n{explain(result)}"
    facts = json.loads(lines[-1].removeprefix("PROBE="))
    return Probe(facts["plays"], facts["beats"], [(n, i) for n, i in facts["sections"]])


@pytest.mark.parametrize("name", [s.name for s in SCENES])
def test_scene_constructs_and_every_animation_lies_in_a_named_beat(
    name: str, media_dir: Path, probe_server: ProbeServer
) -> None:
    probe = probe_scene(name, media_dir, probe_server)
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
