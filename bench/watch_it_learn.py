"""WatchItLearn at 1080p60 against an empty floor of its own length (target: within 2x).

Renders ``scenes/watch_it_learn.py WatchItLearn`` with ``manim render -qh --disable_caching`` (the
shipped snapshots, default settings), reads the video's length, and renders ``bench/floor.py
LengthFloor`` (a dot moving for exactly that long) the same way; each render is its own manim
process, the two alternate ``--repeat`` times, and the medians are compared.

    .venv/bin/python bench/watch_it_learn.py [--repeat 3] [--quality h] [--check]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import av

ROOT = Path(__file__).resolve().parents[1]
MAX_RATIO = 2.0


def render(file: Path, scene: str, quality: str, media: Path, env: dict[str, str]) -> tuple[float, Path]:
    """Render once in a fresh manim process; (wall seconds, the video)."""
    cmd = [sys.executable, "-m", "manim", "render", f"-q{quality}", "--disable_caching"]
    cmd += ["--media_dir", str(media), str(file), scene]
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-2000:] + done.stderr[-4000:])
        raise SystemExit(f"rendering {scene} failed (exit {done.returncode})")
    [video] = sorted(media.glob(f"videos/{file.stem}/*/{scene}.mp4"))
    return elapsed, video


def seconds(video: Path) -> float:
    with av.open(str(video)) as container:
        return float(container.duration or 0) / av.time_base


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quality", default="h", choices=list("lmhpk"))
    parser.add_argument("--check", action="store_true", help=f"exit 1 above {MAX_RATIO}x")
    args = parser.parse_args(argv)
    env = {k: v for k, v in os.environ.items() if not k.startswith("NNVIZ_")}
    scene_times, floor_times = [], []
    with tempfile.TemporaryDirectory(prefix="nnviz-bench-") as tmp:
        for run in range(args.repeat):
            t, video = render(ROOT / "scenes" / "watch_it_learn.py", "WatchItLearn", args.quality, Path(tmp), env)
            length = seconds(video)
            scene_times.append(t)
            floor_env = {**env, "NNVIZ_FLOOR_SECONDS": f"{length:.3f}"}
            f, _ = render(ROOT / "bench" / "floor.py", "LengthFloor", args.quality, Path(tmp), floor_env)
            floor_times.append(f)
            print(
                f"run {run + 1}/{args.repeat}: WatchItLearn {t:7.2f} s, floor of {length:.1f} s video {f:7.2f} s",
                flush=True,
            )
    scene, floor = statistics.median(scene_times), statistics.median(floor_times)
    ratio = scene / floor
    print(
        f"-q{args.quality} --disable_caching, median of {args.repeat}: WatchItLearn {scene:.2f} s, floor {floor:.2f} s"
    )
    print(f"ratio {ratio:.2f}x (target <= {MAX_RATIO:g}x: {'met' if ratio <= MAX_RATIO else 'MISSED'})")
    return 1 if args.check and ratio > MAX_RATIO else 0


if __name__ == "__main__":
    sys.exit(main())
