"""What a lesson scene shows, chosen without editing code: the digit, the weights, the palette,
and the snapshots of a training run (``snapshots``, for the scenes that watch the network learn).

Each setting is resolved on its own, first found wins:

1. the environment: ``NNVIZ_DIGIT``, ``NNVIZ_WEIGHTS``, ``NNVIZ_PALETTE`` (``nnviz render
   --digit/--weights/--palette`` sets these for the manim processes it starts);
2. an ``[nnviz]`` section of ``manim.cfg`` in the current directory (manim's own config
   file; manim ignores sections it does not know), keys ``digit``, ``weights``, ``palette``::

       [CLI]
       quality = medium_quality

       [nnviz]
       digit = 42            # an index into the embedded test split ...
       # digit = my_three.png  ... or your own picture, pre-processed like MNIST
       weights = my_network.npz
       palette = colorblind
       snapshots = my_run.npz   # from `nnviz train --snapshots`, for WatchItLearn

3. the defaults: test digit :data:`DEFAULT_DIGIT`, the shipped network, ``classic``.

An empty value counts as unset. Relative paths in ``manim.cfg`` are relative to the file.

>>> s = lesson_settings()
>>> s.palette
'classic'
>>> d = s.digit()
>>> d.pixels.shape, d.label
((28, 28), 3)
"""

from __future__ import annotations

import configparser
import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..core.errors import NnvizError

if TYPE_CHECKING:
    from ..core.datasets import Dataset
    from ..core.network import Network
    from ..core.snapshots import Snapshots

ENV_DIGIT = "NNVIZ_DIGIT"
ENV_WEIGHTS = "NNVIZ_WEIGHTS"
ENV_PALETTE = "NNVIZ_PALETTE"
ENV_SNAPSHOTS = "NNVIZ_SNAPSHOTS"
CONFIG_FILE = "manim.cfg"
CONFIG_SECTION = "nnviz"

#: Index into the embedded subset's test split (``load_dataset(split="test")``) shown by
#: default: the first 3 of the split (label 3, 1 in 1500 ways to pick one). The shipped
#: network reads it as a 3 (checked by tests/test_lecture_cli.py); a 3 because the lesson
#: opens with "this is a three".
DEFAULT_DIGIT = 468
DEFAULT_PALETTE = "classic"

# (environment variable, manim.cfg key) of each setting, for resolution and error messages.
_KEYS = {"digit": ENV_DIGIT, "weights": ENV_WEIGHTS, "palette": ENV_PALETTE, "snapshots": ENV_SNAPSHOTS}


@dataclass(frozen=True)
class Digit:
    """The digit a scene shows: pixels (28, 28) floats in [0, 1], its label, and a description.

    ``label`` is the true digit for a test image and None for the user's own picture;
    ``index`` is the test-split index, or None; ``path`` is the user's image file, or None.
    """

    pixels: np.ndarray
    label: int | None
    description: str
    index: int | None = None
    path: Path | None = None

    def picture(
        self, scale: int = 4, canvas: tuple[int, int] = (160, 200), top_left: tuple[int, int] = (12, 16)
    ) -> Path | np.ndarray:
        """What the pre-processing starts from (pass it to ``nnviz.preprocess_steps``).

        The user's image file as it is. A test digit has no drawing behind it (MNIST stores
        only the 28x28 result), so it is printed: its pixels enlarged ``scale`` times (bicubic),
        dark on white, with their top-left corner at ``top_left`` (row, column) of a white
        ``canvas`` (rows, columns): a picture, larger and off-centre, for the steps to work on.

        >>> d = Digit(np.eye(28), 1, "a line", 0)
        >>> p = d.picture()
        >>> p.shape, float(p[0, 0]), float(p[12:124, 16:128].min()) < 0.1
        ((160, 200), 1.0, True)
        """
        if self.path is not None:
            return self.path
        from PIL import Image

        side = self.pixels.shape[0] * scale
        rows, cols = canvas
        if top_left[0] + side > rows or top_left[1] + side > cols:
            raise NnvizError(
                f"a {side}x{side} enlargement at {top_left} does not fit a {rows}x{cols} canvas; "
                "use a larger canvas or a smaller scale"
            )
        ink = Image.fromarray(self.pixels.astype(np.float32), "F").resize((side, side), Image.Resampling.BICUBIC)
        paper = np.ones(canvas)
        r, c = top_left
        paper[r : r + side, c : c + side] = 1.0 - np.clip(np.asarray(ink, dtype=float), 0.0, 1.0)
        return paper


