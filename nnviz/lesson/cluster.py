"""``--cluster``: the renders of ``nnviz render``, ``lecture``, ``handout`` and ``slides`` on Dask workers.

``--cluster tcp://HOST:8786`` sends them to a running Dask scheduler, ``--cluster local:N``
starts a ``LocalCluster`` of N single-threaded worker processes here. Dask (the ``cluster``
extra) is imported only then. For each scene the client first asks a worker for its
:class:`~nnviz.lesson.chunks.ScenePlan` (a fast pass through ``construct``), cuts it into runs
of beats (:func:`~nnviz.lesson.chunks.split_at_beats`, ``--chunk-seconds``) and submits one
task per run; the tasks (:func:`~nnviz.lesson.cluster_task.run_task`) return bytes, and
:mod:`~nnviz.lesson.cluster_output` joins them into the files a local render writes. Stills,
GIFs and transparent videos go as one task per scene.

Each task may be retried twice (Dask's ``retries``; for a ``LocalCluster`` also the scheduler's
``allowed-failures``, which counts workers lost while running it). A scene one of whose tasks
still fails is reported failed with the task's error, and nothing is written for it.

Example::

    results = run_cluster_renders(jobs, RenderOptions(quality="l"), cluster="local:2")
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import os
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..core.atomic import atomic_write
from ..core.errors import NnvizError, install_hint
from .chunks import ScenePlan, auto_chunk_seconds, split_at_beats
from .cluster_task import Task, TaskOutput, run_task
from .display import RenderDisplay
from .fingerprint import fingerprint, save_stamp, up_to_date
from .jobs import RenderJob, RenderOptions, RenderResult
from .media_folder import nnviz_dir
from .render_log import write_log

#: How often Dask may run a task again after it failed or its worker died.
RETRIES = 2
CLUSTER_HINT = f"--cluster needs Dask: {install_hint('cluster')} (the same on every worker)"


def check_cluster(text: str) -> str:
    """``--cluster``: ``local:N`` or a scheduler address such as ``tcp://host:8786``; else NnvizError.

    >>> check_cluster("local:2"), check_cluster("tcp://10.0.0.5:8786")
    ('local:2', 'tcp://10.0.0.5:8786')
    """
    if text.startswith("local:"):
        count = text[len("local:") :]
        if not count.isdigit() or int(count) < 1:
            raise NnvizError(f"--cluster {text}: local:N needs a number of workers N >= 1, e.g. local:2")
        return text
    if "://" not in text or not text.split("://", 1)[1]:
        raise NnvizError(f"--cluster {text}: give a scheduler address such as tcp://host:8786, or local:N")
    return text


def cluster_address(text: str) -> str:
    """argparse type of ``--cluster``: :func:`check_cluster`, its error as argparse's.

    >>> cluster_address("local:4")
    'local:4'
    """
    import argparse

    try:
        return check_cluster(text)
    except NnvizError as e:
        raise argparse.ArgumentTypeError(str(e).removeprefix(f"--cluster {text}: ")) from None


@contextmanager
def dask_client(cluster: str) -> Iterator[Any]:
    """A Dask client of the scheduler at ``cluster``, or of a LocalCluster for ``local:N``."""
    check_cluster(cluster)
    try:
        import dask

        distributed: Any = importlib.import_module("distributed")  # typed loosely: untyped calls
    except ImportError:
        raise NnvizError(CLUSTER_HINT) from None
    if cluster.startswith("local:"):
        with dask.config.set({"distributed.scheduler.allowed-failures": RETRIES}):
            local = distributed.LocalCluster(
                n_workers=int(cluster.split(":")[1]), threads_per_worker=1, processes=True,
                dashboard_address=None, silence_logs=40,  # logging.ERROR
            )  # fmt: skip
        with local, distributed.Client(local) as client:
            yield client
        return
    try:
        client = distributed.Client(cluster, timeout="15s")
    except (OSError, TimeoutError) as e:
        raise NnvizError(f"--cluster {cluster}: cannot reach a Dask scheduler there ({e})") from None
    with client:
        yield client


def scene_task(job: RenderJob, options: RenderOptions, env: Mapping[str, str], kind: str, **extra: Any) -> Task:
    """The task that renders ``job`` (``kind``: plan, chunk, whole or slides) as plain data.

    The ``.py`` files of the scene's folder travel as text, a digit image or weights file named
    by ``env`` as bytes, the working folder's ``manim.cfg`` as text.
    """
    folder = job.file.resolve().parent
    sources = tuple((p.name, p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.py")))
    # Settings that name a file (a digit image, a weights file) are absolute paths here.
    files = sorted({v for k, v in env.items() if k.startswith("NNVIZ_") and os.path.isabs(v) and os.path.isfile(v)})
    inputs = tuple((name, Path(name).read_bytes()) for name in files)
    cfg = Path("manim.cfg")
    return Task(
        kind=kind, scene=job.scene, output_name=job.output_name, file_name=job.file.name, sources=sources,
        quality=options.quality, format=options.format, transparent=options.transparent,
        sections=options.sections, env=tuple(sorted(env.items())), inputs=inputs,
        manim_cfg=cfg.read_text(encoding="utf-8") if cfg.is_file() else "", **extra,
    )  # fmt: skip


def plan_path(job: RenderJob, options: RenderOptions, env: Mapping[str, str]) -> Path:
    """Where the scene's plan is kept: one per scene source, nnviz and settings, for every quality."""
    # The plan does not depend on quality or format: fingerprint one fixed set of options.
    key = fingerprint(job, RenderOptions(quality="l", media_dir=options.media_dir), env)
    return nnviz_dir(options.media_dir) / "plans" / f"{job.key}-{key[:16]}.json"


