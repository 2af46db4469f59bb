"""Where a network fails: its most common confusions and the digits it is most confidently wrong about.

Both read the network's outputs on a labelled set (usually the held-out split); the confusion
matrix itself is :func:`nnviz.core.training.confusion_matrix`.

Example::

    from nnviz import load_network, load_dataset
    test = load_dataset()
    wrong = confident_mistakes(load_network(), test.images, test.labels, count=4)
    wrong[0].index, wrong[0].label, wrong[0].answer, wrong[0].confidence
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .network import Network
from .training import as_inputs


@dataclass(frozen=True)
class Mistake:
    """One wrongly read digit: its index in the set, true label, the network's answer and outputs.

    ``confidence`` is the answer's output activation (the brightest output).
    """

    index: int
    label: int
    answer: int
    outputs: np.ndarray

    @property
    def confidence(self) -> float:
        return float(self.outputs[self.answer])


def confident_mistakes(network: Network, images: np.ndarray, labels: np.ndarray, count: int = 4) -> list[Mistake]:
    """The ``count`` wrongly read digits whose (wrong) answer is brightest, most confident first.

    Ties keep the order of the set.

    >>> net = Network.from_parameters([np.array([[1.0], [-1.0]])], [np.zeros(2)])
    >>> [(m.index, m.answer) for m in confident_mistakes(net, np.array([[2.0], [1.0], [-3.0]]), np.array([1, 0, 0]))]
    [(2, 1), (0, 0)]
    """
    outputs = network.forward(as_inputs(images)).output
    labels = np.asarray(labels, dtype=int)
    answers = np.argmax(outputs, axis=1)
    wrong = np.flatnonzero(answers != labels)
    confidence = outputs[wrong, answers[wrong]]
    order = wrong[np.argsort(-confidence, kind="stable")][:count]
    return [Mistake(int(i), int(labels[i]), int(answers[i]), outputs[i].copy()) for i in order]


def largest_confusions(counts: np.ndarray, count: int = 3) -> list[tuple[int, int, int]]:
    """The ``count`` largest off-diagonal cells of a confusion matrix as (true, answer, times), largest first.

    >>> largest_confusions(np.array([[5, 2, 0], [0, 4, 3], [1, 0, 6]]), 2)
    [(1, 2, 3), (0, 1, 2)]
    """
    off = np.asarray(counts, dtype=int).copy()
    np.fill_diagonal(off, -1)
    order = np.argsort(-off, axis=None, kind="stable")[:count]
    cells = [np.unravel_index(k, off.shape) for k in order]
    return [(int(i), int(j), int(off[i, j])) for i, j in cells if off[i, j] > 0]


__all__ = ["Mistake", "confident_mistakes", "largest_confusions"]
