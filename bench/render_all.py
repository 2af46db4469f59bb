"""Rendering the whole lesson: wall time against video length, each scene against an empty floor
of its own length, where each scene's time goes, memory per scene.

In one run:

1. ``nnviz render --all --jobs J -q Q --disable-caching``: every frame drawn and encoded, the
   wall time of the whole lesson and of each scene, the peak memory of each manim process
   (``os.wait4``'s ``ru_maxrss``); with ``--profile`` under ``py-spy record --subprocesses``
   (sampling, in its own process), which gives each scene's three largest costs;
2. the floors: ``bench/floor.py LengthFloor`` (one dot moving) rendered for each scene's video
   length with the same quality, x264 preset and ``--disable_caching``, J at a time as the
   scenes were.

Then prints, per scene, the video length (PyAV), its wall and CPU time (user + system, from
``os.wait4``), its floor's, their ratios, peak memory and the largest costs, and checks the
targets (the CPU ratio says the same less disturbed by other jobs on a shared machine):

* the lesson's wall time is at most 1.5x its total video length;
* every scene renders in at most 2x its own-length floor;
* every scene renders in at most 1 GiB.

    .venv/bin/python bench/render_all.py [-q h] [--jobs 2] [--profile] [--keep DIR] [--check]

``--profile`` needs py-spy (``pip install -e .[bench]``) and permission to trace child processes.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import av

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from profiles import SceneProfile, read_profiles  # noqa: E402

from nnviz.lesson.catalog import SCENES, default_scenes_dir  # noqa: E402
from nnviz.lesson.media_folder import X264_PRESET  # noqa: E402
from nnviz.lesson.process import wait_with_usage  # noqa: E402

GIB = 2**30
TARGET_WALL_PER_VIDEO = 1.5
TARGET_PER_FLOOR = 2.0
TARGET_PEAK = 1 * GIB
#: py-spy's sampling rate (Hz): low enough that the sampler's own process costs little.
SAMPLE_RATE = 50


def render(
    names: list[str] | None, quality: str, jobs: int, media: Path, *extra: str, profile: Path | None = None
) -> tuple[float, list[dict]]:
    """One ``nnviz render`` run (under py-spy when ``profile``); its wall time and JSON report.

    The run has an empty user cache of its own beside ``media``: TeX compiles every formula once,
    as on a machine where nnviz's formula store is still empty.
    """
    scenes = ["--all"] if names is None else names
    command = [sys.executable, "-m", "nnviz", "render", *scenes, "-q", quality, "--jobs", str(jobs)]
    command += ["--media-dir", str(media), "--json", *extra]
    if profile is not None:
        spy = ["py-spy", "record", "--subprocesses", "--threads", "-r", str(SAMPLE_RATE), "-f", "raw"]
        command = [*spy, "-o", str(profile), "--", *command]
    start = time.perf_counter()
    env = {**os.environ, "XDG_CACHE_HOME": str(media.parent / f"{media.name}-user-cache")}
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env)
    wall = time.perf_counter() - start
    if done.returncode == 2:
        sys.exit(f"render_all: nnviz render refused: {done.stderr.strip()}")
    report, _ = json.JSONDecoder().raw_decode(done.stdout[done.stdout.index("[") :])  # py-spy talks too
    if done.returncode != 0:
        print(done.stderr, file=sys.stderr)
    return wall, report


def duration(path: str | None) -> float:
    if not path:
        return 0.0
    with av.open(path) as container:
        return (container.duration or 0) / 1e6


def floor_seconds(seconds: float, quality: str, media: Path) -> tuple[float, float]:
    """Wall and CPU time of ``LengthFloor`` rendered for ``seconds`` of video, every frame drawn."""
    env = {**os.environ, "NNVIZ_FLOOR_SECONDS": f"{seconds:.3f}"}
    command = [sys.executable, "-m", "manim", "render", f"-q{quality}", "--disable_caching", "--silent"]
    command += ["--encoder-option", f"preset={X264_PRESET}"]  # encoded as nnviz render encodes
    command += ["--progress_bar", "none", "--media_dir", str(media), str(ROOT / "bench" / "floor.py"), "LengthFloor"]
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=media)
    code, _, cpu = wait_with_usage(proc)
    if code != 0:
        sys.exit(f"render_all: the {seconds:.1f} s floor failed (exit {code})")
    return time.perf_counter() - start, cpu or 0.0


def floors(lengths: list[float], quality: str, jobs: int, folder: Path) -> list[tuple[float, float]]:
    """Each length's floor, ``jobs`` floors rendering at a time (each in a media folder of its own)."""

    def one(item: tuple[int, float]) -> tuple[float, float]:
        media = folder / f"floor{item[0]}"
        media.mkdir(parents=True)
        shutil.copy(ROOT / "manim.cfg", media / "manim.cfg")
        return floor_seconds(item[1], quality, media)

    with ThreadPoolExecutor(jobs) as pool:
        return list(pool.map(one, enumerate(lengths)))


