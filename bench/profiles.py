"""Where a render's time goes: py-spy's raw samples of ``nnviz render``'s manim processes, per scene.

``py-spy record --subprocesses --threads -f raw`` writes one line per distinct stack, root first:
``process PID:"CMDLINE";thread (TID): NAME;func (file:line);...;func (file:line) COUNT`` (a child
process's stack starts with its parents' process frames). A manim
process's command line ends with its scene's class name, so every sample belongs to a scene. Each
sample is put in one phase of a render (the first marker found, from the root), and the phase's
largest Python function by own time is named beside it.

    >>> phase_of(["thread (1): partial-movie-encoder-0", "encode (av/video/stream.py:1)"])
    'video encoder'
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

#: (phase, markers): a sample whose stack holds one of the markers (a substring of a frame's
#: function name) is in that phase; checked in this order.
PHASES: list[tuple[str, tuple[str, ...]]] = [
    ("frame copies", ("CairoRenderer.get_frame", "Camera.set_frame_to_background", "Camera.reset (")),
    ("Cairo drawing", ("CairoRenderer.update_frame", "Camera.capture_mobjects")),
    ("frame hand-off", ("SceneFileWriter.write_frame", "CairoRenderer.add_frame")),
    ("animation steps", ("Scene.update_mobjects", "Animation.interpolate", "Scene.play_internal")),
    ("animation set-up", ("Scene.begin_animations", "compile_animation_data", "Animation.begin")),
    ("writing the video", ("SceneFileWriter.finish", "combine_", "join_all_encode_jobs")),
    ("construct", (".construct",)),
]
#: Threads whose samples are their own phase (name prefix -> phase), or are dropped (None).
THREADS: dict[str, str | None] = {"partial-movie-encoder": "video encoder", "tqdm_monitor": None}
OTHER = "start-up, imports and exit"
PROCESS = re.compile(r'^process (\d+):"(.*)"$')
THREAD = re.compile(r"^thread \(\d+\)(?::\s*(.*))?$")


def phase_of(frames: list[str]) -> str | None:
    """The phase of one sample's stack (root first, the process frame already removed)."""
    thread = THREAD.match(frames[0]) if frames else None
    name = (thread.group(1) or "") if thread else ""
    for prefix, phase in THREADS.items():
        if name.startswith(prefix):
            return phase
    for phase, markers in PHASES:
        if any(marker in frame for frame in frames for marker in markers):
            return phase
    return OTHER


def function_name(frame: str) -> str:
    """``Camera.apply_stroke (/x/manim/camera/camera.py:812)`` -> ``Camera.apply_stroke (camera.py)``."""
    if THREAD.match(frame):
        return "(native code)"
    name, _, where = frame.partition(" (")
    file = Path(where.rsplit(":", 1)[0]).name if where else ""
    return f"{name} ({file})" if file else name


@dataclass
class SceneProfile:
    """One scene's samples: per phase, and per phase the own-time of each function."""

    samples: int = 0
    phases: Counter[str] = field(default_factory=Counter)
    leaves: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))

    def largest(self, count: int = 3) -> list[tuple[str, float, str]]:
        """The ``count`` largest phases: (phase, share of the samples, its largest function)."""
        total = self.samples or 1
        return [
            (phase, n / total, self.leaves[phase].most_common(1)[0][0]) for phase, n in self.phases.most_common(count)
        ]


def scene_of(command: str) -> str | None:
    """The scene a manim command line renders (its last word), or None for another process."""
    words = command.split()
    return words[-1] if "manim" in words and "render" in words else None


def read_profiles(path: Path) -> dict[str, SceneProfile]:
    """Every scene's profile in a py-spy raw file of ``nnviz render`` run with ``--subprocesses``."""
    profiles: dict[str, SceneProfile] = defaultdict(SceneProfile)
    for line in path.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        frames = stack.split(";")
        nested = 0  # a child's stack starts with its parents' process frames: the last is its own
        while nested < len(frames) and PROCESS.match(frames[nested]):
            nested += 1
        if not nested or not count.isdigit():
            continue
        process = PROCESS.match(frames[nested - 1])
        assert process is not None
        scene = scene_of(process.group(2))
        frames = frames[nested:]
        phase = phase_of(frames)
        if scene is None or phase is None:
            continue
        profile = profiles[scene]
        profile.samples += int(count)
        profile.phases[phase] += int(count)
        leaf = frames[-1]
        profile.leaves[phase][function_name(leaf)] += int(count)
    return dict(profiles)
