"""Where a scene may be cut for a cluster: its beats, the animations they start at, and runs of beats.

A chunk is a run of whole beats, rendered on its own with manim's ``-n START,END`` (animations
START..END, 0-based and inclusive; manim replays the earlier ones without drawing them). A
scene's :class:`ScenePlan` comes from a fast pass that skips every animation and records, for
each section (beat) the index of the animation it starts at, and each animation's run time
(:mod:`nnviz.lesson.chunk_scene`). :func:`split_at_beats` turns it into animation ranges of
about equal video time. Plain data and arithmetic: nothing here imports manim.

>>> plan = ScenePlan(beats=(("intro", 0), ("layer", 2), ("output", 3)), run_times=(1.0, 1.0, 2.0, 2.0))
>>> split_at_beats(plan, 3.0)
[(0, 1), (2, 3)]
>>> split_at_beats(plan, 0)          # every beat a chunk of its own
[(0, 1), (2, 2), (3, 3)]
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class ScenePlan:
    """A scene's beats as ``(name, index of the animation the beat starts at)``, and run times.

    >>> ScenePlan(beats=(("a", 0), ("b", 1)), run_times=(0.5, 1.5)).seconds
    2.0
    """

    beats: tuple[tuple[str, int], ...]
    run_times: tuple[float, ...]

    @property
    def animations(self) -> int:
        """How many animations (``play`` and ``wait`` calls) the scene has."""
        return len(self.run_times)

    @property
    def seconds(self) -> float:
        """The scene's length in video seconds (the sum of the run times)."""
        return float(sum(self.run_times))

    def cut_points(self) -> list[int]:
        """Animation indices where a chunk may start: 0 and each beat's first animation.

        >>> ScenePlan(beats=(("a", 0), ("empty", 1), ("b", 1), ("end", 2)), run_times=(1.0, 1.0)).cut_points()
        [0, 1]
        """
        return sorted({0, *(start for _, start in self.beats if 0 < start < self.animations)})

    def to_json(self) -> dict[str, object]:
        """The plan as JSON-ready data (what the planning pass writes)."""
        return {"beats": [list(b) for b in self.beats], "run_times": list(self.run_times)}

    @classmethod
    def from_json(cls, data: dict[str, object]) -> ScenePlan:
        """The plan :meth:`to_json` wrote.

        >>> ScenePlan.from_json({"beats": [["a", 0]], "run_times": [1]})
        ScenePlan(beats=(('a', 0),), run_times=(1.0,))
        """
        beats = data.get("beats", [])
        times = data.get("run_times", [])
        if not isinstance(beats, list) or not isinstance(times, list):
            raise ValueError("a scene plan has lists of beats and run times")
        return cls(tuple((str(n), int(s)) for n, s in beats), tuple(float(t) for t in times))


def split_at_beats(plan: ScenePlan, seconds: float) -> list[tuple[int, int]]:
    """Animation ranges ``(first, last)`` (inclusive) of runs of whole beats, about ``seconds`` long.

    A scene no longer than ``seconds`` is one chunk; a longer one is cut into
    ``ceil(length / seconds)`` runs (at most one per beat), each cut at the beat boundary
    nearest to an equal share of the video time. ``seconds`` 0 puts every beat in a chunk of
    its own. A scene without animations has no chunk.

    >>> plan = ScenePlan(beats=(("a", 0), ("b", 1), ("c", 2), ("d", 3)), run_times=(4.0, 1.0, 1.0, 4.0))
    >>> split_at_beats(plan, 100), split_at_beats(plan, 5)
    ([(0, 3)], [(0, 1), (2, 3)])
    """
    if plan.animations == 0:
        return []
    points = plan.cut_points()
    starts_at = [sum(plan.run_times[:p]) for p in points]  # video time at each cut point
    total = plan.seconds
    if seconds <= 0:
        wanted = len(points)
    elif math.isinf(seconds):
        wanted = 1
    else:
        wanted = min(len(points), max(1, math.ceil(total / seconds - 1e-9)))
    chosen = [0]
    for k in range(1, wanted):
        target = total * k / wanted
        # Keep at least one cut point for each chunk still to come.
        options = range(chosen[-1] + 1, len(points) - (wanted - 1 - k))
        if not options:
            break
        chosen.append(min(options, key=lambda j: (abs(starts_at[j] - target), j)))
    firsts = [points[j] for j in chosen]
    lasts = [f - 1 for f in firsts[1:]] + [plan.animations - 1]
    return list(zip(firsts, lasts))


def auto_chunk_seconds(known: list[float], unknown: int, workers: int) -> float:
    """The chunk length that lets every worker share the work: the total video time / ``workers``.

    ``known`` are the lengths of the scenes whose plans are known; each of the ``unknown``
    others counts as their mean. A scene no longer than that is not cut at all: with more
    scenes than workers, cutting only adds the replay of ``construct`` that every chunk pays.
    With nothing known, nothing is cut (infinity).

    >>> auto_chunk_seconds([30.0, 10.0], unknown=0, workers=2), auto_chunk_seconds([30.0], unknown=1, workers=8)
    (20.0, 7.5)
    >>> auto_chunk_seconds([], unknown=3, workers=2)
    inf
    """
    if not known:
        return math.inf
    mean = sum(known) / len(known)
    return (sum(known) + mean * unknown) / max(1, workers)


__all__ = ["ScenePlan", "auto_chunk_seconds", "split_at_beats"]
