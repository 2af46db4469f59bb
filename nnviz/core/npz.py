"""Reading an ``.npz`` archive of nnviz's own (weights, snapshots) safely: no pickle, clear errors.

>>> import tempfile
>>> path = Path(tempfile.mkdtemp()) / "a.npz"
>>> np.savez(path, x=np.arange(3))
>>> read_npz(path, "weights", "expected an .npz archive written by `nnviz train`")["x"].tolist()
[0, 1, 2]
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import numpy as np

from .errors import NnvizError

#: The first bytes of a zip archive (an .npz is one; with members, or empty) and of a single .npy array.
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
NPY_MAGIC = b"\x93NUMPY"


def _magic(path: Path) -> bytes:
    try:
        with path.open("rb") as f:
            return f.read(6)
    except OSError as e:
        raise NnvizError(f"{path}: cannot read it ({e.strerror or type(e).__name__})") from e


def read_npz(path: Path, what: str, hint: str) -> dict[str, np.ndarray]:
    """Every array of the ``what`` file ``path`` (e.g. "weights"), loaded without pickle.

    Anything else (a missing file, a folder, a single .npy array, a file that is no zip archive,
    pickled arrays, a truncated archive) raises ``NnvizError`` with one line naming ``path``;
    ``hint`` says what the file should be.
    """
    if not path.exists():
        raise NnvizError(f"{path}: no such {what} file")
    if path.is_dir():
        raise NnvizError(f"{path}: is a directory, expected a {what} .npz file")
    magic = _magic(path)
    if magic.startswith(NPY_MAGIC):
        raise NnvizError(f"{path}: a single array, not a {what} .npz archive")
    if not magic.startswith(ZIP_MAGIC):
        # np.load would take any other file for a pickle and refuse it as one: say what it is.
        raise NnvizError(f"{path}: not a {what} file: {hint}")
    try:
        archive = np.load(path, allow_pickle=False)
        if not isinstance(archive, np.lib.npyio.NpzFile):
            raise NnvizError(f"{path}: not a {what} .npz archive")
        with archive:
            return {name: archive[name] for name in archive.files}
    except NnvizError:
        raise
    except ValueError as e:
        if "pickle" in str(e):
            raise NnvizError(f"{path}: holds arrays that need pickle, refused; re-save it with plain arrays") from e
        raise NnvizError(f"{path}: not a readable .npz {what} file ({e})") from e
    except (OSError, EOFError, zipfile.BadZipFile, KeyError) as e:
        raise NnvizError(f"{path}: truncated or not an .npz {what} file ({type(e).__name__})") from e
