"""The one exception type that carries a message meant for the user."""

from __future__ import annotations


class NnvizError(ValueError):
    """Bad input that the user can fix: the message says what is wrong and what to do.

    The CLI prints it as one line on stderr and exits with code 2.

    >>> raise NnvizError("weights.npz: not an .npz file; pass a file written by `nnviz train`")
    Traceback (most recent call last):
    ...
    nnviz.core.errors.NnvizError: weights.npz: not an .npz file; pass a file written by `nnviz train`
    """
