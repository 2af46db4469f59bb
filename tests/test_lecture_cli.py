"""The lesson settings, and `nnviz scenes` / `nnviz render` end to end on tiny scenes of our own."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path
from types import ModuleType

import av
import numpy as np
import pytest
from PIL import Image

from nnviz.core.errors import NnvizError
from nnviz.lesson import DEFAULT_DIGIT, SCENES, lesson_settings
from nnviz.lesson.catalog import ENV_SCENES_DIR, find_scene

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    import os

    full_env = {**os.environ, **(env or {})}
    for name in ("NNVIZ_DIGIT", "NNVIZ_WEIGHTS", "NNVIZ_PALETTE"):
        if not env or name not in env:
            full_env.pop(name, None)
    return subprocess.run(
        [sys.executable, "-m", "nnviz", *args], capture_output=True, text=True, cwd=cwd, env=full_env, timeout=600
    )


def assert_clean_error(result: subprocess.CompletedProcess[str], *words: str) -> None:
    """Exit 2, exactly one line on stderr naming the problem, no traceback."""
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0], lines[0]


def printed_paths(stdout: str, cwd: Path) -> dict[str, Path]:
    """`nnviz render` prints "<Scene>  <path>" per scene; section files are indented."""
    paths = {}
    for line in stdout.splitlines():
        if line and not line[0].isspace():
            scene, path = line.split(maxsplit=1)
            paths[scene] = cwd / path
    return paths


def write_cfg(folder: Path, body: str) -> None:
    (folder / "manim.cfg").write_text(textwrap.dedent(body))


# ---------------------------------------------------------------- settings


def test_defaults_without_env_or_cfg(tmp_path: Path) -> None:
    s = lesson_settings(environ={}, cwd=tmp_path)
    assert (s.digit_index, s.digit_path, s.weights, s.palette) == (DEFAULT_DIGIT, None, None, "classic")
    assert set(s.sources.values()) == {"default"}


def test_the_default_digit_is_a_three_the_shipped_network_reads_correctly(tmp_path: Path) -> None:
    s = lesson_settings(environ={}, cwd=tmp_path)
    digit = s.digit()
    assert digit.pixels.shape == (28, 28)
    assert digit.pixels.min() >= 0 and digit.pixels.max() <= 1
    assert digit.label == 3
    assert s.network().predict(digit.pixels) == digit.label, (
        "the shipped network misreads DEFAULT_DIGIT; choose another index in nnviz/lesson/settings.py"
    )


def test_env_beats_cfg_beats_defaults(tmp_path: Path) -> None:
    write_cfg(
        tmp_path,
        """
        [CLI]
        quality = low_quality

        [nnviz]
        digit = 12
        palette = chapter1
    """,
    )
    from_cfg = lesson_settings(environ={}, cwd=tmp_path)
    assert (from_cfg.digit_index, from_cfg.palette) == (12, "chapter1")
    assert from_cfg.sources["digit"] == "manim.cfg [nnviz] digit"
    assert from_cfg.sources["weights"] == "default"

    env = {"NNVIZ_DIGIT": "7", "NNVIZ_PALETTE": "colorblind"}
    from_env = lesson_settings(environ=env, cwd=tmp_path)
    assert (from_env.digit_index, from_env.palette) == (7, "colorblind")
    assert from_env.sources["palette"] == "NNVIZ_PALETTE"

    # Each setting resolves on its own: the env sets the palette only, manim.cfg the digit.
    mixed = lesson_settings(environ={"NNVIZ_PALETTE": "classic"}, cwd=tmp_path)
    assert (mixed.digit_index, mixed.palette) == (12, "classic")

    # An empty variable counts as unset; command-line overrides beat everything.
    assert lesson_settings(environ={"NNVIZ_DIGIT": ""}, cwd=tmp_path).digit_index == 12
    assert lesson_settings({"digit": "3"}, environ=env, cwd=tmp_path).digit_index == 3


def test_weights_from_cfg_are_relative_to_it(tmp_path: Path) -> None:
    from nnviz.core.network import Network
    from nnviz.core.weights import save_network

    save_network(Network([784, 5, 10], seed=3), tmp_path / "mine.npz")
    write_cfg(tmp_path, "[nnviz]\nweights = mine.npz\n")
    s = lesson_settings(environ={}, cwd=tmp_path)
    assert s.weights == tmp_path / "mine.npz"
    assert s.network().sizes == [784, 5, 10]
    assert s.env()["NNVIZ_WEIGHTS"] == str((tmp_path / "mine.npz").resolve())


def test_digit_from_the_users_image(tmp_path: Path) -> None:
    ink = np.full((90, 60), 255, dtype=np.uint8)
    ink[15:75, 25:35] = 0  # a dark "1" on white paper
    Image.fromarray(ink).save(tmp_path / "one.png")
    s = lesson_settings(environ={"NNVIZ_DIGIT": "one.png"}, cwd=tmp_path)
    digit = s.digit()
    assert digit.label is None and digit.index is None
    assert digit.pixels.shape == (28, 28) and digit.pixels.max() == pytest.approx(1.0)
    assert "one.png" in digit.description


@pytest.mark.parametrize(
    ("environ", "cfg", "words"),
    [
        ({"NNVIZ_DIGIT": "1500"}, "", ["NNVIZ_DIGIT=1500", "0..1499"]),
        ({"NNVIZ_DIGIT": "-1"}, "", ["NNVIZ_DIGIT=-1", "no such test digit"]),
        ({}, "[nnviz]\ndigit = nowhere.png\n", ["manim.cfg [nnviz] digit=nowhere.png", "no such image file"]),
        ({"NNVIZ_PALETTE": "rainbow"}, "", ["NNVIZ_PALETTE=rainbow", "classic, chapter1, colorblind"]),
        ({}, "[nnviz]\npalette = sepia\n", ["manim.cfg [nnviz] palette=sepia", "unknown palette"]),
        ({"NNVIZ_WEIGHTS": "missing.npz"}, "", ["NNVIZ_WEIGHTS=missing.npz", "no such file"]),
        ({}, "[nnviz]\ndigits = 3\n", ["unknown key 'digits'"]),
        ({}, "[nnviz\n", ["manim.cfg", "cannot parse"]),
    ],
)
def test_bad_values_name_their_variable_or_key(
    tmp_path: Path, environ: dict[str, str], cfg: str, words: list[str]
) -> None:
    if cfg:
        write_cfg(tmp_path, cfg)
    with pytest.raises(NnvizError) as info:
        lesson_settings(environ=environ, cwd=tmp_path)
    message = str(info.value)
    assert "\n" not in message
    for word in words:
        assert word in message


def test_bad_weights_file_is_named_when_loaded(tmp_path: Path) -> None:
    (tmp_path / "junk.npz").write_bytes(b"not a zip")
    s = lesson_settings(environ={"NNVIZ_WEIGHTS": "junk.npz"}, cwd=tmp_path)
    with pytest.raises(NnvizError, match="NNVIZ_WEIGHTS"):
        s.check()


# ---------------------------------------------------------------- catalog and errors


def test_catalog_lists_every_scene_in_a_file_of_its_own() -> None:
    files = sorted(p.name for p in (ROOT / "scenes").glob("*.py") if p.name != "__init__.py")
    assert sorted(s.file for s in SCENES) == files  # every scene file once, and no other
    assert len({s.name for s in SCENES}) == len(SCENES) >= 15
    assert SCENES[0].name == "ThisIsAThree" and SCENES[-1].name == "ReLUvsSigmoid"
    assert find_scene("feed_forward") is find_scene("FEEDFORWARD")


def test_scenes_lists_the_lesson(tmp_path: Path) -> None:
    result = run("scenes", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [r["name"] for r in rows] == [s.name for s in SCENES]


def test_unknown_scene_is_one_line_listing_the_valid_names(tmp_path: Path) -> None:
    result = run("render", "NoSuchScene", cwd=tmp_path)
    assert_clean_error(result, "NoSuchScene", "FeedForward", "ReLUvsSigmoid")


def test_unknown_scene_in_a_file(tmp_path: Path, scenes_file: Path) -> None:
    result = run("render", "--file", str(scenes_file), "Nope", cwd=tmp_path)
    assert_clean_error(result, "Nope", "Box")


def test_scene_file_not_written_yet(tmp_path: Path) -> None:
    result = run("render", "Sigmoid", cwd=tmp_path, env={ENV_SCENES_DIR: str(tmp_path)})
    assert_clean_error(result, "Sigmoid", "sigmoid.py")


@pytest.mark.parametrize(
    ("args", "word"),
    [
        (["--all", "Sigmoid"], "not both"),
        (["Sigmoid", "--palette", "neon"], "--palette=neon"),
        (["Sigmoid", "--digit", "99999"], "--digit=99999"),
        (["--file", "scenes.py", "Box", "-s", "--sections"], "--sections"),
    ],
)
def test_bad_render_options(tmp_path: Path, scenes_file: Path, args: list[str], word: str) -> None:
    args = [str(scenes_file) if a == "scenes.py" else a for a in args]
    env = {ENV_SCENES_DIR: str(scenes_file.parent)}
    (scenes_file.parent / "sigmoid.py").write_text("")
    assert_clean_error(run("render", *args, cwd=tmp_path, env=env), word)


def test_render_weights_that_are_not_an_npz_archive(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# Lecture notes\n")
    (tmp_path / "sigmoid.py").write_text("")
    result = run("render", "Sigmoid", "--weights", "README.md", cwd=tmp_path, env={ENV_SCENES_DIR: str(tmp_path)})
    assert_clean_error(result, "--weights", "README.md: not a weights file", "expected an .npz archive")
    assert not (tmp_path / "media").exists()


def test_media_dir_that_is_a_file(tmp_path: Path, scenes_file: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a folder")
    result = run("render", "--file", str(scenes_file), "Box", "--media-dir", "notes.txt", cwd=tmp_path)
    assert_clean_error(result, "--media-dir notes.txt", "is a file")


def test_render_palettes_are_the_themes(tmp_path: Path) -> None:
    from nnviz.theme import PALETTES

    help_text = " ".join(run("render", "--help", cwd=tmp_path).stdout.split())
    assert ", ".join(PALETTES) in help_text


# ---------------------------------------------------------------- real renders (-ql)

SCENES_SOURCE = '''
import json, os, time
from pathlib import Path
from manim import BLUE, WHITE, Circle, Create, FadeIn, Scene, Square
from nnviz.lesson import LessonScene
from nnviz.theme import get_theme


class Box(Scene):
    def construct(self):
        self.play(Create(Square(color=BLUE)), run_time=0.4)


class Dot(Scene):
    def construct(self):
        self.play(FadeIn(Circle(radius=0.3, color=WHITE, fill_opacity=1)), run_time=0.4)


class Broken(Scene):
    def construct(self):
        self.play(Create(Circle()), run_time=0.2)
        raise ValueError("this scene is broken on purpose")


class Waiter(Scene):
    """Waits until its partner has started too: renders only if both run at the same time."""

    partner = ""

    def construct(self):
        folder = Path(os.environ["NNVIZ_TEST_MARKS"])
        (folder / type(self).__name__).touch()
        deadline = time.monotonic() + 60
        while not (folder / self.partner).exists():
            assert time.monotonic() < deadline, f"{self.partner} never started alongside"
            time.sleep(0.05)
        self.play(Create(Circle()), run_time=0.2)


class WaiterA(Waiter):
    partner = "WaiterB"


class WaiterB(Waiter):
    partner = "WaiterA"


class Settings(LessonScene):
    def construct(self):
        report = {
            "palette": self.settings.palette,
            "positive": get_theme().positive,
            "label": self.digit.label,
            "index": self.digit.index,
            "prediction": int(self.trace.prediction),
            "rng": float(self.rng.random()),
        }
        Path(os.environ["NNVIZ_TEST_MARKS"], "settings.json").write_text(json.dumps(report))
        self.play(FadeIn(Square()), run_time=0.2)
'''


@pytest.fixture
def scenes_file(tmp_path: Path) -> Path:
    folder = tmp_path / "src"
    folder.mkdir()
    path = folder / "scenes.py"
    path.write_text(SCENES_SOURCE)
    return path


def test_render_writes_a_real_video_and_prints_its_path(tmp_path: Path, scenes_file: Path) -> None:
    result = run("render", "--file", str(scenes_file), "Box", "-ql", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    paths = printed_paths(result.stdout, tmp_path)
    assert list(paths) == ["Box"]
    video = paths["Box"]
    assert video == tmp_path / "media" / "videos" / "scenes" / "480p15" / "Box.mp4"
    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        assert (stream.codec_context.width, stream.codec_context.height) == (854, 480)
        assert container.duration / 1e6 == pytest.approx(0.4, abs=0.15)


def test_two_jobs_render_at_the_same_time(tmp_path: Path, scenes_file: Path) -> None:
    marks = tmp_path / "marks"
    marks.mkdir()
    result = run(
        "render",
        "--file",
        str(scenes_file),
        "WaiterA",
        "WaiterB",
        "-ql",
        "--jobs",
        "2",
        "--media-dir",
        "out",
        cwd=tmp_path,
        env={"NNVIZ_TEST_MARKS": str(marks)},
    )
    assert result.returncode == 0, result.stderr
    paths = printed_paths(result.stdout, tmp_path)
    assert sorted(paths) == ["WaiterA", "WaiterB"]
    assert all(p.is_file() and p.is_relative_to(tmp_path / "out") for p in paths.values())


def test_gif_format(tmp_path: Path, scenes_file: Path) -> None:
    result = run("render", "--file", str(scenes_file), "Dot", "-ql", "--format", "gif", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    gif = printed_paths(result.stdout, tmp_path)["Dot"]
    assert gif.name == "Dot.gif" and gif.read_bytes()[:6] in (b"GIF87a", b"GIF89a")
    assert Image.open(gif).n_frames > 1


def test_still_is_the_last_frame_as_png(tmp_path: Path, scenes_file: Path) -> None:
    result = run("render", "--file", str(scenes_file), "Dot", "-ql", "-s", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    png = printed_paths(result.stdout, tmp_path)["Dot"]
    image = Image.open(png)
    assert png.suffix == ".png" and image.size == (854, 480)
    assert image.convert("L").getpixel((427, 240)) > 200  # the filled circle, fully faded in


def test_transparent_writes_mov_with_alpha(tmp_path: Path, scenes_file: Path) -> None:
    result = run("render", "--file", str(scenes_file), "Box", "-ql", "-t", "--format", "mp4", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "no alpha channel" in result.stderr and ".mov" in result.stderr
    mov = printed_paths(result.stdout, tmp_path)["Box"]
    assert mov.suffix == ".mov"
    with av.open(str(mov)) as container:
        stream = container.streams.video[0]
        assert stream.codec_context.pix_fmt in ("argb", "rgba", "bgra", "yuva444p", "yuva420p")
        frame = next(container.decode(stream)).to_ndarray(format="rgba")
    alpha = frame[..., 3]
    assert alpha.min() == 0  # the background really is transparent


def test_sections_are_listed_under_their_scene(tmp_path: Path, scenes_file: Path) -> None:
    source = scenes_file.read_text() + textwrap.dedent("""
        class TwoBeats(Scene):
            def construct(self):
                self.next_section("first")
                self.play(Create(Square()), run_time=0.2)
                self.next_section("second")
                self.play(Create(Circle()), run_time=0.2)
    """)
    scenes_file.write_text(source)
    result = run("render", "--file", str(scenes_file), "TwoBeats", "-ql", "--sections", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    sections = [tmp_path / line.strip() for line in result.stdout.splitlines() if line.startswith(" ")]
    assert [p.name for p in sections] == ["TwoBeats_0000_first.mp4", "TwoBeats_0001_second.mp4"]
    assert all(p.is_file() for p in sections)


def test_a_failing_scene_shows_its_error_and_the_others_finish(tmp_path: Path, scenes_file: Path) -> None:
    result = run("render", "--file", str(scenes_file), "Broken", "Dot", "-ql", "--jobs", "2", cwd=tmp_path)
    assert result.returncode == 1
    assert "this scene is broken on purpose" in result.stderr
    assert "Broken failed" in result.stderr
    paths = printed_paths(result.stdout, tmp_path)
    assert list(paths) == ["Dot"] and paths["Dot"].is_file()


def test_json_report_up_to_date_and_cache_reuse(tmp_path: Path, scenes_file: Path) -> None:
    args = ("render", "--file", str(scenes_file), "Box", "-ql", "--json")
    first = json.loads(run(*args, cwd=tmp_path).stdout)[0]
    assert first["ok"] and not first["up_to_date"] and first["cached_animations"] == 0
    assert 0 < first["peak_rss_bytes"] < 1.5 * 2**30
    # Nothing changed: manim is not even started.
    second = json.loads(run(*args, cwd=tmp_path).stdout)[0]
    assert second["ok"] and second["up_to_date"] and second["output"] == first["output"]
    # --force runs manim, which finds the animation in its own cache (no --disable_caching).
    forced = json.loads(run(*args, "--force", cwd=tmp_path).stdout)[0]
    assert forced["ok"] and not forced["up_to_date"] and forced["cached_animations"] == 1
    # A changed setting or scene file is a new render.
    palette = json.loads(run(*args, "--palette", "chapter1", cwd=tmp_path).stdout)[0]
    assert not palette["up_to_date"]
    scenes_file.write_text(scenes_file.read_text().replace("run_time=0.4", "run_time=0.5", 1))
    edited = json.loads(run(*args, "--palette", "chapter1", cwd=tmp_path).stdout)[0]
    assert not edited["up_to_date"] and edited["cached_animations"] == 0


def test_settings_reach_a_lesson_scene(tmp_path: Path, scenes_file: Path) -> None:
    marks = tmp_path / "marks"
    marks.mkdir()
    write_cfg(tmp_path, "[nnviz]\ndigit = 5\npalette = chapter1\n")
    result = run(
        "render",
        "--file",
        str(scenes_file),
        "Settings",
        "-ql",
        "--palette",
        "colorblind",
        cwd=tmp_path,
        env={"NNVIZ_TEST_MARKS": str(marks)},
    )
    assert result.returncode == 0, result.stderr
    report = json.loads((marks / "settings.json").read_text())
    from nnviz.core.datasets import load_dataset
    from nnviz.theme import CB_BLUE

    # --palette beats manim.cfg; the digit comes from manim.cfg.
    assert report["palette"] == "colorblind" and report["positive"] == CB_BLUE
    assert report["index"] == 5 and report["label"] == int(load_dataset(split="test").labels[5])
    assert report["rng"] == float(np.random.default_rng(0).random())  # seeded


def test_slides_without_manim_slides_is_one_line_saying_how_to_install(tmp_path: Path) -> None:
    # Hide manim-slides even where it is installed: the message must not depend on the venv.
    code = (
        "import sys; sys.modules['manim_slides'] = None; from nnviz.cli import main; "
        "sys.exit(main(['slides', 'Sigmoid', '--out', 'deck.html']))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert_clean_error(result, "nnviz slides", "manim-slides is not installed", "pip install -e '.[slides]'")
    assert not (tmp_path / "deck.html").exists()


# ---------------------------------------------------------------- tools/gallery.py

GALLERY_SCENE = """
from manim import Create, Dot, FadeIn, LaggedStart, RIGHT, VGroup, YELLOW
from nnviz.lesson import LessonScene


