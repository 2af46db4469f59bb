"""Scene rendering benchmark: wall time of each scene in bench/scenes.py against EmptyFloor.

Renders every scene at 1080p60 (``manim render -qh``) with ``--disable_caching``, each in its own
manim process (start-up included, as a lecturer's render), ``--repeat`` times, interleaving the
scenes so that a busy machine slows them all alike. Prints the median and minimum wall time of
each and its ratio to ``EmptyFloor`` (a dot moving for the same 4 seconds); the target is every
nnviz scene within 3x. ``--check`` exits non-zero when a target is missed.

    .venv/bin/python bench/render.py [--repeat 3] [--quality h] [--reference] [--check] [SCENE ...]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCENES_FILE = ROOT / "bench" / "scenes.py"
FLOOR = "EmptyFloor"
#: scenes held to the target; the others are printed for reference
TARGETS = ["ForwardPass", "AllEdgesForwardPass", "WeightGridsFadeIn"]
REFERENCE = ["WeightGridsManimFadeIn"]
MAX_RATIO = 3.0


def render_once(scene: str, quality: str, media_dir: Path) -> float:
    """Render ``scene`` once in a fresh manim process; its wall time in seconds."""
    cmd = [
        sys.executable,
        "-m",
        "manim",
        "render",
        f"-q{quality}",
        "--disable_caching",
        "--media_dir",
        str(media_dir),
        str(SCENES_FILE),
        scene,
    ]
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-2000:] + done.stderr[-4000:])
        raise SystemExit(f"rendering {scene} failed (exit {done.returncode})")
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scenes", nargs="*", help="scenes to time (default: all, EmptyFloor always)")
    parser.add_argument("--repeat", type=int, default=3, help="renders per scene (the median is reported)")
    parser.add_argument("--quality", default="h", choices=list("lmhpk"), help="manim -q flag (h = 1080p60)")
    parser.add_argument("--check", action="store_true", help=f"exit 1 if a target scene exceeds {MAX_RATIO}x")
    parser.add_argument("--reference", action="store_true", help="also time " + ", ".join(REFERENCE))
    args = parser.parse_args(argv)
    chosen = args.scenes or (TARGETS + (REFERENCE if args.reference else []))
    scenes = [FLOOR] + [s for s in chosen if s != FLOOR]
    times: dict[str, list[float]] = {s: [] for s in scenes}
    with tempfile.TemporaryDirectory(prefix="nnviz-bench-") as tmp:
        for run in range(args.repeat):
            for scene in scenes:
                t = render_once(scene, args.quality, Path(tmp))
                times[scene].append(t)
                print(f"run {run + 1}/{args.repeat}  {scene:<24} {t:7.2f} s", flush=True)
    floor = statistics.median(times[FLOOR])
    print()
    print(f"manim -q{args.quality} --disable_caching, {args.repeat} run(s) each, median wall time")
    print(f"{'scene':<24} {'median s':>9} {'min s':>7} {'x floor':>8}  target")
    failed = False
    for scene in scenes:
        med = statistics.median(times[scene])
        ratio = med / floor
        if scene == FLOOR:
            verdict = "floor"
        elif scene in TARGETS:
            ok = ratio <= MAX_RATIO
            failed |= not ok
            verdict = f"<= {MAX_RATIO:g}x {'ok' if ok else 'MISSED'}"
        else:
            verdict = "reference"
        print(f"{scene:<24} {med:9.2f} {min(times[scene]):7.2f} {ratio:7.2f}x  {verdict}")
    return 1 if (args.check and failed) else 0


if __name__ == "__main__":
    sys.exit(main())
