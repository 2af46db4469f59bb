"""nnviz as users get it: a wheel built from the repository, installed into a fresh virtual
environment, run from an empty folder that is not the repository.

The wheel must carry the shipped data and the lesson's scenes (package data read with
importlib.resources), and every output must land under the user's folder, never in
site-packages. The slides extra comes along: a deck of the user's own scene is built from the
wheel's reveal.js. FeedForward is rendered for real, with one section per beat: the suite's one
real render of a lesson scene (tests/test_scenes.py constructs every scene, from the repository;
``render --all`` from the wheel, about 100 s of CPU more, is not repeated here). Building and
installing take about 10 s on a quiet machine (pip takes the dependencies from this machine's
indexes and caches); rendering FeedForward at 480p15 about 10 s more.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from nnviz.lesson.deck import remote_references
from tests.conftest import TWO_BEATS_SCENE

ROOT = Path(__file__).resolve().parents[1]
#: What the wheel is built from: the project's metadata and the three folders it ships.
SOURCES = ("pyproject.toml", "README.md", "LICENSE", "nnviz", "assets", "scenes")
#: The repository's folders and where they go in the wheel (pyproject's package-dir).
SHIPPED = {"nnviz": "nnviz", "assets": "nnviz/assets", "scenes": "nnviz/scenes"}

#: Shortest a beat of the lesson may last (seconds); it aims at 2-6 s per beat.
MIN_BEAT_SECONDS = 1.5
#: A plausible length for a whole scene (seconds); the lesson aims at about 15-45 s.
MIN_SCENE_SECONDS, MAX_SCENE_SECONDS = 8.0, 90.0
#: manim's -ql: 854x480 at 15 frames per second.
LOW_QUALITY = {"width": 854, "height": 480, "fps": 15}

USER_SCENE = """\
from manim import LEFT, RIGHT, Scene

from nnviz import NetworkDiagram, PixelGrid, load_dataset, load_network, propagate


class MyForward(Scene):
    def construct(self):
        network = load_network()
        digits = load_dataset(split="test")
        grid = PixelGrid(digits.images[0], individual=False).to_edge(LEFT)
        diagram = NetworkDiagram(network).scale(0.8).to_edge(RIGHT)
        self.add(grid, diagram)
        self.play(propagate(diagram, network.forward(digits.inputs()[0])))
"""


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


def _ignored(path: Path) -> bool:
    return "__pycache__" in path.parts or path.suffix == ".pyc"


def repository_files() -> set[str]:
    """The files of the shipped folders, as the wheel should name them."""
    files = set()
    for folder, target in SHIPPED.items():
        for path in (ROOT / folder).rglob("*"):
            relative = path.relative_to(ROOT / folder)
            if path.is_file() and not _ignored(relative):
                files.add(f"{target}/{relative.as_posix()}")
    return files


def tree_state(folder: Path) -> dict[str, tuple[int, int]]:
    """Size and modification time of every file under ``folder``, bytecode caches aside."""
    return {
        str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file() and not _ignored(p.relative_to(folder))
    }


def user_environment(venv: Path) -> dict[str, str]:
    """A shell's environment with the venv activated and nothing of the development set-up."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NNVIZ_", "PYTHON", "VIRTUAL_ENV"))}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["VIRTUAL_ENV"] = str(venv)
    return env


def assert_real_render_with_sections(video: Path, beats: list[str]) -> None:
    """A scene rendered for real at -ql with one section per beat of ``beats``, each named after it."""
    facts = video_facts(video)
    assert (facts["width"], facts["height"]) == (LOW_QUALITY["width"], LOW_QUALITY["height"])
    assert facts["fps"] == pytest.approx(LOW_QUALITY["fps"], abs=0.05)
    assert MIN_SCENE_SECONDS <= facts["seconds"] <= MAX_SCENE_SECONDS, f"{video.name} lasts {facts['seconds']:.1f} s"
    sections = video.parent / "sections"
    assert [s["name"] for s in json.loads((sections / f"{video.stem}.json").read_text())] == beats
    assert len(beats) >= 2 and all(re.fullmatch(r"[a-z][a-z0-9_]*", b) for b in beats), beats
    expected = [f"{video.stem}_{i:04}_{beat}.mp4" for i, beat in enumerate(beats)]
    assert sorted(p.name for p in sections.glob("*.mp4")) == expected
    lengths = [video_facts(sections / name)["seconds"] for name in expected]
    assert min(lengths) >= MIN_BEAT_SECONDS, dict(zip(beats, lengths))
    # The sections are the video cut at the beats: together they last as long as it does.
    assert sum(lengths) == pytest.approx(facts["seconds"], abs=0.15 * len(lengths) + 0.2)


