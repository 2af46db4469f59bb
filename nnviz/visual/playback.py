"""Playing a recorded training run: every view moves from snapshot to snapshot together.

A *view* is a mobject with ``show_at(s)``, where ``s`` is a fractional snapshot index (2.5 is half
way from snapshot 2 to snapshot 3), and ``moving_parts()``, the parts that change continuously
(a picture cross-fading, a curve growing, bars). Discrete parts (numbers, texts) show the last
snapshot reached, :func:`reached`, and change only between two snapshots.

:func:`play_snapshots` plays one animation per snapshot interval, with the views' still parts
drawn once per animation (:func:`staged`) and the discrete parts updated between animations, so
only the continuous parts are redrawn every frame. Each animation maps its alpha to ``s``: no
``dt`` updater, so any frame (and any chunk of a scene rendered with ``-n``) is the same however
it is reached. :class:`SnapshotText` is the simplest view: a line of text per snapshot.

Example::

    from manim import Scene
    from nnviz import load_snapshots
    from nnviz.visual.learning_curve import LearningCurve
    from nnviz.visual.playback import SnapshotText, play_snapshots

    class Accuracy(Scene):
        def construct(self):
            run = load_snapshots()
            curve = LearningCurve(run.epochs, run.accuracy, 40, 1, "held-out accuracy")
            label = SnapshotText([f"after {s} mini-batches" for s in run.steps]).to_edge(DOWN)
            self.add(curve, label)
            play_snapshots(self, [curve, label], 0, len(run) - 1, seconds=0.3)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Generic, Protocol, TypeVar

import numpy as np
from manim import DOWN, LEFT, RIGHT, Group, Mobject, Scene, Text, UpdateFromAlphaFunc, VGroup, linear

from ..core.errors import NnvizError
from ..theme import get_theme

T = TypeVar("T")


class Shared(Generic[T]):
    """A value that every copy of a mobject shares (manim deep-copies a mobject for each animation).

    For caches and read-only data, such as every snapshot's picture or the texts built so far.

    >>> import copy
    >>> cache = Shared({})
    >>> copy.deepcopy(cache) is cache
    True
    """

    def __init__(self, value: T) -> None:
        self.value = value

    def __deepcopy__(self, memo: dict[int, Any]) -> Shared[T]:
        return self


class SnapshotView(Protocol):
    """What :func:`play_snapshots` drives."""

    def show_at(self, s: float) -> Any: ...

    def moving_parts(self) -> Mobject: ...


def reached(s: float, count: int) -> int:
    """The snapshot a discrete value (a number, a colour) shows at ``s``: the last one reached.

    >>> reached(2.0, 10), reached(2.99, 10), reached(3.0, 10), reached(12.0, 10)
    (2, 2, 3, 9)
    """
    return int(np.clip(np.floor(s + 1e-9), 0, count - 1))


#: Single characters as Text, by (character, font size, colour): shared by every number set in glyphs.
_GLYPHS: dict[tuple[str, float, str], Text] = {}


def glyph_text(s: str, font_size: float, color: str) -> VGroup:
    """``s`` (a number such as '92.7%') set from cached one-character Texts, on a common baseline.

    Setting a Text costs tens of milliseconds (Pango, then an SVG read); a run's hundreds of
    numbers reuse the dozen characters they are made of. Characters are spaced by their ink
    plus a small gap, which suits digits, '.', '-' and '%'.
    """
    parts: list[Text] = []
    for ch in s:
        key = (ch, float(font_size), str(color))
        if key not in _GLYPHS:
            _GLYPHS[key] = Text(ch, font_size=font_size, color=color)
        parts.append(_GLYPHS[key].copy())
    group = VGroup(*parts).arrange(RIGHT, buff=0.0013 * font_size, aligned_edge=DOWN)
    group.text = s  # the string, as a Text has it
    return group


class SnapshotText(VGroup):
    """A line of text per snapshot; shows the last snapshot reached's. Texts are built once each, on first use.

    ``make`` builds a text (default: a ``Text`` of ``font_size``, in ``color``; with ``glyphs``,
    :func:`glyph_text`, for numbers); a new text keeps the old one's ``edge`` (LEFT: left-aligned,
    RIGHT: right-aligned) and baseline where they were.
    """

    def __init__(
        self,
        texts: Sequence[str],
        font_size: float | None = None,
        make: Callable[[str], Mobject] | None = None,
        color: str | None = None,
        edge: np.ndarray = LEFT,
        glyphs: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        if not texts:
            raise NnvizError("a SnapshotText needs one text per snapshot, got none")
        t = get_theme()
        size = font_size or t.caption_font_size
        self.texts = list(texts)
        self.edge = np.asarray(edge, dtype=float)
        ink = color or t.neuron_color
        self.make = make or (
            (lambda s: glyph_text(s, size, ink)) if glyphs else (lambda s: Text(s, font_size=size, color=ink))
        )
        self._built: Shared[dict[str, Mobject]] = Shared({})
        self.index = 0
        self.add(self._text(0).copy())

    def _text(self, i: int) -> Mobject:
        key, built = self.texts[i], self._built.value
        if key not in built:
            built[key] = self.make(key)
        return built[key]

    def show_at(self, s: float) -> SnapshotText:
        i = reached(s, len(self.texts))
        if i == self.index:
            return self
        line = self.submobjects[0]
        new = self._text(i)
        # Keep the line where it was: its edge (left or right) and its bottom at the old line's.
        corner = self.edge + DOWN
        new.move_to(line.get_corner(corner), aligned_edge=corner)
        new.set_opacity(_opacity(line))
        replace_in_place(line, new)
        self.index = i
        return self

    def moving_parts(self) -> Mobject:
        """Nothing moves continuously: the text changes between snapshots only."""
        return VGroup()


def replace_in_place(old: Mobject, new: Mobject) -> None:
    """Make ``old`` look like ``new`` while keeping ``old`` and its parts the same objects.

    manim's Cairo renderer decides at the start of an animation which mobjects it redraws each
    frame; a part swapped in during the animation would be missed and the swapped-out part
    still drawn. ``become`` keeps every existing part (it only adds parts when ``new`` has more).
    """
    old.become(new)
    if hasattr(new, "text"):  # a Text's string, which ``become`` leaves as it was
        old.text = new.text  # type: ignore[attr-defined]


def _opacity(mob: Mobject) -> float:
    """The fill opacity a text is drawn with (a group has none of its own: its parts')."""
    parts = mob.family_members_with_points()
    getters = [getattr(m, "get_fill_opacity", None) for m in parts]
    values = [float(g()) for g in getters if callable(g)]
    return max(values) if values else 1.0


def snapshot_animation(views: Sequence[SnapshotView], start: float, end: float, **kwargs: Any) -> UpdateFromAlphaFunc:
    """One animation taking every view from snapshot ``start`` to ``end`` (linear in time by default).

    Only the views' moving parts are the animation's mobjects.
    """
    if not views:
        raise NnvizError("a snapshot animation needs at least one view")
    moving = Group(*(v.moving_parts() for v in views))

    def update(_: Mobject, alpha: float) -> None:
        s = start + (end - start) * alpha
        for view in views:
            view.show_at(s)

    kwargs.setdefault("rate_func", linear)
    return UpdateFromAlphaFunc(moving, update, **kwargs)


def play_snapshots(
    scene: Scene, views: Sequence[SnapshotView], start: int, end: int, seconds: float, hold: float = 0.4
) -> None:
    """Play the views from snapshot ``start`` to ``end``, ``seconds`` per snapshot.

    Each snapshot interval is one animation (``1 - hold`` of the time) and then a still hold on
    the snapshot reached (``hold`` of the time), where every number on screen is that snapshot's:
    the discrete parts (numbers, texts) change at the end of each animation, and during one only
    the continuous parts are redrawn. A hold costs manim next to nothing (the frame is frozen).
    """
    if not (0 <= start < end) or seconds <= 0 or not 0 <= hold < 1:
        raise NnvizError(f"play snapshots {start}..{end}: need 0 <= start < end, seconds > 0 and 0 <= hold < 1")
    with staged(scene, views):
        for i in range(start, end):
            scene.play(snapshot_animation(views, i, i + 1, run_time=seconds * (1 - hold)))
            if hold > 0:
                scene.wait(seconds * hold)


@contextmanager
def staged(scene: Scene, views: Sequence[SnapshotView]) -> Iterator[None]:
    """Within the block, the views' still parts are drawn once per animation, not every frame.

    manim's Cairo renderer redraws every frame all mobjects from the first changing one on, and
    a group counts as changing when one of its parts does. So the views are taken apart for the
    block: their still parts first, their moving parts last; afterwards the views are whole again.

    Example::

        with staged(self, [sheet, curve]):
            self.play(snapshot_animation([sheet, curve], 0, 10, run_time=5))
    """
    mobjects = [v for v in views if isinstance(v, Mobject)]
    moving = [v.moving_parts() for v in views]
    moving_family = {id(m) for part in moving for m in part.get_family()}
    still = [m for v in mobjects for m in v.family_members_with_points() if id(m) not in moving_family]
    scene.remove(*mobjects)
    scene.add(*still, *moving)
    try:
        yield
    finally:
        scene.remove(*still, *moving)
        scene.add(*mobjects)


__all__ = [
    "Shared",
    "SnapshotText",
    "SnapshotView",
    "glyph_text",
    "play_snapshots",
    "reached",
    "replace_in_place",
    "snapshot_animation",
    "staged",
]
