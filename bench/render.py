"""Scene rendering benchmark: wall and CPU time of each scene in bench/scenes.py against EmptyFloor.

Renders every scene at 1080p60 (``manim render -qh``) with ``--disable_caching`` and the x264
preset ``nnviz render`` uses (``--preset`` to choose another), each in its own manim process
(start-up included, as a lecturer's render), ``--repeat`` times, interleaving the scenes so
that a busy machine slows them all alike. Prints the median and minimum wall time of each, its
median CPU time (user + system, ``os.wait4``: steadier than wall time on a shared machine) and
both ratios to ``EmptyFloor`` (a dot moving for the same 4 seconds) against each scene's target.
``--check`` exits non-zero when a target is missed.

    .venv/bin/python bench/render.py [--repeat 3] [--quality h] [--preset P] [--reference] [--check] [SCENE ...]
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
sys.path.insert(0, str(ROOT))
from nnviz.lesson.media_folder import X264_PRESET  # noqa: E402
from nnviz.lesson.process import wait_with_usage  # noqa: E402

SCENES_FILE = ROOT / "bench" / "scenes.py"
FLOOR = "EmptyFloor"
#: scenes held to a target (their ratio to the floor); the others are printed for reference
TARGETS = {"ForwardPass": 1.2, "AllEdgesForwardPass": 1.5, "WeightGridsFadeIn": 3.0}
REFERENCE = ["WeightGridsManimFadeIn"]


def render_once(scene: str, quality: str, media_dir: Path, preset: str | None) -> tuple[float, float]:
    """Render ``scene`` once in a fresh manim process; its wall and CPU seconds."""
    cmd = [sys.executable, "-m", "manim", "render", f"-q{quality}", "--disable_caching"]
    if preset:
        cmd += ["--encoder-option", f"preset={preset}"]
    cmd += ["--media_dir", str(media_dir), str(SCENES_FILE), scene]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert proc.stdout is not None
    output = proc.stdout.read()  # drained as it comes: a full pipe would stall manim
    code, _, cpu = wait_with_usage(proc)
    elapsed = time.perf_counter() - start
    if code != 0:
        sys.stderr.write(output.decode(errors="replace")[-4000:])
        raise SystemExit(f"rendering {scene} failed (exit {code})")
    return elapsed, cpu if cpu is not None else float("nan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scenes", nargs="*", help="scenes to time (default: all, EmptyFloor always)")
    parser.add_argument("--repeat", type=int, default=3, help="renders per scene (the median is reported)")
    parser.add_argument("--quality", default="h", choices=list("lmhpk"), help="manim -q flag (h = 1080p60)")
    parser.add_argument(
        "--preset", default=X264_PRESET, help=f"x264 preset (default: nnviz render's, {X264_PRESET}; '' for manim's)"
    )
    parser.add_argument("--check", action="store_true", help="exit 1 if a target scene misses its target")
    parser.add_argument("--reference", action="store_true", help="also time " + ", ".join(REFERENCE))
    args = parser.parse_args(argv)
    chosen = args.scenes or ([*TARGETS] + (REFERENCE if args.reference else []))
    scenes = [FLOOR] + [s for s in chosen if s != FLOOR]
    times: dict[str, list[tuple[float, float]]] = {s: [] for s in scenes}
    with tempfile.TemporaryDirectory(prefix="nnviz-bench-") as tmp:
        for run in range(args.repeat):
            for scene in scenes:
                wall, cpu = render_once(scene, args.quality, Path(tmp), args.preset or None)
                times[scene].append((wall, cpu))
                print(f"run {run + 1}/{args.repeat}  {scene:<24} {wall:7.2f} s, CPU {cpu:7.2f} s", flush=True)
    floor_wall = statistics.median(w for w, _ in times[FLOOR])
    floor_cpu = statistics.median(c for _, c in times[FLOOR])
    print()
    preset = args.preset or "manim's default"
    print(f"manim -q{args.quality} --disable_caching, x264 preset {preset}, {args.repeat} run(s) each")
    print(f"{'scene':<24} {'wall s':>7} {'min s':>7} {'x floor':>8} {'CPU s':>7} {'x floor':>8}  target")
    failed = False
    for scene in scenes:
        wall = statistics.median(w for w, _ in times[scene])
        cpu = statistics.median(c for _, c in times[scene])
        ratio, cpu_ratio = wall / floor_wall, cpu / floor_cpu
        if scene == FLOOR:
            verdict = "floor"
        elif scene in TARGETS:
            ok = ratio <= TARGETS[scene]
            failed |= not ok
            verdict = f"<= {TARGETS[scene]:g}x {'met' if ok else 'MISSED'} (wall)"
        else:
            verdict = "reference"
        low = min(w for w, _ in times[scene])
        print(f"{scene:<24} {wall:7.2f} {low:7.2f} {ratio:7.2f}x {cpu:7.2f} {cpu_ratio:7.2f}x  {verdict}")
    return 1 if (args.check and failed) else 0


if __name__ == "__main__":
    sys.exit(main())
