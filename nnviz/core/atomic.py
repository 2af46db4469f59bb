"""Write a file so that readers see the old file or the whole new one, never half of it."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from .errors import NnvizError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """Open a temporary file beside ``path``; on success it is synced and renamed onto ``path``.

    On any exception (Ctrl-C included) the temporary file is removed and ``path`` is untouched.

    >>> import tempfile, os
    >>> target = os.path.join(tempfile.mkdtemp(), "hello.txt")
    >>> with atomic_write(target) as f:
    ...     _ = f.write(b"hello")
    >>> open(target).read()
    'hello'
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual permissions
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def check_output_path(out: Path, suffix: str, kind: str) -> None:
    """Raise ``NnvizError`` (one line naming ``--out``) unless ``out`` can be written, before any work.

    ``out`` must be a file name ending in ``suffix`` (``kind`` says what such a file is) in a
    folder that exists and can be written in.

    >>> check_output_path(Path("lesson.pdf"), ".pdf", "the handout is a PDF file")
    >>> check_output_path(Path("lesson.txt"), ".pdf", "the handout is a PDF file")
    Traceback (most recent call last):
    ...
    nnviz.core.errors.NnvizError: --out lesson.txt: the handout is a PDF file; use e.g. lesson.pdf
    """
    if out.is_dir():
        raise NnvizError(f"--out {out}: is a directory; give a file name such as {out / ('lesson' + suffix)}")
    if out.suffix.lower() != suffix:
        raise NnvizError(f"--out {out}: {kind}; use e.g. {out.with_suffix(suffix)}")
    folder = out.parent
    if not folder.is_dir():
        what = "is a file, not a folder" if folder.exists() else "does not exist"
        raise NnvizError(f"--out {out}: the folder {folder} {what}; create it or choose another")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise NnvizError(f"--out {out}: cannot write in the folder {folder}")
