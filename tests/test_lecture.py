"""`nnviz lecture`: the scenes joined into one MP4 with a chapter per scene, and captions from the
beat notes; `nnviz render --captions`. Issue 7.

The end-to-end tests render two tiny BeatScenes at -ql from a temporary scenes folder
(``NNVIZ_SCENES_DIR``) whose files and class names are the catalog's, so the chapters carry
the catalog's titles; the lecture is made once per module and looked at by several tests.
The joining and caption writing are also tested on their own, without manim.
"""

from __future__ import annotations

import fcntl
import html
import json
import os
import re
import subprocess
import sys
import textwrap
from fractions import Fraction
from pathlib import Path

import pytest
import webvtt

from nnviz.lesson.captions import BeatSection, Cue, scene_cues, to_srt, to_vtt
from nnviz.lesson.catalog import find_scene
from nnviz.lesson.join import join_videos, probe

# Beats of every kind: animations before the first beat (manim's "autocreated" section: no
# cue), notes computed at run time, a beat with no animation of its own (an empty section,
# which manim drops: no cue), a section started without a beat (no cue), notes with markup.
SIGMOID = textwrap.dedent(
    """
    from manim import Circle, Create, FadeOut, Square, Transform
    from nnviz.visual.beats import BeatScene


    class Sigmoid(BeatScene):
        def construct(self):
            circle = Circle()
            self.play(Create(circle), run_time=0.4)
            self.beat("curve", notes=f"The sigmoid squishes\\n   {2 + 3} sums into (0, 1).")
            self.play(Transform(circle, Square()), run_time=0.6)
            self.beat("skipped", notes="Never on screen: this beat has no animation.")
            self.beat("fade", notes="Weights & biases: w < 0 means <i>inhibit</i> --> dark.")
            self.play(FadeOut(circle), run_time=0.5)
            self.next_section("no_beat")
            self.wait(0.3)
    """
)
BIAS = textwrap.dedent(
    """
    from manim import Create, Square
    from nnviz.visual.beats import BeatScene


    class Bias(BeatScene):
        def construct(self):
            self.beat("threshold", notes="The bias sets how high the sum must be.")
            self.play(Create(Square()), run_time=0.7)
            self.beat("hold", notes="A second beat, held.", pause=0.2)
            self.wait(0.4)
    """
)
# The cues the two scenes must give, in order: (scene, beat, text).
EXPECTED_CUES = [
    ("Sigmoid", "curve", "The sigmoid squishes 5 sums into (0, 1)."),
    ("Sigmoid", "fade", "Weights & biases: w < 0 means <i>inhibit</i> --> dark."),
    ("Bias", "threshold", "The bias sets how high the sum must be."),
    ("Bias", "hold", "A second beat, held."),
]
FAILING = textwrap.dedent(
    """
    from manim import Create, Square
    from nnviz.visual.beats import BeatScene


    class Good(BeatScene):
        def construct(self):
            self.beat("square", notes="Fine.")
            self.play(Create(Square()), run_time=0.3)


    class Broken(BeatScene):
        def construct(self):
            self.beat("oops", notes="Never rendered.")
            raise ValueError("the weights are gone")
    """
)
SRT_TIME = r"(\d{2}):(\d{2}):(\d{2}),(\d{3})"


def nnviz(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("NNVIZ_")}
    return subprocess.run(
        [sys.executable, "-m", "nnviz", *args],
        capture_output=True, text=True, cwd=cwd, env={**base, **(env or {})}, timeout=600,
    )  # fmt: skip


def ffprobe(*args: str) -> dict:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-of", "json", *args], capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out)


def duration(path: Path) -> float:
    return float(ffprobe("-show_entries", "format=duration", str(path))["format"]["duration"])


