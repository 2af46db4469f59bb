"""IDX files, the format MNIST and its relatives are distributed in.

An IDX file is a big-endian header followed by the raw array::

    0x00 0x00 <type code> <ndim>   then ndim uint32 sizes, then the values row by row

The type code says what each value is (0x08 is uint8, the one MNIST uses). Files are
often gzipped; a gzipped file is recognised by its first two bytes, never by its name,
because renamed and half-unpacked downloads are common.
"""

from __future__ import annotations

import gzip
import os
import re
import struct
import zlib
from pathlib import Path

import numpy as np

from .atomic import atomic_write
from .errors import NnvizError

#: IDX type code -> the big-endian dtype of the values that follow the header.
IDX_DTYPES: dict[int, np.dtype] = {
    0x08: np.dtype(">u1"),
    0x09: np.dtype(">i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}
_CODES = {dtype.newbyteorder("="): code for code, dtype in IDX_DTYPES.items()}
_GZIP_MAGIC = b"\x1f\x8b"

#: What find_idx_pair looks for, for the error message.
_EXPECTED = (
    "train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], "
    "t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]"
)
#: An IDX file name: an optional prefix ("emnist-digits-"), the split, the kind, "-" or "." before idxN,
# and an optional .gz: train-images-idx3-ubyte, emnist-digits-test-labels-idx1-ubyte.gz,
# train-images.idx3-ubyte (the spelling some unpackers produce).
IDX_NAME = re.compile(
    r"^(?P<prefix>.*?)(?P<split>train|t10k|test)-(?P<kind>images|labels)[-.]idx\d-ubyte"
    r"(?P<gz>\.gz)?$",
    re.IGNORECASE,
)
_SPLIT_WORDS = {"train": ("train",), "test": ("t10k", "test")}


def _read_bytes(path: Path) -> bytes:
    """The file's contents, gunzipped when its first bytes say it is gzip."""
    if not path.exists():
        raise NnvizError(f"{path}: no such file; check the path to the IDX file")
    if path.is_dir():
        raise NnvizError(f"{path}: is a directory, expected an IDX file")
    raw = path.read_bytes()
    if not raw.startswith(_GZIP_MAGIC):
        return raw
    try:
        return gzip.decompress(raw)
    except (OSError, EOFError, zlib.error) as e:
        raise NnvizError(f"{path}: damaged or truncated gzip data ({e}); download the file again") from e


def read_idx(path: str | os.PathLike[str]) -> np.ndarray:
    """Read an IDX file, plain or gzipped, into an array with the shape its header gives.

    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "tiny-labels-idx1-ubyte.gz")
    >>> _ = write_idx(p, np.array([3, 1, 4], dtype=np.uint8))
    >>> read_idx(p)
    array([3, 1, 4], dtype=uint8)
    """
    path = Path(path)
    data = _read_bytes(path)
    if len(data) < 4:
        raise NnvizError(f"{path}: truncated IDX file ({len(data)} bytes, no complete header)")
    zero, code, ndim = data[:2], data[2], data[3]
    if zero != b"\x00\x00" or code not in IDX_DTYPES:
        raise NnvizError(
            f"{path}: not an IDX file (magic bytes {data[:4].hex()}, expected 0000 then a "
            f"type code such as 08 for uint8); pass an MNIST-style IDX file"
        )
    header_size = 4 + 4 * ndim
    if len(data) < header_size:
        raise NnvizError(f"{path}: truncated IDX file (the header promises {ndim} sizes)")
    shape = struct.unpack(f">{ndim}I", data[4:header_size])
    dtype = IDX_DTYPES[code]
    expected = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    found = len(data) - header_size
    if found != expected:
        what = "truncated IDX file" if found < expected else "IDX file with trailing bytes"
        raise NnvizError(
            f"{path}: {what}: the header says shape {tuple(shape)} ({expected} bytes of data) "
            f"but the file holds {found}; download it again"
        )
    values = np.frombuffer(data, dtype=dtype, offset=header_size)
    # Native byte order, so the rest of the code never meets a big-endian array.
    return values.astype(dtype.newbyteorder("="), copy=True).reshape(shape)


def write_idx(path: str | os.PathLike[str], array: np.ndarray) -> Path:
    """Write ``array`` as an IDX file, gzipped when the name ends in ``.gz``.

    The dtype must be one IDX can hold: uint8, int8, int16, int32, float32 or float64.

    >>> import tempfile, os
    >>> p = write_idx(os.path.join(tempfile.mkdtemp(), "x-idx2-ubyte"), np.eye(2, dtype=np.uint8))
    >>> p.read_bytes()[:4].hex()
    '00000802'
    """
    path = Path(path)
    array = np.asarray(array)
    code = _CODES.get(array.dtype.newbyteorder("="))
    if code is None:
        raise NnvizError(
            f"{path}: cannot store {array.dtype} in IDX; convert to uint8, int8, int16, int32, float32 or float64 first"
        )
    if array.ndim > 255 or any(n >= 2**32 for n in array.shape):
        raise NnvizError(f"{path}: shape {array.shape} does not fit an IDX header")
    header = bytes([0, 0, code, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    payload = header + np.ascontiguousarray(array, dtype=IDX_DTYPES[code]).tobytes()
    if path.name.endswith(".gz"):
        # mtime=0 keeps the bytes, and so the file's digest, the same on every run.
        payload = gzip.compress(payload, mtime=0)
    with atomic_write(path) as f:
        f.write(payload)
    return path


def find_idx_pair(directory: str | os.PathLike[str], split: str) -> tuple[Path, Path]:
    """The (images, labels) IDX files of ``split`` ("train" or "test") in ``directory``.

    Accepts the standard names with or without ``.gz``, with a prefix
    (``emnist-digits-train-images-idx3-ubyte``) and with a dot before ``idx``
    (``train-images.idx3-ubyte``). The test split's files are called ``t10k-*``
    (or ``test-*``, as in EMNIST). An uncompressed file wins over its ``.gz``.

    >>> import tempfile, os
    >>> d = tempfile.mkdtemp()
    >>> for name in ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"):
    ...     _ = open(os.path.join(d, name), "wb")
    >>> [p.name for p in find_idx_pair(d, "test")]
    ['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz']
    """
    directory = Path(directory)
    if split not in _SPLIT_WORDS:
        raise NnvizError(f"unknown split {split!r} for IDX files; use 'train' or 'test'")
    if not directory.is_dir():
        raise NnvizError(f"{directory}: not a directory; pass the folder that holds the IDX files")
    found: dict[str, dict[str, Path]] = {}  # prefix+split -> {"images": path, "labels": path}
    any_idx = False
    for entry in sorted(directory.iterdir()):
        match = IDX_NAME.match(entry.name)
        if match is None or not entry.is_file():
            continue
        any_idx = True
        if match["split"].lower() not in _SPLIT_WORDS[split]:
            continue
        key = match["prefix"].lower() + match["split"].lower()
        kind = match["kind"].lower()
        slot = found.setdefault(key, {})
        # Sorted order puts "x" before "x.gz"; keep the uncompressed one.
        slot.setdefault(kind, entry)
    if not any_idx:
        raise NnvizError(
            f"{directory}: no IDX files (expected {_EXPECTED}); "
            f"point to the folder with the MNIST files, or fetch them with `nnviz download`"
        )
    pairs = [(slot["images"], slot["labels"]) for slot in found.values() if len(slot) == 2]
    if len(pairs) == 1:
        return pairs[0]
    if len(pairs) > 1:
        names = ", ".join(images.name for images, _ in pairs)
        raise NnvizError(f"{directory}: several {split} datasets ({names}); keep one per directory")
    if found:
        slot = next(iter(found.values()))
        have = next(iter(slot.values()))
        missing = "labels" if "images" in slot else "images"
        raise NnvizError(
            f"{directory}: found {have.name} but no matching {split} {missing} file; add it beside the other"
        )
    stem, other = ("t10k", "train") if split == "test" else ("train", "test")
    raise NnvizError(
        f"{directory}: no {split} IDX files, only {other} ones; use the {other} split or add "
        f"{stem}-images-idx3-ubyte[.gz] and {stem}-labels-idx1-ubyte[.gz]"
    )