class {name}(LessonScene):
    def construct(self):
        self.beat("dots")
        dots = VGroup(*[Dot(radius=0.2).shift(i * RIGHT) for i in range(-3, 4)])
        self.play(LaggedStart(*[FadeIn(d) for d in dots], lag_ratio=0.3), run_time=1)
        self.play(dots.animate.set_color(YELLOW), run_time=0.4)
"""


def load_gallery() -> ModuleType:
    """tools/gallery.py as a module (tools/ is not a package)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("gallery", ROOT / "tools" / "gallery.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_gallery_renders_stills_a_gif_and_a_snippet(tmp_path: Path) -> None:
    scenes = tmp_path / "scenes"
    scenes.mkdir()
    (scenes / "feed_forward.py").write_text(GALLERY_SCENE.format(name="FeedForward"))
    (scenes / "bias.py").write_text(GALLERY_SCENE.format(name="Bias"))
    out = tmp_path / "gallery"
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "gallery.py"), "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=600,
        env={**__import__("os").environ, ENV_SCENES_DIR: str(scenes)},
    )
    assert result.returncode == 0, result.stderr
    assert "not written yet" in result.stderr and "Sigmoid" in result.stderr
    for name in ("FeedForward", "Bias"):
        assert Image.open(out / f"{name}.png").size == (854, 480)
    gif = Image.open(out / "FeedForward.gif")
    assert gif.size == (854, 480) and gif.n_frames > 5
    assert (out / "FeedForward.gif").stat().st_size <= 5e6
    md = (out / "gallery.md").read_text()
    # teaching order, numbered by the catalog, with the catalog's titles
    assert md.index("FeedForward.png") < md.index("Bias.png")
    number = [s.name for s in SCENES].index("Bias") + 1
    assert f"**{number}. Bias**: " + find_scene("Bias").title in md
    assert "FeedForward.gif" in md


