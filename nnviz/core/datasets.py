"""Labelled digit images from three kinds of source, all loaded into one ``Dataset``.

* ``None``: the embedded subset (assets/mnist_subset.npz), 10,000 real MNIST digits with a
  fixed stratified held-out split: 8,500 train, 1,500 test.
* a directory of IDX files: full MNIST or a relative (``train-*`` and ``t10k-*``;
  EMNIST's ``emnist-digits-*`` images are stored transposed and are turned upright).
* an ``.npz`` file with ``images`` and ``labels`` and optionally a boolean ``test`` mask.

Every bad input raises ``NnvizError`` naming the file, so the CLI can print one line.
"""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .errors import NnvizError
from .idx import IDX_NAME, find_idx_pair, read_idx
from .npz import ZIP_MAGIC
from .paths import EMBEDDED_DATASET

SPLITS = ("train", "test", "all")
CLASSES = 10


@dataclass(repr=False)
class Dataset:
    """Images (N, h, w) uint8 with 0 as background and 255 as full ink, and labels (N,) ints.

    ``split`` is the part of the source these images are: "train", "test", or "all"
    (the whole source, also when the source has no held-out split).

    >>> data = load_dataset(split="test")
    >>> len(data), data.images.shape[1:], data.inputs().shape
    (1500, (28, 28), (1500, 784))
    """

    images: np.ndarray
    labels: np.ndarray
    name: str
    source: str
    split: str = "all"

    def __len__(self) -> int:
        return len(self.labels)

    def inputs(self) -> np.ndarray:
        """The images as float rows (N, h*w) in [0, 1], ready for ``Network.forward``."""
        return self.images.reshape(len(self.images), -1) / 255.0

    def class_counts(self) -> np.ndarray:
        """How many images of each digit 0..9 the dataset holds."""
        return np.bincount(self.labels, minlength=CLASSES)

    def __repr__(self) -> str:
        h, w = self.images.shape[1:]
        return f"Dataset({self.name!r}, split={self.split!r}, {len(self)} images of {h}x{w})"


def load_dataset(source: str | os.PathLike[str] | None = None, split: str = "test") -> Dataset:
    """Load ``split`` ("train", "test" or "all") of a dataset.

    ``source`` is None for the embedded subset, a directory of IDX files, or an ``.npz``
    file. An ``.npz`` without a ``test`` mask has no held-out part: the whole file is
    returned whatever ``split`` asks, with ``split="all"`` recorded on the result.

    >>> int(load_dataset(split="train").class_counts().sum())
    8500
    """
    if split not in SPLITS:
        raise NnvizError(f"unknown split {split!r}; use one of: {', '.join(SPLITS)}")
    if source is None:
        data = _load_npz(EMBEDDED_DATASET, split)
        data.name = "embedded MNIST subset"
        return data
    path = Path(source)
    if not path.exists():
        raise NnvizError(f"{path}: no such file or directory; pass an .npz file or a folder of IDX files")
    if path.is_dir():
        return _load_idx_dir(path, split)
    if IDX_NAME.match(path.name):
        raise NnvizError(f"{path}: an IDX file; pass the directory that holds it ({path.parent})")
    return _load_npz(path, split)


def has_test_split(source: str | os.PathLike[str] | None = None) -> bool:
    """Whether ``source`` has a held-out test part separate from its training part.

    True for the embedded subset, for an IDX directory with ``t10k-*`` files and for an
    ``.npz`` with a ``test`` mask.

    >>> has_test_split(None)
    True
    """
    if source is None:
        return True
    path = Path(source)
    if path.is_dir():
        return _has_idx_pair(path, "test")
    with _open_npz(path) as archive:
        return "test" in archive.files


# --- IDX directories -----------------------------------------------------------------


def _load_idx_dir(directory: Path, split: str) -> Dataset:
    parts = ["train", "test"] if split == "all" else [split]
    if split == "all":
        # "all" is whatever the directory holds: both parts, or the one there is.
        parts = [p for p in parts if _has_idx_pair(directory, p)] or parts
    images, labels = [], []
    for part in parts:
        images_path, labels_path = find_idx_pair(directory, part)
        x, y = read_idx(images_path), read_idx(labels_path)
        if x.ndim != 3 or x.dtype != np.uint8:
            raise NnvizError(f"{images_path}: expected uint8 images (N, rows, cols), found {x.dtype} {x.shape}")
        if images_path.name.lower().startswith("emnist"):
            # EMNIST stores each image transposed (column by column); make it upright like MNIST.
            x = x.transpose(0, 2, 1)
        if y.ndim != 1:
            raise NnvizError(f"{labels_path}: expected one label per image, found shape {y.shape}")
        _check_labels(labels_path, x, y)
        images.append(x)
        labels.append(y)
    if len({x.shape[1:] for x in images}) > 1:
        raise NnvizError(f"{directory}: train and test images have different sizes")
    # "emnist-digits" from emnist-digits-train-images-idx3-ubyte; plain MNIST names have no prefix.
    match = IDX_NAME.match(images_path.name)
    name = match["prefix"].strip("-_.") if match else ""
    return Dataset(
        images=np.concatenate(images),
        labels=np.concatenate(labels).astype(np.int64),
        name=name or directory.name,
        source=str(directory),
        split=split,
    )