def load_plan(path: Path) -> ScenePlan | None:
    """The plan an earlier cluster render recorded at ``path``, or None."""
    try:
        return ScenePlan.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None


def save_plan(path: Path, plan: ScenePlan) -> None:
    """Keep ``plan`` for the next render (a missing plan only costs a planning pass or a whole scene)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_write(path) as f:
            f.write(json.dumps(plan.to_json()).encode("utf-8"))
    except OSError:
        pass


def chunkable(options: RenderOptions) -> bool:
    """Whether scenes rendered with ``options`` can be cut at beats: H.264 MP4 joins without re-encoding."""
    return options.format == "mp4" and not options.transparent


@dataclasses.dataclass
class _Scene:
    """One job's progress: its tasks' outputs as they arrive."""

    index: int
    job: RenderJob
    started: float
    chunks: list[TaskOutput | None] = dataclasses.field(default_factory=list)
    futures: list[Any] = dataclasses.field(default_factory=list)
    stamp: str = ""
    animations: int = 0
    plan_seconds: float = 0.0
    plan_file: Path | None = None
    plan: ScenePlan | None = None
    ranges: list[tuple[int, int]] = dataclasses.field(default_factory=list)
    failed: bool = False


def run_cluster_renders(
    jobs: Sequence[RenderJob],
    options: RenderOptions,
    *,
    cluster: str,
    chunk_seconds: float | None = None,
    env: Mapping[str, str] | None = None,
    progress: bool = True,
    reuse: bool = False,
    notes: bool = False,
    slides_folder: Path | None = None,
) -> list[RenderResult]:
    """Render ``jobs`` on the Dask cluster ``cluster``; results in job order, as :func:`run_renders`.

    ``chunk_seconds`` None: scenes whose plan an earlier cluster render recorded are cut so
    that the workers share the work (:func:`~nnviz.lesson.chunks.auto_chunk_seconds`), the
    others go whole (and record their plan); a number: every scene longer than that is cut,
    after a planning pass where its plan is not known yet. The longest work is submitted
    first. ``notes`` saves each beat's notes in the sections index (for captions);
    ``slides_folder`` renders manim-slides slides into that folder instead (one task per
    scene). With ``reuse``, a scene whose inputs are unchanged since its last render is not
    sent at all.
    """
    from rich.console import Console

    env = dict(env or {})
    options.media_dir.mkdir(parents=True, exist_ok=True)
    results: list[RenderResult | None] = [None] * len(jobs)
    display = RenderDisplay(Console(stderr=True), jobs, enabled=progress)
    with display, dask_client(cluster) as client:
        pending: Any = importlib.import_module("distributed").as_completed()
        owners: dict[str, tuple[_Scene, int]] = {}  # future key -> scene, chunk index (-1: plan)

        def submit(scene: _Scene, task: Task, slot: int, priority: float) -> None:
            future = client.submit(run_task, task, retries=RETRIES, pure=False, priority=priority)
            owners[future.key] = (scene, slot)
            scene.futures.append(future)
            pending.add(future)

        def submit_chunks(scene: _Scene, plan: ScenePlan, seconds: float) -> None:
            ranges = scene.ranges = split_at_beats(plan, seconds)
            scene.animations = plan.animations
            scene.chunks = [None] * len(ranges)
            display.chunks(scene.index, 0, len(ranges))
            for k, (first, last) in enumerate(ranges):
                # The last chunk runs to the end: it covers the whole scene and brings its plan back.
                end = -1 if k == len(ranges) - 1 else last
                task = scene_task(scene.job, options, env, "chunk", notes=notes, first=first, last=end)
                submit(scene, task, k, sum(plan.run_times[first : last + 1]))

        scenes: list[_Scene] = []
        for i, job in enumerate(jobs):
            scene = _Scene(i, job, time.monotonic())
            if reuse and slides_folder is None:
                # Beat notes change the sections index, so a render with them is stamped apart.
                scene.stamp = fingerprint(job, options, env) + ("+notes" if notes else "")
                previous = up_to_date(job, options, scene.stamp)
                if previous is not None:
                    results[i] = previous
                    display.finished(i, previous)
                    continue
            if slides_folder is not None:
                extra = {"slides_folder": str(slides_folder.resolve())}
                submit(scene, scene_task(job, options, env, "slides", **extra), 0, 0)
                scene.chunks = [None]
            elif not chunkable(options):
                submit(scene, scene_task(job, options, env, "whole", notes=notes), 0, 0)
                scene.chunks = [None]
            else:
                scene.plan_file = plan_path(job, options, env)
                scene.plan = load_plan(scene.plan_file)
                scenes.append(scene)
        known = [s.plan.seconds for s in scenes if s.plan is not None]
        workers = sum(client.nthreads().values()) or 1
        target = (
            auto_chunk_seconds(known, len(scenes) - len(known), workers) if chunk_seconds is None else chunk_seconds
        )
        for scene in scenes:
            if scene.plan is not None:
                submit_chunks(scene, scene.plan, target)
            elif chunk_seconds is None:  # whole, longest-unknown first: its plan comes back with it
                submit(scene, scene_task(scene.job, options, env, "chunk", notes=notes), 0, 1e9)
                scene.chunks = [None]
            else:
                display.status(scene.index, "planning the chunks", None)
                submit(scene, scene_task(scene.job, options, env, "plan"), -1, 2e9)  # plans unlock work
        try:
            for future in pending:
                scene, slot = owners.pop(future.key)
                if scene.failed:
                    continue
                if future.status != "finished":
                    failed = _failed(scene, options, future, client)
                    results[scene.index] = failed
                    display.finished(scene.index, failed)
                    continue
                output: TaskOutput = future.result()
                scene.futures.remove(future)  # its bytes are here now: the cluster may forget them
                if output.plan is not None and scene.plan_file is not None:
                    save_plan(scene.plan_file, output.plan)
                if slot == -1:  # the plan is back: submit the chunks, longest first
                    assert output.plan is not None
                    scene.plan_seconds = output.seconds
                    submit_chunks(scene, output.plan, target)
                    continue
                scene.chunks[slot] = output
                done = sum(c is not None for c in scene.chunks)
                display.chunks(scene.index, done, len(scene.chunks))
                if done == len(scene.chunks):
                    finished = _finish(scene, options, slides_folder, reuse)
                    results[scene.index] = finished
                    display.finished(scene.index, finished)
        except BaseException:
            client.cancel([f for s in owners.values() for f in s[0].futures])
            raise
    return [r if r is not None else RenderResult(j) for r, j in zip(results, jobs)]


def _failed(scene: _Scene, options: RenderOptions, future: Any, client: Any) -> RenderResult:
    """The scene failed: cancel its other tasks; the error's lines become the report's tail."""
    scene.failed = True
    client.cancel([f for f in scene.futures if f.key != future.key])
    try:
        error: BaseException | None = future.exception()
    except Exception as e:  # a cancelled future has no exception to give
        error = e
    text = f"{type(error).__name__}: {error}" if error is not None else f"task {future.status}"
    lines = text.splitlines()
    result = RenderResult(scene.job, returncode=1, seconds=time.monotonic() - scene.started, tail=lines[-12:])
    result.log = write_log(options.media_dir, scene.job, lines)
    return result


def _finish(scene: _Scene, options: RenderOptions, slides_folder: Path | None, reuse: bool) -> RenderResult:
    """Every task of the scene is back: write its files (chunks joined) and make its result."""
    from .cluster_output import write_scene, write_slides

    chunks = [c for c in scene.chunks if c is not None]
    result = RenderResult(scene.job, returncode=0)
    result.animations = scene.animations or sum(c.animations for c in chunks)
    try:
        if slides_folder is not None:
            result.output = write_slides(slides_folder, chunks[0])
        else:
            result.output, sections = write_scene(scene.job, options, chunks)
            result.sections = sections if options.sections else []
    except (NnvizError, OSError) as e:
        result.returncode, result.tail = 1, [f"writing the files: {e}"]
    result.seconds = time.monotonic() - scene.started
    lines = [f"nnviz: plan in {scene.plan_seconds:.2f} s"] if scene.plan_seconds else []
    for k, chunk in enumerate(chunks):  # each chunk's cost, for bench/cluster.py and for a curious reader
        what = "animations {}..{}".format(*scene.ranges[k]) if scene.ranges else "the whole scene"
        lines += [f"nnviz: chunk {k + 1}/{len(chunks)}: {what} in {chunk.seconds:.2f} s", *chunk.log]
    result.log = write_log(options.media_dir, scene.job, lines)
    if result.ok and reuse and scene.stamp:
        save_stamp(result, options, scene.stamp)
    return result


__all__ = [
    "RETRIES",
    "check_cluster",
    "cluster_address",
    "dask_client",
    "run_cluster_renders",
    "scene_task",
]