def costs(profile: SceneProfile | None) -> str:
    """A scene's three largest costs, as ``phase share% (largest function)``."""
    if profile is None or not profile.samples:
        return ""
    return "; ".join(f"{phase} {share:.0%} ({function})" for phase, share, function in profile.largest(3))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenes", nargs="*", help="scenes to render (default: the whole lesson)")
    parser.add_argument("-q", "--quality", default="h", choices=["l", "m", "h", "p", "k"])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--profile", action="store_true", help="sample the manim processes with py-spy")
    parser.add_argument("--keep", metavar="DIR", help="render into DIR and keep it (default: a temp folder)")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()
    if args.profile and shutil.which("py-spy") is None:
        print("render_all: --profile needs py-spy on PATH: pip install -e .[bench]", file=sys.stderr)
        return 2

    folder = default_scenes_dir()
    names = args.scenes or None
    written = [s.name for s in SCENES if s.path(folder).is_file()]
    if names is None and len(written) < len(SCENES):
        names = written

    with tempfile.TemporaryDirectory(prefix="nnviz-bench-") as tmp:
        media = Path(args.keep) if args.keep else Path(tmp) / "media"
        samples = Path(tmp) / "profile.txt" if args.profile else None
        wall1, first = render(names, args.quality, args.jobs, media, "--disable-caching", profile=samples)
        lengths = {r["scene"]: duration(r["output"]) for r in first if r["ok"]}
        floor_runs = floors([lengths.get(r["scene"], 0.0) or 1.0 for r in first], args.quality, args.jobs, Path(tmp))
        profiles = read_profiles(samples) if samples and samples.is_file() else {}
        if args.keep and samples:
            shutil.copy(samples, Path(args.keep) / "profile.txt")

    header = (
        f"{'scene':<24}{'video s':>8}{'wall s':>8}{'floor s':>8}{'ratio':>7}"
        f"{'CPU s':>8}{'floor s':>8}{'ratio':>7}{'peak MiB':>9}"
    )
    print(header + "  largest costs (share of the scene's samples)")
    print("-" * len(header))
    walls, cpus, peaks = [], [], []
    for a, (floor_wall, floor_cpu) in zip(first, floor_runs):
        peak = a["peak_rss_bytes"] or 0
        cpu = a.get("cpu_seconds") or 0.0
        walls.append((a["seconds"] / floor_wall, a["scene"]))
        cpus.append((cpu / floor_cpu if floor_cpu else 0.0, a["scene"]))
        peaks.append(peak)
        status = "" if a["ok"] else "  FAILED"
        print(
            f"{a['scene']:<24}{lengths.get(a['scene'], 0):>8.1f}{a['seconds']:>8.1f}{floor_wall:>8.1f}"
            f"{walls[-1][0]:>7.2f}{cpu:>8.1f}{floor_cpu:>8.1f}{cpus[-1][0]:>7.2f}{peak / 2**20:>9.0f}"
            f"  {costs(profiles.get(a['scene']))}{status}"
        )
    total = sum(lengths.values())
    total_cpu = sum(r.get("cpu_seconds") or 0.0 for r in first)
    floor_cpu_total = sum(cpu for _, cpu in floor_runs)
    print("-" * len(header))
    print(f"{'lesson':<24}{total:>8.1f}{wall1:>8.1f}{'':>15}{total_cpu:>8.1f}{floor_cpu_total:>8.1f}", end="")
    print(f"   (--jobs {args.jobs})")
    print()

    checks = [
        (f"lesson wall / video length = {wall1 / total:.2f} (target <= {TARGET_WALL_PER_VIDEO})",
         total > 0 and wall1 <= TARGET_WALL_PER_VIDEO * total),
        (f"largest scene wall / its floor's = {max(walls)[0]:.2f}, {max(walls)[1]} (target <= {TARGET_PER_FLOOR})",
         max(walls)[0] <= TARGET_PER_FLOOR),
        (f"largest scene CPU / its floor's = {max(cpus)[0]:.2f}, {max(cpus)[1]} (the same target, in CPU time)",
         max(cpus)[0] <= TARGET_PER_FLOOR),
        (f"largest peak memory = {max(peaks) / GIB:.2f} GiB (target <= 1 GiB)", max(peaks) <= TARGET_PEAK),
    ]  # fmt: skip
    for text, ok in checks:
        print(f"{'ok  ' if ok else 'MISS'} {text}")
    if any(not r["ok"] for r in first):
        return 1
    return 1 if args.check and not all(ok for _, ok in checks) else 0


if __name__ == "__main__":
    sys.exit(main())
