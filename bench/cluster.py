"""Beat chunking on a Dask LocalCluster against ``--jobs`` without it, and a course's cost on paper.

In one run, rendering the same scenes with ``--force``:

1. ``--jobs W``: a manim process per scene, W at a time, in a fresh media folder A. A warm-up
   run first, then the measured one with ``--disable-caching`` (it draws every frame, as the
   workers do, and finds its TeX formulas compiled, as theirs are);
2. ``--cluster local:W`` in a fresh media folder B, first time: no scene's plan is known yet, so
   every scene goes whole, as one task, and brings its plan back;
3. ``--cluster local:W`` again in B: the default policy with the plans known: the longest work
   first, and only scenes longer than the total / W cut at their beats;
4. ``--cluster local:W --chunk-seconds S`` in B: every scene longer than S cut into runs of
   beats of about S video seconds.

The warm-ups (1's first run and 2) run at ``--warm-up-quality``, default ``l``: TeX formulas and
plans do not depend on quality. Run 2 is reported only when it ran at the measured quality.

While each runs, the manim processes it started are counted every 0.1 s (descendants of the
``nnviz`` process whose command line is ``manim render``). The tail is the time from the last
moment all W were busy to the end of the run: when one process, or none, is still working.
Each cluster render's frames are compared with run 1's.

On paper, from run 3's whole-scene costs and run 4's chunk costs (the logs
``media/nnviz/<file>.<Scene>.log`` give each task's seconds on its worker): a course of
``--lessons`` lessons of the measured scenes at 4K (2160p60) on 8 and 32
workers. A scene's cost is a fixed part, paid again by every chunk (start-up, ``construct``,
TeX: the measured extra cost of one more chunk), plus its drawing, scaled by pixels x frames
per second from the measured quality to 4K. Scenes longer than the total / workers are cut as
the default policy does; the wall time is a greedy schedule, longest first, as nnviz submits.

    .venv/bin/python bench/cluster.py [SCENE ...] [-q h] [--workers 2] [--chunk-seconds 10] [--lessons 10]
"""

from __future__ import annotations

import argparse
import heapq
import json
import math
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
#: (width x height x fps) of each quality, to scale the drawing part of a chunk's cost.
PIXEL_RATE = {"l": 854 * 480 * 15, "m": 1280 * 720 * 30, "h": 1920 * 1080 * 60, "k": 3840 * 2160 * 60}


def descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        for task in Path(f"/proc/{todo.pop()}/task").glob("*"):
            try:
                kids = [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
            found += kids
            todo += kids
    return found


def busy(pid: int) -> int:
    count = 0
    for child in descendants(pid):
        try:
            if b"manim\0render" in Path(f"/proc/{child}/cmdline").read_bytes():
                count += 1
        except OSError:
            continue
    return count


def run(args: list[str], media: Path, workers: int) -> dict[str, Any]:
    """One ``nnviz render`` run: wall time, tail, and its JSON report."""
    command = [sys.executable, "-m", "nnviz", "render", *args, "--media-dir", str(media), "--json", "--force"]
    start = time.monotonic()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    last_full = start
    while proc.poll() is None:
        if busy(proc.pid) >= workers:
            last_full = time.monotonic()
        time.sleep(0.1)
    wall = time.monotonic() - start
    report = json.loads(proc.stdout.read() if proc.stdout else "[]")
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: exit {proc.returncode}")
    return {"wall": wall, "tail": wall - (last_full - start), "report": report}


def task_costs(media: Path) -> dict[str, list[float]]:
    """Per scene (log file stem): each chunk's seconds on its worker, from the last cluster run's logs."""
    found = {}
    for log in sorted((media / "nnviz").glob("*.log")):
        text = log.read_text(encoding="utf-8")
        found[log.stem] = [float(s) for s in re.findall(r"nnviz: chunk \d+/\d+: [^\n]*? in ([\d.]+) s", text)]
    return found


def compare(jobs: list[dict[str, Any]], chunked: list[dict[str, Any]]) -> list[str]:
    """Per scene: frames of the chunked render against the --jobs one (count, largest difference).

    Decoded side by side, two frames at a time: a whole scene's frames at 1080p would not fit in memory.
    """
    import itertools

    import av
    import numpy as np

    lines = []
    for a, b in zip(jobs, chunked):
        with av.open(a["output"]) as ca, av.open(b["output"]) as cb:
            count_a = count_b = worst = 0
            for fa, fb in itertools.zip_longest(ca.decode(video=0), cb.decode(video=0)):
                count_a, count_b = count_a + (fa is not None), count_b + (fb is not None)
                if fa is not None and fb is not None:
                    x, y = (f.to_ndarray(format="rgb24").astype(np.int16) for f in (fa, fb))
                    worst = max(worst, int(np.abs(x - y).max()))
        lines.append(f"{a['scene']}: {count_a} / {count_b} frames, largest difference {worst}/255")
    return lines


def course_wall(costs: list[float], workers: int) -> float:
    """Greedy schedule, longest first: each chunk to the worker free first."""
    free = [0.0] * workers
    for cost in sorted(costs, reverse=True):
        heapq.heappush(free, heapq.heappop(free) + cost)
    return max(free)


def estimate(whole: dict[str, float], extra: float, scale: float, scenes: int, workers: int) -> tuple[float, int]:
    """Wall seconds and chunk count of ``scenes`` scenes (the measured ones, cycled) on ``workers``."""
    costs = [list(whole.values())[i % len(whole)] for i in range(scenes)]
    at_4k = [extra + (c - extra) * scale for c in costs]
    share = sum(at_4k) / workers  # the default policy: cut only scenes longer than a worker's share
    chunks = []
    for cost in at_4k:
        k = max(1, math.ceil(cost / share - 1e-9)) if cost > share else 1
        chunks += [extra + (cost - extra) / k] * k
    return course_wall(chunks, workers), len(chunks)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("scenes", nargs="*", help="scenes to render (default: the whole lesson)")
    parser.add_argument("-q", "--quality", default="h", choices=sorted(PIXEL_RATE))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--chunk-seconds", type=float, default=10.0)
    parser.add_argument("--lessons", type=int, default=10)
    parser.add_argument(
        "--warm-up-quality", default="l", choices=sorted(PIXEL_RATE),
        help="quality of the two unmeasured warm-up runs (TeX compiled, plans recorded); default l",
    )  # fmt: skip
    args = parser.parse_args()
    common = [*(args.scenes or ["--all"]), "-q", args.quality]
    cluster = ["--cluster", f"local:{args.workers}"]
    runs = {}
    with tempfile.TemporaryDirectory(prefix="nnviz-bench-cluster-") as folder:
        a, b = Path(folder) / "jobs", Path(folder) / "cluster"
        # Warm-ups, not measured, so that every measured run finds its TeX formulas compiled and
        # the cluster knows each scene's plan; neither depends on quality, so at --warm-up-quality.
        warm = [*(args.scenes or ["--all"]), "-q", args.warm_up_quality]
        run([*warm, "--jobs", str(args.workers)], a, args.workers)
        # --disable-caching: no replay from manim's animation cache, which the workers do not have either.
        jobs = [*common, "--jobs", str(args.workers), "--disable-caching"]
        runs["--jobs, a process per scene"] = run(jobs, a, args.workers)
        first = run([*warm, *cluster], b, args.workers)  # whole scenes: each brings its plan back
        if args.warm_up_quality == args.quality:
            runs["cluster, first (whole scenes)"] = first
        runs["cluster, default policy"] = run([*common, *cluster], b, args.workers)
        # Whole-scene costs with the TeX formulas compiled (the scenes the policy did not cut).
        whole = {k: v[0] for k, v in task_costs(b).items() if len(v) == 1}
        chunked = [*common, *cluster, "--chunk-seconds", str(args.chunk_seconds)]
        runs[f"cluster, --chunk-seconds {args.chunk_seconds:g}"] = run(chunked, b, args.workers)
        chunks = task_costs(b)
        baseline = runs["--jobs, a process per scene"]
        same = {name: compare(baseline["report"], r["report"]) for name, r in runs.items() if r is not baseline}
    print(f"{len(baseline['report'])} scenes at -q {args.quality}, {args.workers} workers")
    for name, r in runs.items():
        ratio = r["wall"] / baseline["wall"]
        print(f"  {name:<32} wall {r['wall']:7.1f} s ({ratio:.2f})   tail (< {args.workers} busy) {r['tail']:6.1f} s")
    for name, lines in same.items():
        print(f"  frames of '{name}' against --jobs: " + "; ".join(lines))
    extras = []
    for scene, costs in chunks.items():
        if len(costs) > 1 and scene in whole:
            extras.append((sum(costs) - whole[scene]) / (len(costs) - 1))
            print(
                f"  {scene}: whole {whole[scene]:.1f} s; {len(costs)} chunks " + " + ".join(f"{c:.1f}" for c in costs)
            )
    extra = max(0.0, sum(extras) / len(extras)) if extras else 0.0
    print(f"  extra cost of one more chunk (start-up, construct, TeX): {extra:.1f} s on average")
    scale = PIXEL_RATE["k"] / PIXEL_RATE[args.quality]
    scenes = len(whole) * args.lessons
    print(f"On paper: {args.lessons} lessons = {scenes} scenes at 4K, drawing x{scale:.1f} of -q {args.quality}:")
    total = sum(extra + (c - extra) * scale for c in [list(whole.values())[i % len(whole)] for i in range(scenes)])
    print(f"  total work {total / 3600:.1f} worker-hours")
    for workers in (8, 32):
        wall, count = estimate(whole, extra, scale, scenes, workers)
        print(f"  {workers:>2} workers: about {wall / 3600:.2f} h ({count} chunks)")


if __name__ == "__main__":
    main()
