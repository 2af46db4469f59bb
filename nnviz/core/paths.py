"""Where nnviz finds its shipped data: package data read through :mod:`importlib.resources`.

The repository keeps the data in its top-level ``assets/`` folder and the lesson's scene files
in ``scenes/``; an install maps them to the packages ``nnviz.assets`` and ``nnviz.scenes``
(pyproject's ``package-dir``), so a wheel carries them inside ``nnviz/`` and an editable
install points at the repository's folders. Either way :func:`package_folder` finds them.

>>> EMBEDDED_DATASET.name, SHIPPED_NETWORK.parent == ASSETS
('mnist_subset.npz', True)
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

#: The repository root, seen from this file: nnviz/core/paths.py.
_CHECKOUT = Path(__file__).resolve().parents[2]


def package_folder(package: str, checkout_folder: str) -> Path:
    """The folder that holds ``package``'s files, e.g. ``package_folder("nnviz.assets", "assets")``.

    An installed nnviz (wheel or editable) resolves ``package`` with :mod:`importlib.resources`.
    A source checkout that was never installed (``sys.path`` set to the repository, as the
    tools do) has no such package, so the repository's ``checkout_folder`` is used instead.
    """
    try:
        root = resources.files(package)
    except ModuleNotFoundError:
        return _CHECKOUT / checkout_folder
    # A package on the file system is a folder; only an install into a zip archive is not.
    return root if isinstance(root, Path) else Path(str(root))


def user_cache_dir() -> Path:
    """nnviz's folder in the user's cache: ``$XDG_CACHE_HOME/nnviz``, else ``~/.cache/nnviz``.

    Downloads, the formula store and a cluster worker's TeX folders live under it. Raises
    ``RuntimeError`` when XDG_CACHE_HOME is not set and the home folder cannot be found.

    >>> user_cache_dir().name
    'nnviz'
    """
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg).expanduser() if xdg else Path.home() / ".cache") / "nnviz"


#: The shipped data: the embedded MNIST subset, the shipped networks and their provenance.
ASSETS = package_folder("nnviz.assets", "assets")
EMBEDDED_DATASET = ASSETS / "mnist_subset.npz"
SHIPPED_NETWORK = ASSETS / "network.npz"
SHIPPED_RELU_NETWORK = ASSETS / "network_relu.npz"