@dataclass(frozen=True)
class LessonSettings:
    """The resolved settings of one render; ``sources`` says where each value came from.

    ``digit_index`` or ``digit_path`` is set (exactly one); ``weights`` None means the
    shipped network. Build one with :func:`lesson_settings`.

    >>> s = LessonSettings(digit_index=0)
    >>> s.network().sizes
    [784, 16, 16, 10]
    >>> s.describe().split("; ")[0]
    'digit: test digit #0 of the embedded MNIST subset (default)'
    """

    digit_index: int | None = DEFAULT_DIGIT
    digit_path: Path | None = None
    weights: Path | None = None
    palette: str = DEFAULT_PALETTE
    sources: Mapping[str, str] = field(default_factory=lambda: dict.fromkeys(_KEYS, "default"), compare=False)
    #: A snapshots file of ``nnviz train --snapshots``; None means the shipped network's own run.
    snapshots: Path | None = None

    def network(self) -> Network:
        """The network the scenes draw: ``weights`` or the shipped one (loaded once per process)."""
        return _load_network(self.weights, self.sources.get("weights", "default"))

    def training_run(self) -> Snapshots:
        """The recorded training run: ``snapshots`` or the shipped one (loaded once per process)."""
        return _load_snapshots(self.snapshots, self.sources.get("snapshots", "default"))

    def digit(self) -> Digit:
        """The digit the scenes show (loaded once per process)."""
        return _load_digit(self.digit_index, self.digit_path, self.sources.get("digit", "default"))

    def env(self) -> dict[str, str]:
        """These settings as ``NNVIZ_*`` variables, for a child process (paths made absolute)."""
        digit = str(self.digit_path.resolve()) if self.digit_path else str(self.digit_index)
        env = {ENV_DIGIT: digit, ENV_PALETTE: self.palette}
        env[ENV_WEIGHTS] = str(self.weights.resolve()) if self.weights else ""
        env[ENV_SNAPSHOTS] = str(self.snapshots.resolve()) if self.snapshots else ""
        return env

    def check(self) -> LessonSettings:
        """Load the network and the digit now, so a bad value fails before any rendering."""
        network = self.network()
        digit = self.digit()
        if network.sizes[0] != digit.pixels.size:
            raise NnvizError(
                f"{self._where('weights')}: the network takes {network.sizes[0]} inputs, but the "
                f"digit has {digit.pixels.size} pixels; use weights trained on 28x28 digits"
            )
        if self.snapshots is not None:  # the shipped run is checked by the tests, and loaded when used
            self.training_run().check_fits(network, self._where("snapshots"))
        return self

    def describe(self) -> str:
        """One line for logs: each value and where it came from."""
        digit = (
            f"image {self.digit_path}"
            if self.digit_path
            else (f"test digit #{self.digit_index} of the embedded MNIST subset")
        )
        weights = str(self.weights) if self.weights else "shipped network"
        s = self.sources
        return (
            f"digit: {digit} ({s.get('digit', 'default')}); weights: {weights} "
            f"({s.get('weights', 'default')}); palette: {self.palette} ({s.get('palette', 'default')}); "
            f"snapshots: {self.snapshots or 'shipped run'} ({s.get('snapshots', 'default')})"
        )

    def _where(self, key: str) -> str:
        return _label(key, self.sources.get(key, "default"))


def lesson_settings(
    overrides: Mapping[str, str | None] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    cwd: str | os.PathLike[str] | None = None,
) -> LessonSettings:
    """Resolve the settings: ``overrides``, then the environment, then ``manim.cfg``, then defaults.

    ``overrides`` (keys ``digit``, ``weights``, ``palette``) are what a command line gave;
    None values are ignored. ``environ`` and ``cwd`` default to the process's own. Values
    are checked for form (an index in range, an existing file, a known palette); a bad
    one raises ``NnvizError`` naming the variable or key. Loading the weights happens on
    first use, or now with :meth:`LessonSettings.check`.

    >>> lesson_settings({"digit": "7", "palette": "chapter1"}).sources["digit"]
    '--digit'
    """
    environ = os.environ if environ is None else environ
    base = Path(cwd) if cwd is not None else Path.cwd()
    cfg = _read_config(base / CONFIG_FILE)
    raw: dict[str, tuple[str, str, Path]] = {}  # key -> (value, source, base folder for paths)
    for key, env_name in _KEYS.items():
        candidates = [
            ((overrides or {}).get(key), f"--{key}", base),
            (environ.get(env_name), env_name, base),
            (cfg.get(key), f"{CONFIG_FILE} [{CONFIG_SECTION}] {key}", base),
        ]
        for value, source, folder in candidates:
            if value is not None and str(value).strip() != "":
                raw[key] = (str(value).strip(), source, folder)
                break

    sources = {k: raw[k][1] if k in raw else "default" for k in _KEYS}
    digit_index: int | None = DEFAULT_DIGIT
    digit_path: Path | None = None
    if "digit" in raw:
        digit_index, digit_path = _parse_digit(*raw["digit"])
    weights = _parse_weights(*raw["weights"]) if "weights" in raw else None
    palette = _parse_palette(*raw["palette"][:2]) if "palette" in raw else DEFAULT_PALETTE
    snapshots = _parse_weights(*raw["snapshots"], what="snapshots") if "snapshots" in raw else None
    return LessonSettings(digit_index, digit_path, weights, palette, sources, snapshots=snapshots)


