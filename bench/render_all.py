"""Rendering the whole lesson: wall time against video length, re-render cost, memory per scene.

Runs ``nnviz render --all --jobs 2 -q h`` three times into one fresh media folder:

1. cold: nothing cached;
2. again, unchanged: ``nnviz render`` sees every scene's inputs unchanged and starts no manim;
3. again with ``--force``: manim runs and replays each animation from its own cache
   (``nnviz render`` never passes ``--disable_caching`` unless asked), which still builds and
   hashes every mobject: the cost of re-rendering after an edit that changed nothing visible.

Then prints, per scene, the video length (PyAV), the render time of each run and the peak
memory of its manim process (``os.wait4``'s ``ru_maxrss``), and checks three targets:

* the first render's wall time is at most 3x the total video length;
* the second render takes at most 15% of the first's wall time (the third is reported too);
* every scene renders in less than 1.5 GiB.

While scenes are still being written it renders the ones whose files exist.

    .venv/bin/python bench/render_all.py [-q h] [--jobs 2] [--keep DIR] [--check]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import av

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from nnviz.lesson.catalog import SCENES, default_scenes_dir  # noqa: E402

GIB = 2**30
TARGET_WALL_PER_VIDEO = 3.0
TARGET_SECOND_RUN = 0.15
TARGET_PEAK = 1.5 * GIB


def render(names: list[str] | None, quality: str, jobs: int, media: Path, *extra: str) -> tuple[float, list[dict]]:
    """One ``nnviz render`` run; its wall time and its per-scene JSON report."""
    scenes = ["--all"] if names is None else names
    command = [
        sys.executable,
        "-m",
        "nnviz",
        "render",
        *scenes,
        "-q",
        quality,
        "--jobs",
        str(jobs),
        "--media-dir",
        str(media),
        "--json",
        *extra,
    ]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - start
    if done.returncode == 2:
        sys.exit(f"render_all: nnviz render refused: {done.stderr.strip()}")
    report = json.loads(done.stdout)
    if done.returncode != 0:
        print(done.stderr, file=sys.stderr)
    return wall, report


def duration(path: str | None) -> float:
    if not path:
        return 0.0
    with av.open(path) as container:
        return (container.duration or 0) / 1e6


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-q", "--quality", default="h", choices=["l", "m", "h", "p", "k"])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--keep", metavar="DIR", help="render into DIR and keep it (default: a temp folder)")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()

    folder = default_scenes_dir()
    written = [s.name for s in SCENES if s.path(folder).is_file()]
    if not written:
        print("render_all: no scene files written yet in", folder, file=sys.stderr)
        return 2
    names = None if len(written) == len(SCENES) else written
    if names:
        print(f"rendering the {len(written)} of {len(SCENES)} scenes written so far: {', '.join(written)}")

    with tempfile.TemporaryDirectory(prefix="nnviz-bench-") as tmp:
        media = Path(args.keep) if args.keep else Path(tmp) / "media"
        wall1, first = render(names, args.quality, args.jobs, media)
        wall2, second = render(names, args.quality, args.jobs, media)
        wall3, third = render(names, args.quality, args.jobs, media, "--force")
        lengths = {r["scene"]: duration(r["output"]) for r in first if r["ok"]}

    header = f"{'scene':<24}{'video s':>9}{'cold s':>9}{'again s':>9}{'--force s':>11}{'cached':>9}{'peak MiB':>10}"
    print(header)
    print("-" * len(header))
    peaks = []
    for a, b, c in zip(first, second, third):
        peak = max(r["peak_rss_bytes"] or 0 for r in (a, b, c))
        peaks.append(peak)
        status = "" if a["ok"] and b["ok"] and c["ok"] else "  FAILED"
        cached = f"{c['cached_animations']}/{c['animations']}"
        print(
            f"{a['scene']:<24}{lengths.get(a['scene'], 0):>9.1f}{a['seconds']:>9.1f}{b['seconds']:>9.1f}"
            f"{c['seconds']:>11.1f}{cached:>9}{peak / 2**20:>10.0f}{status}"
        )
    total = sum(lengths.values())
    print("-" * len(header))
    print(f"{'wall time':<24}{total:>9.1f}{wall1:>9.1f}{wall2:>9.1f}{wall3:>11.1f}   (--jobs {args.jobs})")
    print()

    checks = [
        (
            f"cold render wall / video length = {wall1 / total:.2f} (target <= {TARGET_WALL_PER_VIDEO})"
            if total
            else "cold render wall / video length: no video",
            total > 0 and wall1 <= TARGET_WALL_PER_VIDEO * total,
        ),
        (
            f"unchanged re-render / cold = {wall2 / wall1:.1%} (target <= {TARGET_SECOND_RUN:.0%})",
            wall2 <= TARGET_SECOND_RUN * wall1,
        ),
        (f"largest peak memory = {max(peaks) / GIB:.2f} GiB (target < 1.5 GiB)", max(peaks) < TARGET_PEAK),
    ]
    for text, ok in checks:
        print(f"{'ok  ' if ok else 'MISS'} {text}")
    print(f"info --force re-render (manim's animation cache) / cold = {wall3 / wall1:.1%}")
    failed = any(not r["ok"] for r in (*first, *second, *third))
    if failed:
        return 1
    return 1 if args.check and not all(ok for _, ok in checks) else 0


if __name__ == "__main__":
    sys.exit(main())