def test_every_package_folder_is_in_the_wheel_list() -> None:
    """pyproject lists the packages by hand (find cannot map assets/ and scenes/): none missing."""
    tomllib = pytest.importorskip("tomllib") if sys.version_info >= (3, 11) else pytest.importorskip("tomli")
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    listed = set(setuptools["packages"])
    mapped = setuptools.get("package-dir", {})
    folders = {p.parent for p in (ROOT / "nnviz").rglob("*.py") if "__pycache__" not in p.parts}
    expected = {".".join(f.relative_to(ROOT).parts) for f in folders}
    expected |= set(mapped)
    assert sorted(expected - listed) == [], "add these packages to [tool.setuptools] packages in pyproject.toml"
    for package in listed:
        folder = ROOT / mapped.get(package, package.replace(".", "/"))
        assert (folder / "__init__.py").is_file(), f"{package}: {folder} needs an __init__.py"


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path, dict[str, float]]]:
    """(the wheel, a fresh venv with it and its slides extra installed, seconds per step); removed afterwards."""
    base = tmp_path_factory.mktemp("wheel")
    times: dict[str, float] = {}
    source = base / "src"
    source.mkdir()
    for name in SOURCES:  # a copy: building in the repository would write build/ and egg-info there
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(ROOT / name, source / name)
    start = time.perf_counter()
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(base / "dist"), str(source)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    [wheel] = (base / "dist").glob("nnviz-*.whl")
    times["build"] = time.perf_counter() - start
    start = time.perf_counter()
    venv = base / "venv"
    # Without a pip of its own (bootstrapping one costs 3 s): this pip installs into it (--python).
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=300)
    # --no-compile: byte-compiling every dependency (manim, scipy, ...) would double the install's
    # time; the commands below compile what they import, and tree_state ignores bytecode anyway.
    pip = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "-q",
         "--disable-pip-version-check", "--no-compile", f"{wheel}[slides]"],
        capture_output=True, text=True, timeout=900, env=user_environment(venv),
    )  # fmt: skip
    assert pip.returncode == 0, pip.stdout[-3000:] + pip.stderr[-3000:]
    times["venv and install"] = time.perf_counter() - start
    yield wheel, venv, times
    # Removing ~30,000 files takes half a minute on a busy machine: not the suite's time.
    subprocess.Popen(["rm", "-rf", str(base)], start_new_session=True)