# ---------------------------------------------------------------- parsing


def _label(key: str, source: str) -> str:
    """How an error names a value: ``NNVIZ_DIGIT``, ``--digit`` or ``manim.cfg [nnviz] digit``."""
    return f"{key} (default)" if source == "default" else source


def _read_config(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    # No interpolation: manim.cfg values may hold '%' (manim's own output-file templates).
    parser = configparser.ConfigParser(interpolation=None, inline_comment_prefixes=("#", ";"))
    try:
        parser.read(path, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError) as e:
        first = str(e).splitlines()[0]
        raise NnvizError(f"{path}: cannot parse it as a config file ({first})") from None
    if not parser.has_section(CONFIG_SECTION):
        return {}
    section = parser[CONFIG_SECTION]
    unknown = sorted(set(section) - set(_KEYS))
    if unknown:
        raise NnvizError(f"{path} [{CONFIG_SECTION}]: unknown key {unknown[0]!r}; the keys are: {', '.join(_KEYS)}")
    return dict(section)


def _test_count() -> int:
    return len(_test_split().labels)


@functools.lru_cache(maxsize=1)
def _test_split() -> Dataset:
    from ..core.datasets import load_dataset

    return load_dataset(None, split="test")


def _parse_digit(value: str, source: str, folder: Path) -> tuple[int | None, Path | None]:
    if value.lstrip("+-").isdigit():
        index, count = int(value), _test_count()
        if not 0 <= index < count:
            raise NnvizError(
                f"{source}={value}: no such test digit; use an index 0..{count - 1} of the "
                f"embedded test split, or a path to an image file"
            )
        return index, None
    path = Path(value).expanduser()
    path = path if path.is_absolute() else folder / path
    if not path.is_file():
        what = "is a directory" if path.is_dir() else "no such image file"
        raise NnvizError(
            f"{source}={value}: {what}; use a PNG/JPEG picture of a digit, or an index "
            f"0..{_test_count() - 1} of the embedded test split"
        )
    return None, path


def _parse_weights(value: str, source: str, folder: Path, what: str = "weights") -> Path:
    path = Path(value).expanduser()
    path = path if path.is_absolute() else folder / path
    if not path.is_file():
        problem = "is a directory" if path.is_dir() else "no such file"
        command = "nnviz train --snapshots" if what == "snapshots" else "nnviz train"
        raise NnvizError(f"{source}={value}: {problem}; give a {what} .npz written by `{command}`")
    return path


def _parse_palette(value: str, source: str) -> str:
    from ..theme import PALETTES  # theme.py is numpy-only: no manim import

    name = value.lower()
    if name not in PALETTES:
        raise NnvizError(f"{source}={value}: unknown palette; use one of: {', '.join(PALETTES)}")
    return name


# ---------------------------------------------------------------- loading (once per process)


@functools.lru_cache(maxsize=4)
def _load_network(weights: Path | None, source: str) -> Network:
    from ..api import load_network

    try:
        return load_network(weights)
    except NnvizError as e:
        if weights is None:
            raise
        raise NnvizError(f"{_label('weights', source)}: {e}") from None


@functools.lru_cache(maxsize=2)
def _load_snapshots(path: Path | None, source: str) -> Snapshots:
    from ..core.snapshots import load_snapshots

    try:
        return load_snapshots(path)
    except NnvizError as e:
        if path is None:
            raise
        raise NnvizError(f"{_label('snapshots', source)}: {e}") from None


@functools.lru_cache(maxsize=4)
def _load_digit(index: int | None, path: Path | None, source: str) -> Digit:
    if path is not None:
        from ..core.preprocess import preprocess_image

        try:
            pixels = preprocess_image(path)
        except NnvizError as e:
            raise NnvizError(f"{_label('digit', source)}: {e}") from None
        return Digit(np.asarray(pixels, dtype=float), None, f"your image {path.name}", path=path)
    assert index is not None
    test = _test_split()
    label = int(test.labels[index])
    pixels = test.images[index].astype(float) / 255.0
    return Digit(pixels, label, f"test digit #{index} (a {label}) of the {test.name}", index)
