"""``--cluster``: scenes cut at beats, rendered on Dask workers and joined, equal a local render.

Short scenes at -ql keep it cheap: a LocalCluster of 2 processes, then a `dask scheduler` and
two `dask worker` processes on 127.0.0.1 (stopped by their process ids), one of which is killed
while it renders a chunk.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from nnviz.lesson.chunks import ScenePlan, auto_chunk_seconds, split_at_beats
from nnviz.lesson.cluster import check_cluster
from nnviz.lesson.cluster_task import Task, manim_environ, run_task, tex_cache
from tests.conftest import TWO_BEATS_SCENE

pytest.importorskip("distributed")
av = pytest.importorskip("av")

SCENES = (
    TWO_BEATS_SCENE
    + """

class ThreeBeats(LessonScene):
    def construct(self):
        self.beat("neuron", notes="A neuron.")
        shape = Circle()
        self.play(Create(shape), run_time=0.4)
        self.beat("layer", notes="A square, then back.")
        self.play(Transform(shape, Square()), run_time=0.4)
        self.play(Transform(shape, Circle(color="#FC6255")), run_time=0.4)
        self.beat("bye", notes="Gone.")
        self.play(shape.animate.shift([2, 0, 0]), run_time=0.4)


class Broken(LessonScene):
    def construct(self):
        self.beat("fine")
        self.play(Create(Square()), run_time=0.2)
        self.beat("broken")
        self.play(Create(Circle()), run_time=0.2)
        if not self.renderer.skip_animations:  # only when this beat is drawn, never in the plan
            raise RuntimeError("this beat is broken")
"""
)
BIN = Path(sys.executable).parent
QUALITY_DIR = "videos/scenes/480p15"


def nnviz(*args: str, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "nnviz", "render", "--file", "scenes.py", "-q", "l", "--sections", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the test scenes, rendered locally once into ``local/`` for comparison."""
    folder = tmp_path_factory.mktemp("cluster")
    (folder / "scenes.py").write_text(SCENES, encoding="utf-8")
    result = nnviz("TwoBeats", "ThreeBeats", "--jobs", "2", "--media-dir", "local", cwd=folder)
    assert result.returncode == 0, result.stderr
    return folder


def frames(path: Path) -> list[np.ndarray]:
    with av.open(str(path)) as container:
        return [f.to_ndarray(format="rgb24").astype(np.int16) for f in container.decode(video=0)]


def duration(path: Path) -> float:
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        return float(stream.duration * stream.time_base)


def assert_same_render(folder: Path, media: str, scene: str) -> None:
    """The cluster's video has the local one's frames (within 2/255), sections and sections index."""
    ours, local = folder / media / QUALITY_DIR, folder / "local" / QUALITY_DIR
    a, b = frames(ours / f"{scene}.mp4"), frames(local / f"{scene}.mp4")
    assert len(a) == len(b) > 0
    assert max(int(np.abs(x - y).max()) for x, y in zip(a, b)) <= 2
    assert duration(ours / f"{scene}.mp4") == pytest.approx(duration(local / f"{scene}.mp4"), abs=1e-3)
    index = json.loads((ours / "sections" / f"{scene}.json").read_text())
    assert index == json.loads((local / "sections" / f"{scene}.json").read_text())
    for entry in index:
        assert len(frames(ours / "sections" / entry["video"])) == int(entry["nb_frames"])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def alive(pid: int) -> bool:
    try:
        return " Z " not in Path(f"/proc/{pid}/stat").read_text()  # a zombie has stopped
    except OSError:
        return False


def stop(procs: list[subprocess.Popen[bytes]]) -> None:
    for proc in procs:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGTERM)
    for proc in procs:
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()


# ---------------------------------------------------------------- plain data


def test_split_at_beats_cuts_only_at_beats() -> None:
    plan = ScenePlan(beats=(("a", 0), ("b", 2), ("c", 3), ("d", 5)), run_times=(1, 1, 1, 1, 1, 1))
    assert split_at_beats(plan, 100) == [(0, 5)]
    assert split_at_beats(plan, 0) == [(0, 1), (2, 2), (3, 4), (5, 5)]
    assert split_at_beats(plan, 3) == [(0, 2), (3, 5)]
    assert split_at_beats(ScenePlan(beats=(), run_times=()), 1) == []


def test_auto_chunks_only_cut_scenes_longer_than_a_workers_share() -> None:
    plan = ScenePlan(beats=(("a", 0), ("b", 2), ("c", 3), ("d", 5)), run_times=(1, 1, 1, 1, 1, 1))
    many_scenes = auto_chunk_seconds([6.0] * 14, unknown=0, workers=2)  # 42 s a worker: no scene is cut
    assert split_at_beats(plan, many_scenes) == [(0, 5)]
    few_scenes = auto_chunk_seconds([6.0, 6.0], unknown=0, workers=4)  # 3 s a worker: cut in two
    assert split_at_beats(plan, few_scenes) == [(0, 2), (3, 5)]
    assert split_at_beats(plan, auto_chunk_seconds([], unknown=2, workers=4)) == [(0, 5)]


