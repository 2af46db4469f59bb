"""`nnviz slides` on manim 0.22: the manim-slides 5.7 bridge (one test per break), and a two-beat
scene becoming a two-slide offline deck with the beats' notes.

The deck in a real browser, and the one-file deck: tests/test_deck_browser.py.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
from conftest import TWO_BEATS_SCENE as SCENE
from manim import config, tempconfig

from nnviz.lesson.deck import REVEAL_FILES, REVEAL_VERSION, remote_references, vendored_revealjs
from nnviz.lesson.slides_compat import MANIM_SLIDES_VERSION, SlidesConfig

ROOT = Path(__file__).resolve().parents[1]


def nnviz(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NNVIZ_")}
    return subprocess.run(
        [sys.executable, "-m", "nnviz", *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=600
    )


def run_python(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """In a process of its own: importing manim_slides here would leak into other tests."""
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd, timeout=300)


# ---------------------------------------------------------------- one environment


def test_the_pinned_manim_slides_is_installed_next_to_manim_0_22() -> None:
    # Not a skip: the slides extra installs with the dev extra, so a missing one is a broken set-up.
    assert version("manim-slides") == MANIM_SLIDES_VERSION, "pip install -e '.[dev,slides]'"
    assert tuple(int(p) for p in version("manim").split(".")[:2]) >= (0, 22)
    assert f'"manim-slides=={MANIM_SLIDES_VERSION}"' in (ROOT / "pyproject.toml").read_text()  # the slides extra


# ---------------------------------------------------------------- the bridge: one test per break


def test_break_1_write_to_movie_is_gone_and_setting_it_is_a_no_op() -> None:
    with pytest.raises(AttributeError):  # what manim-slides' Slide.__init__ trips on
        config["write_to_movie"] = True
    view = SlidesConfig(config)
    view["write_to_movie"] = True
    assert "write_to_movie" not in config


def test_break_2_max_files_cached_infinity_becomes_minus_one() -> None:
    with tempconfig({}):
        with pytest.raises(ValueError, match="max_files_cached"):  # Slide.render's float("inf")
            config["max_files_cached"] = float("inf")
        view = SlidesConfig(config)
        saved = view["max_files_cached"]
        view["max_files_cached"] = float("inf")
        assert config.max_files_cached == -1  # manim 0.22's "no limit"
        view["max_files_cached"] = saved  # what Slide.render does afterwards
        assert config.max_files_cached == saved


def test_break_3_flush_cache_is_gone_and_reads_false() -> None:
    with pytest.raises(AttributeError):  # Slide.render reads it
        config["flush_cache"]
    view = SlidesConfig(config)
    assert view["flush_cache"] is False
    assert view["pixel_width"] == config["pixel_width"] and view.frame_rate == config.frame_rate


def test_install_bridges_manim_slides_without_a_gui_toolkit(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "for name in ('PySide6', 'PyQt6', 'PyQt5', 'PySide2'): sys.modules[name] = None\n"
        "from pathlib import Path\n"
        "import manim_slides.convert, manim_slides.present\n"
        "import manim_slides.slide.manim as m\n"
        "from manim import config\n"
        "from nnviz.lesson.slides_compat import SlidesConfig, install, is_installed\n"
        "try:\n"
        "    m.Slide(output_folder=Path('slides'))\n"
        "except AttributeError as e:\n"
        "    print('upstream:', e)\n"
        "install(); install()\n"
        "assert is_installed() and isinstance(m.config, SlidesConfig) and m.config.wrapped is config\n"
        "m.Slide(output_folder=Path('slides'))\n"
        "print('bridged: ok')\n"
        "gui = ('PySide', 'PyQt', 'qtpy')\n"
        "print('GUI:', sorted(m for m, mod in sys.modules.items() if mod and m.startswith(gui)))\n"
    )
    result = run_python(code, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "upstream:" in result.stdout and "write_to_movie" in result.stdout  # the break is real
    assert "bridged: ok" in result.stdout
    assert "GUI: []" in result.stdout  # converting and rendering slides import no Qt


# ---------------------------------------------------------------- the vendored reveal.js


def test_vendored_revealjs_is_pinned_with_its_licence() -> None:
    readme = vendored_revealjs("README.md").read_text(encoding="utf-8")
    assert f"reveal.js {REVEAL_VERSION}" in readme and "SHA-256" in readme
    assert "MIT" in vendored_revealjs("LICENSE").read_text(encoding="utf-8")
    for name in REVEAL_FILES:
        assert vendored_revealjs(name).is_file(), name
    assert "Reveal" in vendored_revealjs("dist/reveal.js").read_text(encoding="utf-8")[:2000]


# ---------------------------------------------------------------- nnviz slides, end to end


def test_two_beats_make_a_two_slide_offline_deck_with_notes(tmp_path: Path) -> None:
    from bs4 import BeautifulSoup

    (tmp_path / "deck.py").write_text(SCENE)
    (tmp_path / "out").mkdir()
    result = nnviz("slides", "--file", "deck.py", "TwoBeats", "-ql", "--out", "out/deck.html", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "out/deck.html: 2 slides from 1 scene" in result.stdout
    deck = tmp_path / "out" / "deck.html"
    html = deck.read_text(encoding="utf-8")

    soup = BeautifulSoup(html, "html.parser")
    slides = soup.select("section[data-background-video]")
    assert len(slides) == 2
    notes = [s.select_one("aside.notes").get_text() for s in slides]  # type: ignore[union-attr]
    assert notes == ["A neuron holds a number: its activation.", "Now the square & the next beat."]
    for slide in slides:  # each slide's video was copied next to the deck
        video = deck.parent / str(slide["data-background-video"])
        assert video.is_file() and video.stat().st_size > 0

    # Offline: every script and style is the vendored copy beside the deck, none from a CDN.
    assert remote_references(html) == []
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html)
    loaded = [str(t.get("src") or t.get("href")) for t in soup.select("script[src], link[href]")]
    assert len(loaded) == 6
    for ref in loaded:
        assert ref.startswith("deck_assets/revealjs/dist/"), ref
        vendored = vendored_revealjs(ref.removeprefix("deck_assets/revealjs/"))
        assert (deck.parent / ref).read_bytes() == vendored.read_bytes()
    assert (deck.parent / "deck_assets" / "revealjs" / "LICENSE").is_file()
    # Built in a temporary folder beside the deck and moved into place: nothing else left there.
    assert sorted(p.name for p in deck.parent.iterdir()) == ["deck.html", "deck_assets"]


@pytest.mark.parametrize(
    ("out", "words"),
    [
        ("missing/deck.html", ["missing", "does not exist"]),
        ("deck.pdf", ["HTML file"]),
        (".", ["is a directory"]),
    ],
)
def test_a_deck_path_that_cannot_be_written_is_one_line_exit_2_nothing_written(
    tmp_path: Path, out: str, words: list[str]
) -> None:
    (tmp_path / "deck.py").write_text(SCENE)
    result = nnviz("slides", "--file", "deck.py", "TwoBeats", "--out", out, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    assert lines[0].startswith("nnviz slides: ")
    for word in words:
        assert word in lines[0], lines[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deck.py"]