def _has_idx_pair(directory: Path, split: str) -> bool:
    try:
        find_idx_pair(directory, split)
    except NnvizError:
        return False
    return True


# --- npz files -------------------------------------------------------------------------


def _open_npz(path: Path) -> np.lib.npyio.NpzFile:
    if not path.exists():
        raise NnvizError(f"{path}: no such file; pass an .npz file or a folder of IDX files")
    if path.is_dir():
        raise NnvizError(f"{path}: is a directory, expected an .npz file")
    with path.open("rb") as f:
        magic = f.read(4)
    # Checked first: np.load would take any other bytes for a pickle and say so, misleadingly.
    if magic not in ZIP_MAGIC:
        raise NnvizError(
            f"{path}: not an .npz file; pass an .npz with 'images' and 'labels' arrays or a folder of IDX files"
        )
    try:
        return np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as e:
        raise NnvizError(f"{path}: truncated or damaged .npz file ({e})") from e


def _load_npz(path: Path, split: str) -> Dataset:
    with _open_npz(path) as archive:
        missing = [key for key in ("images", "labels") if key not in archive.files]
        if missing:
            raise NnvizError(
                f"{path}: no {' or '.join(repr(m) for m in missing)} array "
                f"(found: {', '.join(archive.files) or 'none'}); save images and labels under those names"
            )
        arrays = {}
        for key in ("images", "labels", "test"):
            if key not in archive.files:
                continue
            try:
                arrays[key] = archive[key]
            except ValueError as e:  # object arrays: np.load refuses pickle
                raise NnvizError(
                    f"{path}: array {key!r} needs pickle to load, refused; save plain numeric arrays"
                ) from e
            except (OSError, EOFError, zipfile.BadZipFile) as e:
                raise NnvizError(f"{path}: array {key!r} is damaged ({e})") from e
    images = _as_uint8_images(path, arrays["images"])
    labels = arrays["labels"]
    if labels.ndim != 1:
        raise NnvizError(f"{path}: 'labels' has shape {labels.shape}; expected one digit per image (N,), not one-hot")
    _check_labels(path, images, labels)
    mask = arrays.get("test")
    if mask is None:
        split = "all"  # no held-out part: the whole file is the dataset
    else:
        if mask.dtype != bool or mask.shape != labels.shape:
            raise NnvizError(
                f"{path}: 'test' must be a boolean mask of {len(labels)} entries, found {mask.dtype} {mask.shape}"
            )
        if split != "all":
            keep = mask if split == "test" else ~mask
            images, labels = images[keep], labels[keep]
            if len(labels) == 0:
                raise NnvizError(f"{path}: the {split} split is empty; check the 'test' mask")
    return Dataset(images, labels.astype(np.int64), name=path.stem, source=str(path), split=split)


def _as_uint8_images(path: Path, images: np.ndarray) -> np.ndarray:
    """uint8 (N, h, w): flat rows of 784 become 28x28, floats in [0, 1] become 0..255."""
    if images.ndim == 2 and images.shape[1] == 28 * 28:
        images = images.reshape(-1, 28, 28)
    if images.ndim != 3:
        raise NnvizError(f"{path}: 'images' has shape {images.shape}; expected (N, 28, 28) or (N, 784)")
    if images.dtype == np.uint8:
        return images
    if images.dtype.kind == "f":
        if images.size and not (np.isfinite(images).all() and images.min() >= 0 and images.max() <= 1):
            raise NnvizError(f"{path}: float 'images' must lie in [0, 1]; divide 0..255 values by 255")
        return np.rint(images * 255).astype(np.uint8)
    raise NnvizError(f"{path}: 'images' are {images.dtype}; expected uint8 0..255 or float 0..1")


def _check_labels(path: Path, images: np.ndarray, labels: np.ndarray) -> None:
    if len(images) != len(labels):
        raise NnvizError(f"{path}: {len(images)} images but {len(labels)} labels; they must match")
    if len(labels) == 0:
        raise NnvizError(f"{path}: holds no images")
    if labels.dtype.kind not in "iu":
        raise NnvizError(f"{path}: labels are {labels.dtype}; expected integers 0..9")
    if labels.min() < 0 or labels.max() >= CLASSES:
        raise NnvizError(f"{path}: labels range from {labels.min()} to {labels.max()}; expected digits 0..9")