def test_a_worker_keeps_a_tex_cache_per_scene_and_never_shares_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    root = tmp_path / "cache" / "nnviz" / "worker-tex"
    fallback = tmp_path / "fallback"
    with (
        tex_cache("sigmoid.Sigmoid", fallback) as first,
        tex_cache("sigmoid.Sigmoid", fallback) as second,  # a second chunk of the scene at the same time
        tex_cache("bias.Bias", fallback) as other,
    ):
        assert (first, second, other) == (root / "sigmoid.Sigmoid", root / "sigmoid.Sigmoid.1", root / "bias.Bias")
    with tex_cache("sigmoid.Sigmoid", fallback) as again:  # released: the scene's own again
        assert again == first


def test_manim_on_a_worker_does_not_inherit_the_nannys_malloc_and_thread_settings() -> None:
    import dask

    nanny = {k: str(v) for k, v in dask.config.get("distributed.nanny.pre-spawn-environ").items()}
    assert "MALLOC_TRIM_THRESHOLD_" in nanny  # what made every frame's memory go back and forth
    worker = {"PATH": "/usr/bin", **nanny, "OMP_NUM_THREADS": "4"}  # 4: set by the user, not the nanny
    env = manim_environ(worker)
    assert env["PATH"] == "/usr/bin" and env.get("OMP_NUM_THREADS") == "4"
    assert not {k for k in nanny if k != "OMP_NUM_THREADS"} & set(env)


def test_bad_cluster_address_is_one_line() -> None:
    assert check_cluster("local:2") == "local:2"
    result = subprocess.run(
        [sys.executable, "-m", "nnviz", "render", "Sigmoid", "--cluster", "local:0"], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "local:N" in result.stderr


@pytest.mark.costly
class TestRenderedLocallyOnce:
    """Tests that compare with the local render (``folder``): a class runs on one pytest-xdist worker."""

    def test_a_task_is_plain_data_and_returns_bytes(self, folder: Path) -> None:
        task = Task(
            kind="plan", scene="ThreeBeats", output_name="ThreeBeats", file_name="scenes.py",
            sources=(("scenes.py", SCENES),), quality="l",
        )  # fmt: skip
        output = run_task(task)  # no worker: the task runs here, in a temporary folder of its own
        assert output.plan == ScenePlan(beats=(("neuron", 0), ("layer", 1), ("bye", 3)), run_times=(0.4, 0.4, 0.4, 0.4))

    # ---------------------------------------------------------------- on clusters

    def test_local_cluster_matches_a_local_render_and_reports_a_broken_scene(self, folder: Path) -> None:
        result = nnviz(
            "TwoBeats", "ThreeBeats", "Broken", "--cluster", "local:2", "--chunk-seconds", "0", "--media-dir", "cl",
            cwd=folder,
        )  # fmt: skip
        assert result.returncode == 2, result.stderr
        assert "ThreeBeats: 3/3 chunks done" in result.stderr  # one chunk per beat
        assert "1 of 3 scenes failed: Broken" in result.stderr
        assert "this beat is broken" in result.stderr
        for scene in ("TwoBeats", "ThreeBeats"):
            assert_same_render(folder, "cl", scene)
        assert sorted(p.name for p in (folder / "cl").rglob("Broken*")) == []  # nothing, not half of it
        plans = sorted(p.name.split("-")[0] for p in (folder / "cl" / "nnviz" / "plans").glob("*.json"))
        assert plans == ["scenes.Broken", "scenes.ThreeBeats", "scenes.TwoBeats"]  # kept for the next render
        # The workers' caches, under $XDG_CACHE_HOME: the test session's own (tests/conftest.py).
        assert list((Path(os.environ["XDG_CACHE_HOME"]) / "nnviz" / "worker-tex").iterdir())

    def test_a_worker_killed_mid_render_is_replaced(self, folder: Path) -> None:
        port = free_port()
        address = f"tcp://127.0.0.1:{port}"
        env = {**os.environ, "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "2"}
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "cwd": folder, "env": env}
        procs: list[subprocess.Popen[bytes]] = []
        try:
            procs.append(
                subprocess.Popen(
                    [BIN / "dask", "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"], **quiet
                )
            )
            worker = [BIN / "dask", "worker", address, "--nworkers", "1", "--nthreads", "1", "--no-nanny"]
            workers = [subprocess.Popen([*worker, "--no-dashboard", "--host", "127.0.0.1"], **quiet) for _ in range(2)]
            procs += workers
            render = subprocess.Popen(
                [sys.executable, "-m", "nnviz", "render", "--file", "scenes.py", "ThreeBeats", "-q", "l", "--sections",
                 "--cluster", address, "--chunk-seconds", "0", "--media-dir", "killed"],
                cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            )  # fmt: skip
            procs.append(render)  # type: ignore[arg-type]
            victim, manim = None, None
            deadline = time.monotonic() + 120
            while victim is None and render.poll() is None and time.monotonic() < deadline:
                for w in workers:
                    chunks = [c for c in children(w.pid) if " -n " in cmdline(c) and "1000000000" not in cmdline(c)]
                    if chunks:
                        victim, manim = w, chunks[0]
                        break
                time.sleep(0.02)
            assert victim is not None and manim is not None, "no chunk was seen rendering"
            os.kill(victim.pid, signal.SIGKILL)
            victim.wait()
            _, err = render.communicate(timeout=240)
            assert render.returncode == 0, err
            assert "3/3 chunks done" in err
            assert_same_render(folder, "killed", "ThreeBeats")
            deadline = time.monotonic() + 10
            while alive(manim) and time.monotonic() < deadline:
                time.sleep(0.1)
            assert not alive(manim)  # the killed worker's manim died with it
        finally:
            stop(procs)  # type: ignore[arg-type]
