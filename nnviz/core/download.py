"""Fetch full MNIST (60,000 + 10,000 digits) as its four gzipped IDX files, verified.

Each file is streamed to a temporary name beside its destination, its SHA-256 checked,
and only then renamed into place (``atomic_write``), so the cache never holds a partial or altered file.
A file already in the cache with the right digest is not fetched again.
"""

from __future__ import annotations

import hashlib
import os
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from pathlib import Path

from .atomic import atomic_write
from .errors import NnvizError
from .paths import user_cache_dir

#: The PyTorch team's copy of Yann LeCun's MNIST files (the original site now needs a login).
DEFAULT_MIRROR = "https://ossci-datasets.s3.amazonaws.com/mnist/"

#: SHA-256 of the four files as published, from TensorFlow Datasets'
#: tensorflow_datasets/url_checksums/mnist.txt (sizes 9912422, 28881, 1648877, 4542 bytes).
MNIST_SHA256: dict[str, str] = {
    "train-images-idx3-ubyte.gz": "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
    "train-labels-idx1-ubyte.gz": "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
    "t10k-images-idx3-ubyte.gz": "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
    "t10k-labels-idx1-ubyte.gz": "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
}

#: Called as progress(filename, bytes_done, bytes_total); bytes_total is None when the
#: server does not say.
Progress = Callable[[str, int, "int | None"], None]

_CHUNK = 1 << 16


def default_cache_dir() -> Path:
    """``$NNVIZ_CACHE`` if set, else ``~/.cache/nnviz/mnist``
    (``$XDG_CACHE_HOME/nnviz/mnist`` when XDG_CACHE_HOME is set).

    >>> isinstance(default_cache_dir(), Path)
    True
    """
    chosen = os.environ.get("NNVIZ_CACHE")
    if chosen:
        return Path(chosen).expanduser()
    return user_cache_dir() / "mnist"


def download_mnist(
    cache_dir: str | os.PathLike[str] | None = None,
    base_url: str = DEFAULT_MIRROR,
    progress: Progress | None = None,
    checksums: Mapping[str, str] = MNIST_SHA256,
    timeout: float = 60.0,
) -> Path:
    """Download the files named in ``checksums`` from ``base_url`` into ``cache_dir``; return it.

    The directory then loads with ``load_dataset(directory, split)``. A digest mismatch
    deletes the download and raises ``NnvizError``.

    >>> import tempfile
    >>> d = tempfile.mkdtemp()
    >>> download_mnist(d, checksums={}) == Path(d)   # nothing asked, nothing fetched
    True
    """
    cache = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    try:
        cache.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise NnvizError(f"{cache}: cannot create the cache directory ({e.strerror}); pick another") from e
    for name, digest in checksums.items():
        target = cache / name
        if target.is_file() and sha256_of(target) == digest.lower():
            continue  # verified earlier: no need to fetch it again
        _fetch(base_url.rstrip("/") + "/" + name, target, digest.lower(), progress, timeout)
    return cache


def sha256_of(path: str | os.PathLike[str]) -> str:
    """The hex SHA-256 digest of a file, read in chunks.

    >>> import tempfile
    >>> with tempfile.NamedTemporaryFile() as f:
    ...     sha256_of(f.name)[:16]
    'e3b0c44298fc1c14'
    """
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _fetch(url: str, target: Path, digest: str, progress: Progress | None, timeout: float) -> None:
    """Stream ``url`` into ``target``; a digest mismatch or an error leaves ``target`` untouched."""
    try:
        # atomic_write renames the temporary file onto target only if the block succeeds.
        with atomic_write(target) as out, urllib.request.urlopen(url, timeout=timeout) as response:
            length = response.headers.get("Content-Length")
            total = int(length) if length and length.isdigit() else None
            hasher, done = hashlib.sha256(), 0
            if progress is not None:
                progress(target.name, done, total)
            while chunk := response.read(_CHUNK):
                out.write(chunk)
                hasher.update(chunk)
                done += len(chunk)
                if progress is not None:
                    progress(target.name, done, total)
            if hasher.hexdigest() != digest:
                raise NnvizError(
                    f"{target.name}: SHA-256 {hasher.hexdigest()[:16]}... does not match the expected "
                    f"{digest[:16]}... (from {url}); the download was deleted: retry or use another mirror"
                )
    except urllib.error.HTTPError as e:
        raise NnvizError(f"{url}: the server answered {e.code} {e.reason}; try another mirror") from e
    except (urllib.error.URLError, OSError) as e:
        reason = getattr(e, "reason", None) or e
        raise NnvizError(
            f"{url}: download failed ({reason}); check the network, or put the MNIST .gz files "
            f"in {target.parent} by hand"
        ) from e
