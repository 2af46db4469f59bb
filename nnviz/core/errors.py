"""The one exception type that carries a message meant for the user."""

from __future__ import annotations

from .version import __version__


class NnvizError(ValueError):
    """Bad input that the user can fix: the message says what is wrong and what to do.

    The CLI prints it as one line on stderr and exits with code 2.

    >>> raise NnvizError("weights.npz: not an .npz file; pass a file written by `nnviz train`")
    Traceback (most recent call last):
    ...
    nnviz.core.errors.NnvizError: weights.npz: not an .npz file; pass a file written by `nnviz train`
    """


def install_hint(extra: str) -> str:
    """How to add nnviz's optional ``extra``, from a checkout or from nnviz's wheel.

    (PyPI's ``nnviz`` is another project, so the hint never says ``pip install nnviz[...]``.)

    >>> install_hint("slides").startswith("pip install -e '.[slides]' in nnviz's checkout")
    True
    """
    wheel = f"nnviz-{__version__}-py3-none-any.whl"
    return f"pip install -e '.[{extra}]' in nnviz's checkout, or pip install '{wheel}[{extra}]' with nnviz's wheel"
