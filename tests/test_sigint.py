"""Ctrl-C stops `nnviz train` and `nnviz render` however they were started.

A process started in the background by a shell without job control inherits SIGINT ignored,
and Python then raises no KeyboardInterrupt: nnviz installs its own handler. These tests start
nnviz with SIGINT ignored (a small wrapper sets SIG_IGN, then execs it), send SIGINT and expect
exit code 130 within seconds, "interrupted" on stderr, and no output file.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from nnviz.lesson.jobs import RenderJob, RenderOptions
from nnviz.lesson.process import ProcessTable, readable_segment, remove_unfinished, wait_with_peak_rss

#: Sets SIGINT to ignored, then becomes ``python ARGS...``: as a shell's background job starts it.
IGNORE_SIGINT = (
    "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_IGN); "
    "os.execv(sys.executable, [sys.executable, *sys.argv[1:]])"
)

SPIN_SCENE = """\
from manim import PI, Rotate, Scene, Square


class Spin(Scene):
    def construct(self):
        square = Square()
        self.add(square)
        for _ in range(120):
            self.play(Rotate(square, PI / 2), run_time=1)
"""


def start_ignoring_sigint(*args: str, cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", IGNORE_SIGINT, *args],
        cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def interrupt(proc: subprocess.Popen[str], limit: float, group: bool = False) -> tuple[str, float]:
    """Send SIGINT (to the process group: as a terminal does); return stderr and the seconds until
    the process exited (at most ``limit``)."""
    if group:
        os.killpg(proc.pid, signal.SIGINT)
    else:
        proc.send_signal(signal.SIGINT)
    start = time.monotonic()
    try:
        _, err = proc.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        proc.kill()
        _, err = proc.communicate()
        pytest.fail(f"still running {limit} s after SIGINT:\n{err[-2000:]}")
    return err, time.monotonic() - start


def running_with(text: str) -> list[int]:
    """Processes whose command line contains ``text``."""
    pids = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and text in (entry / "cmdline").read_bytes().decode(errors="replace"):
                pids.append(int(entry.name))
        except OSError:
            continue
    return pids


def test_the_wrapper_really_ignores_sigint(tmp_path: Path) -> None:
    code = "import signal; print(signal.getsignal(signal.SIGINT) is signal.SIG_IGN)"
    done = subprocess.run([sys.executable, "-c", IGNORE_SIGINT, "-c", code], capture_output=True, text=True)
    assert done.stdout.strip() == "True", done.stderr


def test_ctrl_c_stops_train_started_with_sigint_ignored(tmp_path: Path) -> None:
    proc = start_ignoring_sigint("-m", "nnviz", "train", "--epochs", "200", "--out", "net.npz", cwd=tmp_path)
    assert proc.stderr is not None
    assert proc.stderr.readline().startswith("training "), "train did not start"
    time.sleep(1)  # well into the epochs
    err, seconds = interrupt(proc, limit=20)
    assert proc.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    assert seconds < 10
    assert os.listdir(tmp_path) == []


@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="needs /proc to find manim processes")
@pytest.mark.parametrize("started", ["in the background", "from a terminal"])
def test_ctrl_c_stops_render_and_its_manim_processes(tmp_path: Path, started: str) -> None:
    scene = tmp_path / "spin_scene.py"
    scene.write_text(SPIN_SCENE, encoding="utf-8")
    command = ("-m", "nnviz", "render", "--file", str(scene), "Spin", "-q", "l", "--jobs", "1")
    terminal = started == "from a terminal"
    if terminal:  # a terminal's Ctrl-C reaches the whole foreground process group, manim included
        proc = subprocess.Popen(
            [sys.executable, *command], cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, start_new_session=True,
        )  # fmt: skip
    else:  # SIGINT ignored, and only nnviz hears of Ctrl-C
        proc = start_ignoring_sigint(*command, cwd=tmp_path)
    segments = tmp_path / "media" / "videos" / "spin_scene" / "480p15" / "partial_movie_files" / "Spin"
    deadline = time.monotonic() + 120
    # Two segment files: the first animation is finished (manim writes each segment under its final
    # name), so the cache keeps at least one whole segment after the interrupt.
    while not (segments.is_dir() and len(list(segments.glob("*.mp4"))) >= 2):
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"manim did not start rendering:\n{proc.communicate()[1][-2000:]}")
        time.sleep(0.2)
    err, seconds = interrupt(proc, limit=30, group=terminal)
    assert proc.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    assert seconds < 15
    assert running_with(str(scene)) == [], "a manim process outlived nnviz render"
    assert list((tmp_path / "media").rglob("Spin.mp4")) == []
    # manim removed the segment it was writing; the finished ones stay, whole, for its cache.
    av = pytest.importorskip("av")
    assert list(segments.glob("*.mp4"))
    for segment in segments.glob("*.mp4"):
        with av.open(str(segment)) as container:
            assert sum(1 for _ in container.decode(video=0)) > 0, segment


def _reaped_in_thread(table: ProcessTable, proc: subprocess.Popen[bytes]) -> threading.Thread:
    """Reap ``proc`` in a thread and tell the table, as a render job's thread does."""

    def reap() -> None:
        assert proc.stdout is not None
        proc.stdout.read()
        wait_with_peak_rss(proc)
        table.forget(proc)

    thread = threading.Thread(target=reap)
    thread.start()
    return thread