def test_shrink_gif_thins_a_large_gif_below_the_limit(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    frames = [Image.fromarray(rng.integers(0, 255, (120, 160, 3), dtype=np.uint8)) for _ in range(12)]
    path = tmp_path / "noise.gif"
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=66, loop=0)
    before = path.stat().st_size
    size = load_gallery().shrink_gif(path, before // 3)
    assert size == path.stat().st_size <= before // 3
    with Image.open(path) as gif:
        assert gif.n_frames < 12


def test_parallel_scenes_full_of_formulas_do_not_break_each_others_latex(tmp_path: Path) -> None:
    # manim deletes every non-SVG file of its tex_dir after each formula; with one shared
    # tex_dir a parallel render failed on the other's half-made .dvi (3 runs out of 3).
    source = textwrap.dedent("""
        from manim import MathTex, Scene, VGroup

        class Formulas{k}(Scene):
            def construct(self):
                group = VGroup(*[MathTex(rf"{sym}_{{{{{{i}}}}}} = \\sigma(W a + b_{{{{{{i}}}}}})") for i in range(8)])
                self.add(group.arrange_in_grid(4).scale(0.5))
                self.wait(0.1)
    """)
    (tmp_path / "tex.py").write_text(source.format(k=1, sym="a") + source.format(k=2, sym="z"))
    result = run("render", "--file", "tex.py", "Formulas1", "Formulas2", "-ql", "-s", "--jobs", "2", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert sorted(printed_paths(result.stdout, tmp_path)) == ["Formulas1", "Formulas2"]


def test_the_folders_manim_cfg_still_applies(tmp_path: Path, scenes_file: Path) -> None:
    # Each job gets its own `-c` config (for its TeX cache); it must carry the folder's settings.
    write_cfg(
        tmp_path,
        """
        [CLI]
        background_color = #FFFFFF
        quality = low_quality
        media_dir = renders

        [nnviz]
        palette = chapter1
    """,
    )
    result = run("render", "--file", str(scenes_file), "Dot", "-s", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    png = printed_paths(result.stdout, tmp_path)["Dot"]
    assert png.is_relative_to(tmp_path / "renders")  # media_dir and quality from manim.cfg
    image = Image.open(png).convert("RGB")
    assert image.size == (854, 480) and image.getpixel((5, 5)) == (255, 255, 255)
