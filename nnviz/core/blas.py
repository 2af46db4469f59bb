"""One BLAS thread for the core's matrix products.

Every product here has at most a few dozen columns (16 hidden neurons), too narrow for BLAS
threads to pay off: measured on a shared 2-core machine, OpenBLAS's second thread made the
forward pass of 10,000 digits about 1.5-2x slower and training mini-batches slower still,
because its threads spin while waiting for a core.
"""

from __future__ import annotations

import contextlib
from contextlib import AbstractContextManager as ContextManager

_controller = None


def one_blas_thread() -> ContextManager[object]:
    """A context in which BLAS runs single-threaded (about 20 us to enter).

    >>> import numpy as np
    >>> with one_blas_thread():
    ...     float((np.ones((2, 3)) @ np.ones(3))[0])
    3.0
    """
    global _controller
    try:
        if _controller is None:
            from threadpoolctl import ThreadpoolController

            _controller = ThreadpoolController()
        return _controller.limit(limits=1, user_api="blas")
    except Exception:  # threadpoolctl cannot see this BLAS: run as configured
        return contextlib.nullcontext()
