"""Cold start of the core commands: ``nnviz info`` and ``nnviz predict DIGIT.png``, target <= 0.4 s.

Each run is a fresh process of the installed ``nnviz`` command (beside this Python; else
``python -m nnviz``) started in an empty temporary folder, so nothing is reused but the disk
cache. The digit is the embedded held-out split's first image, saved as a PNG. The two
commands alternate, so that a busy machine slows both alike; the figures are medians of wall
time and of the process's CPU time (user + system), which a busy machine inflates less.
Each round also times three floors, bare Python processes that import only what the
commands cannot do without: numpy; numpy and scipy.special (the sigmoid, bit for bit the
shipped network's); and for ``predict`` also scipy.ndimage and PIL. A command's median
minus its floor's is what nnviz itself costs, a figure a busy machine distorts less than
the totals. ``--imports K`` adds the import-time report (``python -X importtime``) of K more runs of
each command: the cheapest cumulative milliseconds of the modules that dominate start-up.
``--against DIR`` also times the nnviz package in DIR (for example an earlier commit's,
``git archive COMMIT nnviz | tar -x -C DIR``) in turn with this checkout's, both as
``python -m nnviz``: a before/after comparison under the same load.

    .venv/bin/python bench/startup.py [--repeats 11] [--imports 5] [--against DIR] [--check]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

TARGET = 0.4  # seconds, median wall time of each command

# The modules worth naming in the import report, in the order they load. scipy.ndimage is not
# among them: scipy loads it through importlib.import_module, which -X importtime does not
# report, so its cost (scipy.special's included) shows in nnviz.core.preprocess's.
REPORTED = (
    "numpy",
    "nnviz",
    "nnviz.cli",
    "nnviz.api",
    "nnviz.core.datasets",
    "nnviz.core.training",
    "nnviz.core.preprocess",
    "PIL.Image",
    "scipy.special",
    "scipy._lib._array_api",
    "numpy.f2py",
    "numpy.testing",
    "numpy.ma",
)


# Label -> Python code of the floors (see the module docstring).
FLOORS = {
    "python + numpy": "import numpy",
    "... + scipy.special": "import numpy, scipy.special",
    "... + scipy.ndimage, PIL": "import numpy, scipy.special, scipy.ndimage, PIL.Image",
}


def nnviz_command() -> list[str]:
    """The ``nnviz`` console script of this environment, as a user runs it."""
    script = Path(sys.executable).with_name("nnviz")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "nnviz"]


def write_digit(folder: Path) -> Path:
    """The embedded held-out split's first digit as ``folder/digit.png`` (white ink on black)."""
    from PIL import Image

    from nnviz.core.datasets import load_dataset

    path = folder / "digit.png"
    Image.fromarray(load_dataset(split="test").images[0]).save(path)
    return path


def timed(command: Sequence[str], cwd: Path, env: dict[str, str] | None = None) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one run of ``command``, which must succeed."""
    before = os.times()
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = os.times()
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({result.returncode}):\n{result.stderr}")
    return wall, (after.children_user - before.children_user) + (after.children_system - before.children_system)


def import_times(args: Sequence[str], cwd: Path) -> dict[str, int]:
    """Cumulative microseconds per module of one ``python -X importtime -m nnviz ARGS`` run, and the total."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "nnviz", *args], cwd=cwd, capture_output=True, text=True
    )
    times: dict[str, int] = {"(all imports)": 0}
    for line in result.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        own, cumulative, name = line.removeprefix("import time:").split("|")
        times.setdefault(name.strip(), int(cumulative))
        times["(all imports)"] += int(own)
    return times


def variants(against: Path | None) -> dict[str, tuple[list[str], dict[str, str] | None]]:
    """Label -> (command, environment) of each nnviz to time; the target applies to the first."""
    if against is None:
        return {"": (nnviz_command(), None)}
    module = [sys.executable, "-m", "nnviz"]
    here = Path(__file__).resolve().parents[1]
    return {
        "this checkout": (module, {**os.environ, "PYTHONPATH": str(here)}),
        str(against): (module, {**os.environ, "PYTHONPATH": str(against.resolve())}),
    }


def print_imports(commands: dict[str, list[str]], cwd: Path, runs: int) -> None:
    """The import-time table of ``runs`` runs of each command: cheapest cumulative ms per module."""
    reports: dict[str, list[dict[str, int]]] = {name: [] for name in commands}
    for _ in range(runs):  # in turn, as the timed runs
        for name, words in commands.items():
            reports[name].append(import_times(words, cwd))
    print(f"\nimport time, cheapest of {runs} runs, cumulative ms")
    print(f"{'module':24s}" + "".join(f"{name:>10s}" for name in commands))
    for module in ("(all imports)", *REPORTED):
        row = [min((r[module] for r in reports[name] if module in r), default=None) for name in commands]
        print(f"{module:24s}" + "".join(f"{'-' if us is None else f'{us / 1000:.0f}':>10s}" for us in row))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=11, help="timed runs of each command (default 11)")
    parser.add_argument("--imports", type=int, default=0, metavar="K", help="also K import-time runs of each")
    parser.add_argument("--against", type=Path, metavar="DIR", help="also time the nnviz package in DIR, in turn")
    parser.add_argument("--check", action="store_true", help=f"exit 1 if a median exceeds {TARGET} s")
    args = parser.parse_args(argv)
    timed_variants = variants(args.against)
    first = next(iter(timed_variants))
    with tempfile.TemporaryDirectory(prefix="nnviz-startup-") as tmp:
        digit = write_digit(Path(tmp))
        run = Path(tmp) / "run"  # empty: no weights, data or settings to find
        run.mkdir()
        commands = {"info": ["info"], "predict": ["predict", str(digit)]}
        shown = " ".join(timed_variants[first][0]) if first == "" else "python -m nnviz"
        print(f"{shown}, {args.repeats} runs each, load average {os.getloadavg()[0]:.2f}")
        figures: dict[tuple[str, str], list[tuple[float, float]]] = {
            (v, name): [] for v in timed_variants for name in commands
        }
        figures.update({("floor", label): [] for label in FLOORS})
        for _ in range(args.repeats):
            for v, (nnviz, env) in timed_variants.items():
                for name, words in commands.items():
                    figures[v, name].append(timed([*nnviz, *words], run, env))
            for label, code in FLOORS.items():
                figures["floor", label].append(timed([sys.executable, "-c", code], run))
        met = True
        for (v, name), runs in figures.items():
            wall = statistics.median(w for w, _ in runs)
            cpu = statistics.median(c for _, c in runs)
            met &= wall <= TARGET or v != first
            what = f"floor: {name:24s}" if v == "floor" else f"{v + ': ' if v else ''}nnviz {name:8s}"
            print(
                f"{what} median {wall:.3f} s wall, {cpu:.3f} s CPU "
                f"(runs {min(w for w, _ in runs):.3f}-{max(w for w, _ in runs):.3f} s)"
            )
        print(f"target <= {TARGET} s: {'met' if met else 'NOT met'} (load average {os.getloadavg()[0]:.2f})")
        if args.imports > 0:
            print_imports(commands, run, args.imports)
    return 1 if args.check and not met else 0


if __name__ == "__main__":
    sys.exit(main())