@pytest.mark.costly
def test_installed_wheel_works_from_any_folder(installed: tuple[Path, Path, dict[str, float]], tmp_path: Path) -> None:
    wheel, venv, times = installed
    with zipfile.ZipFile(wheel) as archive:
        in_wheel = {n for n in archive.namelist() if not n.startswith("nnviz-")}
    assert sorted(repository_files() - in_wheel) == [], "files the wheel lacks: list them as package data"

    user = tmp_path / "lecture"  # an empty folder of the user's, far from the repository
    user.mkdir()
    env = user_environment(venv)
    site_packages = next((venv / "lib").glob("python3*/site-packages"))
    before = tree_state(venv)

    def run(*command: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        start = time.perf_counter()
        result = subprocess.run(
            [str(venv / "bin" / command[0]), *command[1:]],
            cwd=user, env=env, capture_output=True, text=True, timeout=timeout,
        )  # fmt: skip
        times[" ".join(command[:3])] = time.perf_counter() - start
        assert result.returncode == 0, f"{' '.join(command)}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        return result

    info = json.loads(run("nnviz", "info", "--json").stdout)
    assert info["sizes"] == [784, 16, 16, 10] and info["accuracy"] > 0.9
    assert Path(info["weights"]).is_relative_to(site_packages / "nnviz" / "assets")

    from nnviz import load_dataset, load_network, preprocess

    digits = load_dataset(split="test")
    Image.fromarray(255 - digits.images[0]).resize((112, 112)).save(user / "digit.png")  # ink on paper
    [prediction] = json.loads(run("nnviz", "predict", "digit.png", "--json").stdout)
    expected = load_network().forward(preprocess(user / "digit.png")).output
    assert prediction["digit"] == int(np.argmax(expected))
    np.testing.assert_allclose(prediction["activations"], expected, rtol=1e-12)

    run("nnviz", "grids", "--out", "g")
    assert len(list((user / "g").glob("layer1_neuron*.png"))) == 16

    run("nnviz", "page", "--out", "page")
    assert {"index.html", "data.js", "samples.js"} <= {p.name for p in (user / "page").iterdir()}
    assert len(list((user / "page" / "js").glob("*.js"))) >= 7

    scenes = json.loads(run("nnviz", "scenes", "--json").stdout)
    shipped = sorted(p.name for p in (ROOT / "scenes").glob("*.py") if p.name != "__init__.py")
    assert sorted(Path(s["file"]).name for s in scenes) == shipped and all(s["written"] for s in scenes)
    assert all(Path(s["file"]).is_relative_to(site_packages / "nnviz" / "scenes") for s in scenes)
    assert "not written yet" not in run("nnviz", "scenes").stdout

    [report] = json.loads(run("nnviz", "render", "FeedForward", "-q", "l", "--sections", "--json", timeout=600).stdout)
    video = Path(report["output"])
    video = video if video.is_absolute() else user / video
    assert report["ok"] and video.is_file() and video.resolve().is_relative_to(user.resolve())
    assert list((user / "media" / "nnviz" / "stamps").glob("feed_forward.FeedForward-*.json"))
    # The beats the scene marks, from its construct (tests/scene_probe.py, run by the wheel's Python).
    installed_scene = site_packages / "nnviz" / "scenes" / "feed_forward.py"
    probe = run("python", str(ROOT / "tests" / "scene_probe.py"), str(installed_scene), "FeedForward", "probe-media")
    beats = json.loads(probe.stdout.strip().splitlines()[-1].removeprefix("PROBE="))["beats"]
    assert_real_render_with_sections(video, beats)

    (user / "my_scene.py").write_text(USER_SCENE, encoding="utf-8")
    # --silent: manim would ask PyPI for a newer version after the render.
    run("manim", "render", "-ql", "-s", "--silent", "my_scene.py", "MyForward")
    assert list((user / "media" / "images" / "my_scene").glob("MyForward*.png"))
    assert list((user / "media" / "Tex").glob("*.svg"))  # manim's TeX cache: the user's folder too

    # A deck of the user's own scene, in a media folder of the user's choosing; reveal.js from the wheel.
    (user / "two_beats.py").write_text(TWO_BEATS_SCENE, encoding="utf-8")
    run("nnviz", "slides", "--file", "two_beats.py", "TwoBeats", "-q", "l", "--media-dir", "m2", "--out", "deck.html")
    deck = (user / "deck.html").read_text(encoding="utf-8")
    assert deck.count("data-background-video=") == 2 and remote_references(deck) == []
    assert (user / "deck_assets" / "revealjs" / "dist" / "reveal.js").is_file()
    assert list((user / "m2").rglob("TwoBeats*.mp4")) and not (user / "media" / "videos" / "two_beats").exists()

    after = tree_state(venv)
    changed = sorted(k for k in after.keys() | before.keys() if after.get(k) != before.get(k))
    assert changed == [], "written into the virtual environment"
    print("\nwheel test steps (s): " + ", ".join(f"{k} {v:.1f}" for k, v in times.items()))