def srt_blocks(text: str) -> list[tuple[int, float, float, str]]:
    """A strict SRT reader: numbered blocks from 1, `HH:MM:SS,mmm --> HH:MM:SS,mmm`, non-empty text."""
    assert text.endswith("\n") and "\r" not in text
    blocks = []
    for n, block in enumerate(text.strip("\n").split("\n\n"), 1):
        lines = block.split("\n")
        assert lines[0] == str(n), block
        m = re.fullmatch(f"{SRT_TIME} --> {SRT_TIME}", lines[1])
        assert m, lines[1]
        h1, m1, s1, ms1, h2, m2, s2, ms2 = (int(g) for g in m.groups())
        start, end = h1 * 3600 + m1 * 60 + s1 + ms1 / 1000, h2 * 3600 + m2 * 60 + s2 + ms2 / 1000
        text_lines = lines[2:]
        assert text_lines and all(line.strip() for line in text_lines), block
        blocks.append((n, start, end, " ".join(text_lines)))
    return blocks


# ---------------------------------------------------------------- the lecture, made once


@pytest.fixture(scope="module")
def lecture(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The lecture of the two tiny scenes, made once per test run (xdist workers share it, under a
    lock), then made again (its renders reused) and one scene rendered with --captions."""
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    base = tmp_path_factory.getbasetemp()
    root = base.parent / f"lecture-{run}" if run else base / "lecture"
    root.mkdir(exist_ok=True)
    scenes, out = root / "scenes", root / "out/lesson.mp4"
    env = {"NNVIZ_SCENES_DIR": str(scenes)}
    videos = [root / "media/videos/sigmoid/480p15/Sigmoid.mp4", root / "media/videos/bias/480p15/Bias.mp4"]
    args = ["lecture", "Sigmoid", "Bias", "--out", "out/lesson.mp4", "-q", "l", "--jobs", "2"]
    with open(root / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        record = root / "runs.json"
        if not record.exists():
            scenes.mkdir()
            (scenes / "sigmoid.py").write_text(SIGMOID)
            (scenes / "bias.py").write_text(BIAS)
            out.parent.mkdir()
            first = nnviz(args, root, env)
            assert first.returncode == 0, first.stderr
            facts = {
                "first": [first.stdout, first.stderr],
                "duration": duration(out),
                "files": sorted(p.name for p in out.parent.iterdir()),
                "vtt": out.with_suffix(".vtt").read_text(),
            }
            mtime = out.stat().st_mtime_ns
            again = nnviz(args, root, env)
            facts["again"] = [again.returncode, again.stderr, out.stat().st_mtime_ns > mtime]
            captions = nnviz(["render", "Bias", "--captions", "-q", "l"], root, env)
            facts["captions"] = [captions.returncode, captions.stdout, captions.stderr]
            record.write_text(json.dumps(facts))
    facts = json.loads(record.read_text())
    return {"root": root, "out": out, "videos": videos, **facts}


def seconds(timestamp: str) -> float:
    """A WebVTT time in seconds (webvtt-py's own seconds are whole: no milliseconds)."""
    hours, minutes, rest = timestamp.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(rest)


def read_vtt(text: str, tmp_path: Path) -> list:
    path = tmp_path / "captions.vtt"
    path.write_text(text)
    return list(webvtt.read(str(path)))


TRACK_PAGE = """<!doctype html>
<video src="lesson.mp4" muted preload="auto"><track kind="captions" src="lesson.vtt" srclang="en" default></video>
"""


class TestOneLecture:
    """Tests of one lecture made once (``lecture``): a class runs on one pytest-xdist worker."""

    def test_the_summary_is_one_line_naming_the_files(self, lecture: dict) -> None:
        stdout, stderr = lecture["first"]
        assert stdout.splitlines() == [
            f"out/lesson.mp4: 2 chapters, 0:0{round(lecture['duration'])} (packets copied, no re-encoding); "
            "captions lesson.vtt and lesson.srt: 4 cues"
        ]
        assert "[2/2]" in stderr  # the renders' progress, as `nnviz render` shows it
        assert lecture["files"] == ["lesson.mp4", "lesson.srt", "lesson.vtt"]

    def test_the_lecture_lasts_as_long_as_its_scenes(self, lecture: dict) -> None:
        scenes = [duration(v) for v in lecture["videos"]]
        assert lecture["duration"] == pytest.approx(sum(scenes), abs=0.1)
        streams = ffprobe("-show_streams", str(lecture["out"]))["streams"]
        video = [s for s in streams if s["codec_type"] == "video"]
        assert len(video) == 1 and video[0]["codec_name"] == "h264"
        assert (video[0]["width"], video[0]["height"]) == (854, 480)
        frames = sum(int(ffprobe("-show_streams", str(v))["streams"][0]["nb_frames"]) for v in lecture["videos"])
        assert int(video[0]["nb_frames"]) == frames

    def test_one_chapter_per_scene_titled_from_the_catalog(self, lecture: dict) -> None:
        chapters = ffprobe("-show_chapters", str(lecture["out"]))["chapters"]
        assert [c["tags"]["title"] for c in chapters] == [find_scene("Sigmoid").title, find_scene("Bias").title]
        first = duration(lecture["videos"][0])
        assert float(chapters[0]["start_time"]) == 0
        assert float(chapters[1]["start_time"]) == pytest.approx(first, abs=0.01)
        assert float(chapters[1]["end_time"]) == pytest.approx(lecture["duration"], abs=0.01)

    def test_one_cue_per_beat_in_order_inside_its_scene(self, lecture: dict, tmp_path: Path) -> None:
        vtt = read_vtt(lecture["vtt"], tmp_path)
        assert [(c.identifier.split(" ", 1)[1], html.unescape(c.text.replace("\n", " "))) for c in vtt] == [
            (f"{scene}/{beat}", text) for scene, beat, text in EXPECTED_CUES
        ]
        starts, ends = [seconds(c.start) for c in vtt], [seconds(c.end) for c in vtt]
        assert starts == sorted(starts) and all(s < e for s, e in zip(starts, ends))
        assert all(e <= s2 for e, s2 in zip(ends, starts[1:]))  # no overlap
        split = duration(lecture["videos"][0])
        # Sigmoid: a 0.4 s animation before the first beat; its cues end before its last section.
        assert starts[0] == pytest.approx(0.4, abs=0.07) and ends[1] < split - 0.2
        # Bias: its first cue starts with the scene; its second after the first beat's pause.
        assert starts[2] == pytest.approx(split, abs=0.002)
        assert starts[3] == pytest.approx(split + 0.7 + 0.2, abs=0.07)
        assert ends[3] == pytest.approx(lecture["duration"], abs=0.002)

    def test_the_vtt_escapes_markup_and_the_srt_is_well_formed(self, lecture: dict, tmp_path: Path) -> None:
        raw = lecture["vtt"]
        assert raw.startswith("WEBVTT\n\n") and "w &lt; 0 means &lt;i&gt;inhibit&lt;/i&gt; --&gt; dark" in raw
        srt = srt_blocks(lecture["out"].with_suffix(".srt").read_text())
        assert [text for *_, text in srt] == [text for *_, text in EXPECTED_CUES]
        for (_, start, end, _), cue in zip(srt, read_vtt(raw, tmp_path)):
            assert (start, end) == (seconds(cue.start), seconds(cue.end))

    def test_a_second_run_reuses_the_renders(self, lecture: dict) -> None:
        returncode, stderr, rewritten = lecture["again"]
        assert returncode == 0, stderr
        assert stderr.count("up to date") == 2 and rewritten, stderr

    def test_render_captions_writes_a_vtt_beside_the_scene(self, lecture: dict) -> None:
        returncode, stdout, stderr = lecture["captions"]
        assert returncode == 0, stderr
        assert "up to date" in stderr  # the lecture's render of the scene, reused
        assert "media/videos/bias/480p15/Bias.vtt" in stdout.split()
        cues = list(webvtt.read(str(lecture["videos"][1].with_suffix(".vtt"))))
        assert [c.text for c in cues] == [text for scene, _, text in EXPECTED_CUES if scene == "Bias"]
        assert seconds(cues[0].start) == 0
        assert seconds(cues[-1].end) == pytest.approx(duration(lecture["videos"][1]), abs=0.002)

    @pytest.mark.browser
    def test_chromium_loads_the_cues_of_the_track(self, lecture: dict, tmp_path: Path) -> None:
        """A <video> with the VTT as its <track>, in Debian's headless Chromium, has the cues and the length."""
        webdriver = pytest.importorskip("selenium.webdriver", reason="Selenium comes with pip install -e '.[dev]'")
        from selenium.webdriver.chrome.service import Service
        from selenium.webdriver.support.ui import WebDriverWait

        chromium, chromedriver = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
        if not (chromium.is_file() and chromedriver.is_file()):
            pytest.skip("needs Debian's browser: apt-get install chromium chromium-driver")
        page = lecture["out"].parent / "track.html"
        page.write_text(TRACK_PAGE)
        options = webdriver.ChromeOptions()
        options.binary_location = str(chromium)
        for argument in (
            "--no-sandbox", "--headless=new", "--disable-gpu", "--no-first-run", f"--user-data-dir={tmp_path}",
            "--allow-file-access-from-files",  # a file:// page may load a file:// <track>
            "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=127.0.0.1:9",
        ):  # fmt: skip
            options.add_argument(argument)
        driver = webdriver.Chrome(service=Service(str(chromedriver)), options=options)
        try:
            driver.get(page.as_uri())
            script = (
                "const v = document.querySelector('video'), t = v.textTracks[0];"
                "return t && t.cues && t.cues.length && v.readyState >= 1"
                " ? [v.duration, Array.from(t.cues, c => [c.id, c.startTime, c.endTime, c.text])] : null;"
            )
            length, cues = WebDriverWait(driver, 30).until(lambda d: d.execute_script(script), message="the cues")
        finally:
            driver.quit()
        assert length == pytest.approx(lecture["duration"], abs=0.1)
        assert [(cue_id.split(" ", 1)[1], html.unescape(text.replace("\n", " "))) for cue_id, _, _, text in cues] == [
            (f"{scene}/{beat}", text) for scene, beat, text in EXPECTED_CUES
        ]
        assert all(0 <= start < end <= length + 0.01 for _, start, end, _ in cues)


# ---------------------------------------------------------------- bad input


def test_a_failing_scene_is_named_with_its_error_and_nothing_is_written(tmp_path: Path) -> None:
    (tmp_path / "mine.py").write_text(FAILING)
    out = tmp_path / "out"
    out.mkdir()
    (out / "lesson.mp4").write_bytes(b"last week's lecture")
    result = nnviz(["lecture", "--file", "mine.py", "--out", "out/lesson.mp4", "-q", "l", "--jobs", "2"], tmp_path)
    assert result.returncode == 2
    assert "Broken" in result.stderr and "ValueError: the weights are gone" in result.stderr
    assert result.stderr.rstrip().endswith("nnviz lecture: nothing written to out/lesson.mp4")
    assert sorted(p.name for p in out.iterdir()) == ["lesson.mp4"]
    assert (out / "lesson.mp4").read_bytes() == b"last week's lecture"


def run_in_process(args: list[str], folder: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    """`nnviz ARGS` in this process (no interpreter to start), in ``folder``, without NNVIZ_* settings."""
    from nnviz.cli import main

    monkeypatch.chdir(folder)
    for name in [k for k in os.environ if k.startswith("NNVIZ_")]:
        monkeypatch.delenv(name)
    return main(args)


@pytest.mark.parametrize(
    ("out", "message"),
    [
        ("no/such/folder/lesson.mp4", "--out no/such/folder/lesson.mp4: the folder no/such/folder does not exist"),
        ("lesson.mov", "the lecture is an MP4 file; use e.g. lesson.mp4"),
        (".", "is a directory"),
    ],
)
def test_a_bad_out_is_one_line_before_any_render(
    tmp_path: Path, out: str, message: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_in_process(["lecture", "--out", out, "-q", "l"], tmp_path, monkeypatch) == 2
    stderr = capsys.readouterr().err
    assert len(stderr.splitlines()) == 1 and message in stderr
    assert not (tmp_path / "media").exists()


def test_captions_need_a_video_format(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "mine.py").write_text(FAILING)
    args = ["render", "--file", "mine.py", "Good", "--captions", "-s"]
    assert run_in_process(args, tmp_path, monkeypatch) == 2
    assert "--captions needs a video format" in capsys.readouterr().err


# ---------------------------------------------------------------- joining and captions alone


def tiny_video(path: Path, size: tuple[int, int], frames: int, rate: int = 10) -> Path:
    import av
    import numpy as np

    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=rate)
        stream.width, stream.height = size
        stream.pix_fmt = "yuv420p"
        for i in range(frames):
            frame = av.VideoFrame.from_ndarray(np.full((size[1], size[0], 3), 20 * i % 255, np.uint8), format="rgb24")
            frame.pts, frame.time_base = i, Fraction(1, rate)
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return path


def test_videos_that_differ_are_re_encoded_at_the_first_ones_size(tmp_path: Path) -> None:
    a = tiny_video(tmp_path / "a.mp4", (64, 48), 10)
    b = tiny_video(tmp_path / "b.mp4", (96, 64), 5)
    joined = join_videos([a, b], tmp_path / "ab.mp4", ["A", "B"])
    assert not joined.copied and joined.starts == [0.0, 1.0] and joined.duration == 1.5
    info = probe(tmp_path / "ab.mp4")
    assert (info.width, info.height, info.rate) == (64, 48, Fraction(10))
    assert info.duration == pytest.approx(1.5, abs=0.1)
    chapters = ffprobe("-show_chapters", str(tmp_path / "ab.mp4"))["chapters"]
    assert [(c["tags"]["title"], float(c["start_time"])) for c in chapters] == [("A", 0.0), ("B", 1.0)]


def test_videos_alike_are_copied_with_their_chapters(tmp_path: Path) -> None:
    a = tiny_video(tmp_path / "a.mp4", (64, 48), 7)
    b = tiny_video(tmp_path / "b.mp4", (64, 48), 12)
    joined = join_videos([a, b, a], tmp_path / "aba.mp4", ["Un", "Deux — ü", "Trois"])
    assert joined.copied and joined.starts == pytest.approx([0.0, 0.7, 1.9])
    assert duration(tmp_path / "aba.mp4") == pytest.approx(2.6, abs=0.1)
    chapters = ffprobe("-show_chapters", str(tmp_path / "aba.mp4"))["chapters"]
    assert [c["tags"]["title"] for c in chapters] == ["Un", "Deux — ü", "Trois"]
    decoded = subprocess.run(["ffmpeg", "-v", "error", "-i", str(tmp_path / "aba.mp4"), "-f", "null", "-"],
                             capture_output=True, text=True)  # fmt: skip
    assert decoded.returncode == 0 and not decoded.stderr


def test_captions_of_a_long_lecture(tmp_path: Path) -> None:
    long_note = "word " * 40
    sections = [BeatSection("intro", 1.0, ""), BeatSection("a", 2.5, long_note), BeatSection("b", 0.0, "never")]
    cues = scene_cues(sections, "S", offset=3599.5, end=3603.0)
    assert cues == [Cue(3600.5, 3603.0, long_note.strip(), "S/a")]
    vtt_file = tmp_path / "c.vtt"
    vtt_file.write_text(to_vtt(cues))
    [cue] = webvtt.read(str(vtt_file))
    assert (cue.start, cue.end) == ("01:00:00.500", "01:00:03.000")
    assert all(len(line) <= 64 for line in cue.text.splitlines()) and cue.text.replace("\n", " ") == long_note.strip()
    assert srt_blocks(to_srt(cues))[0][1:3] == (3600.5, 3603.0)
    assert to_srt([]) == "" and to_vtt([]) == "WEBVTT\n"
