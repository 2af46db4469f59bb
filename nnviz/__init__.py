"""nnviz: the first lesson on neural networks, with real numbers, drawn with Manim.

The numeric core needs only numpy::

    import nnviz
    net = nnviz.load_network()              # the shipped 784-16-16-10 network
    test = nnviz.load_dataset()             # the embedded subset's held-out split
    trace = net.forward(test.images[0])
    print(trace.prediction, test.labels[0])

The Manim mobjects (``NetworkDiagram``, ``PixelGrid``, ...) and the lesson's ``LessonScene``
are importable from ``nnviz`` too; they load manim on first use, so the core and the CLI
stay quick to start.
"""

from __future__ import annotations

import importlib
from typing import Any

from .api import load_dataset, load_network, load_relu_network, preprocess
from .core.network import Network, Trace

__version__ = "0.1.0"

__all__ = ["Network", "Trace", "load_dataset", "load_network", "load_relu_network", "preprocess"]


def __getattr__(name: str) -> Any:
    # Visual names resolve lazily so that `import nnviz` never imports manim.
    if name.startswith("_"):
        raise AttributeError(name)
    for module in ("nnviz.visual", "nnviz.lesson"):
        try:
            return getattr(importlib.import_module(module), name)
        except AttributeError:
            continue
    raise AttributeError(f"module 'nnviz' has no attribute {name!r}")
