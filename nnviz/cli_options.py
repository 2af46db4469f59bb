"""Option types and exit codes shared by every ``nnviz`` command (``cli`` and ``cli_lecture``).

Both command modules import this one and nothing of each other's, so neither can be half
imported when the other loads. It needs only the standard library and the palette table
(:mod:`nnviz.theme` is numpy-only), so ``nnviz --help`` stays fast and manim-free.

>>> parser = Parser(prog="demo")
>>> _ = parser.add_argument("--jobs", type=positive_int)
>>> parser.parse_args(["--jobs", "2"]).jobs
2
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable
from typing import NoReturn

from .theme import PALETTES

EXIT_FAILED = 1  # a render ran, and one of its scenes failed
EXIT_USAGE = 2  # the user's input was wrong: one line on stderr says what to fix
EXIT_INTERRUPTED = 130  # Ctrl-C, as a shell reports SIGINT


class Parser(argparse.ArgumentParser):
    """argparse, but a usage error is a single line (the usage text is one ``--help`` away).

    >>> Parser(prog="nnviz").parse_args(["--nope"])
    Traceback (most recent call last):
    ...
    SystemExit: 2
    """

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see `{self.prog} --help`)\n")


def int_at_least(minimum: int) -> Callable[[str], int]:
    """An argparse type: a whole number >= ``minimum``, or a one-line error naming the value.

    >>> int_at_least(1)("3")
    3
    """

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{text!r} must be at least {minimum}")
        return value

    return parse


positive_int = int_at_least(1)
non_negative_int = int_at_least(0)


def _float(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None


def positive_float(text: str) -> float:
    """An argparse type: a finite number > 0 (a learning rate, a duration).

    >>> positive_float("0.5")
    0.5
    """
    value = _float(text)
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be a positive number")
    return value


def non_negative_float(text: str) -> float:
    """An argparse type: a finite number >= 0 (``--chunk-seconds``).

    >>> non_negative_float("12.5")
    12.5
    """
    value = _float(text)
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"{text!r} must be a number >= 0")
    return value


def hidden_sizes(text: str) -> list[int]:
    """An argparse type: comma-separated hidden layer sizes, each >= 1; empty means none.

    >>> hidden_sizes("16,16"), hidden_sizes("")
    ([16, 16], [])
    """
    if text.strip() == "":
        return []
    try:
        sizes = [int(p.strip()) for p in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a comma-separated list of layer sizes such as 16,16"
        ) from None
    if any(s < 1 for s in sizes):
        raise argparse.ArgumentTypeError(f"{text!r}: every layer size must be at least 1")
    return sizes


def add_palette_argument(parser: argparse.ArgumentParser, default: str | None, what: str) -> None:
    """Add ``--palette``, its choices taken from :data:`nnviz.theme.PALETTES`.

    With a ``default`` argparse checks the name. Without one (the lecture commands) the
    value is a lesson setting that can also come from ``NNVIZ_PALETTE`` or manim.cfg, and
    :func:`nnviz.lesson.lesson_settings` checks it against the same table, naming its source.

    >>> p = Parser(prog="demo")
    >>> add_palette_argument(p, "classic", "grid colours")
    >>> p.parse_args(["--palette", "colorblind"]).palette
    'colorblind'
    """
    names = ", ".join(PALETTES)
    if default is not None:
        parser.add_argument(
            "--palette", choices=tuple(PALETTES), default=default, metavar="P",
            help=f"{what}: {names} (default: {default})",
        )  # fmt: skip
    else:
        parser.add_argument("--palette", metavar="P", help=f"{what}: {names}")