def test_terminate_all_escalates_when_sigint_is_ignored() -> None:
    table = ProcessTable()
    stubborn = "import signal, time; signal.signal(signal.SIGINT, signal.SIG_IGN); print(flush=True); time.sleep(60)"
    proc = table.start([sys.executable, "-c", stubborn], os.environ)
    assert proc is not None and proc.stdout is not None
    proc.stdout.readline()  # SIGINT is ignored from here on
    thread = _reaped_in_thread(table, proc)
    start = time.monotonic()
    table.terminate_all(((None, 0.1), (signal.SIGINT, 0.5), (signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)))
    thread.join(5)
    assert proc.returncode == -signal.SIGTERM
    assert time.monotonic() - start < 4
    assert table.start([sys.executable, "-c", "pass"], os.environ) is None  # cancelled: nothing new starts


def _write_segment(path: Path, frames: int = 4) -> bytes:
    """A small whole MP4 segment, as manim's encoder writes one; returns its bytes."""
    av = pytest.importorskip("av")
    import numpy as np

    path.parent.mkdir(parents=True, exist_ok=True)
    with av.open(str(path), mode="w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=15)
        stream.width, stream.height, stream.pix_fmt = 64, 48, "yuv420p"
        for i in range(frames):
            frame = np.full((48, 64, 3), 40 * i, dtype=np.uint8)
            container.mux(stream.encode(av.VideoFrame.from_ndarray(frame, format="rgb24")))
        container.mux(stream.encode())
    return path.read_bytes()


def test_remove_unfinished_takes_only_what_the_job_was_writing(tmp_path: Path) -> None:
    media = tmp_path / "media"
    folder = media / "videos" / "spin_scene" / "480p15"
    whole = _write_segment(folder / "partial_movie_files" / "Spin" / "whole.mp4")
    old, new = time.time() - 3600, time.time()
    files = {
        "Spin.mp4": (new, b"x"),  # the job's movie, half combined
        "Spin_temp.mp4": (new, b"x"),
        "sections/Spin_0001_turn.mp4": (new, b"x"),
        "partial_movie_files/Spin/whole.mp4": (new, whole),  # finished before Ctrl-C: cache keeps it
        "partial_movie_files/Spin/cut.mp4": (new, whole[: len(whole) * 2 // 3]),  # cut off mid-write
        "partial_movie_files/Spin/abc.mp4": (new, b"x"),
        "partial_movie_files/Spin/old.mp4": (old, b"x"),  # an earlier render's file: not this job's
        "SpinFast.mp4": (new, b"x"),  # another output
        "partial_movie_files/Other/def.mp4": (new, b"x"),
    }
    for name, (mtime, data) in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        os.utime(path, (mtime, mtime))
    job = RenderJob("Spin", tmp_path / "spin_scene.py")
    options = RenderOptions(quality="l", media_dir=media)
    removed = remove_unfinished(job, options, new - 1)
    assert sorted(p.relative_to(folder).as_posix() for p in removed) == [
        "Spin.mp4", "Spin_temp.mp4", "partial_movie_files/Spin/abc.mp4", "partial_movie_files/Spin/cut.mp4",
        "sections/Spin_0001_turn.mp4",
    ]  # fmt: skip
    assert readable_segment(folder / "partial_movie_files" / "Spin" / "whole.mp4")
