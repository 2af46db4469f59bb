"""The lesson's scenes, in teaching order: one Scene class per file in ``scenes/``.

The catalog is data only (no manim import), so the CLI can list, check and schedule
scenes without loading manim. The scene files are package data of ``nnviz.scenes`` (the
repository's ``scenes/`` folder, inside ``nnviz/`` in a wheel); ``NNVIZ_SCENES_DIR`` points
the catalog at another folder of scene files (tests and the gallery use a temporary one).

>>> [s.name for s in SCENES][:3]
['ThisIsAThree', 'NeuronHoldsANumber', 'InputLayer']
>>> find_scene("feed_forward").title
'Activations of one layer determine the next'
"""

from __future__ import annotations

import ast
import os
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import NnvizError
from ..core.paths import package_folder

#: Overrides the folder that holds the scene files (default: the ``nnviz.scenes`` package).
ENV_SCENES_DIR = "NNVIZ_SCENES_DIR"


@dataclass(frozen=True)
class SceneEntry:
    """One scene of the lesson: its Scene class, its file in ``scenes/`` and a one-line title."""

    name: str
    file: str
    title: str

    def path(self, scenes_dir: Path | None = None) -> Path:
        """Where the scene's file is: ``scenes_dir`` (default :func:`scenes_dir`) / ``file``."""
        return (scenes_dir or default_scenes_dir()) / self.file


SCENES: tuple[SceneEntry, ...] = (
    SceneEntry("ThisIsAThree", "this_is_a_three.py", "A sloppy 28x28 three, and we read it at once"),
    SceneEntry("NeuronHoldsANumber", "neuron_holds_a_number.py", "A neuron is a thing that holds a number"),
    SceneEntry("InputLayer", "input_layer.py", "784 pixels become 784 input neurons"),
    SceneEntry("HiddenAndOutputLayers", "hidden_and_output_layers.py", "Two hidden layers of 16 and ten outputs"),
    SceneEntry("PreProcessing", "pre_processing.py", "A picture becomes 28x28: box, scale to 20 px, centre of mass"),
    SceneEntry("FeedForward", "feed_forward.py", "Activations of one layer determine the next"),
    SceneEntry("WhyLayers", "why_layers.py", "Why layers: edges, then loops and lines, then digits"),
    SceneEntry("EdgeDetectorWeights", "edge_detector_weights.py", "Weights pick out a pattern of pixels"),
    SceneEntry("Sigmoid", "sigmoid.py", "The sigmoid squishes any weighted sum into (0, 1)"),
    SceneEntry("Bias", "bias.py", "The bias: how high the sum must be before the neuron lights up"),
    SceneEntry("CountingParameters", "counting_parameters.py", "13,002 weights and biases to set"),
    SceneEntry("MatrixNotation", "matrix_notation.py", "A whole layer at once: sigma(W a + b)"),
    SceneEntry("NetworkIsAFunction", "network_is_a_function.py", "The network is one function: 784 numbers in, 10 out"),
    SceneEntry("WhatTheNetworkLearned", "what_the_network_learned.py", "What the hidden neurons really look for"),
    SceneEntry("WatchItLearn", "watch_it_learn.py", "Watch it learn: from random weights to the trained network"),
    SceneEntry("WhereItFails", "where_it_fails.py", "Where it fails: confusions and confident mistakes"),
    SceneEntry("ReLUvsSigmoid", "relu_vs_sigmoid.py", "ReLU versus sigmoid"),
)


def default_scenes_dir() -> Path:
    """``$NNVIZ_SCENES_DIR`` if set, else the lesson's own scene files (the ``nnviz.scenes`` package).

    In a wheel that is ``nnviz/scenes/`` in site-packages; in a checkout, its ``scenes/`` folder.
    """
    override = os.environ.get(ENV_SCENES_DIR, "").strip()
    if override:
        return Path(override)
    return package_folder("nnviz.scenes", "scenes")


def scene_names() -> list[str]:
    """The class names of the lesson's scenes, in teaching order."""
    return [s.name for s in SCENES]


def find_scene(name: str) -> SceneEntry:
    """The catalog entry for a class name or file stem, case-insensitively.

    >>> find_scene("sigmoid").name
    'Sigmoid'
    """
    key = name.strip().lower().removesuffix(".py")
    for entry in SCENES:
        if key in (entry.name.lower(), entry.file.lower().removesuffix(".py")):
            return entry
    raise NnvizError(f"unknown scene {name!r}; the lesson's scenes are: {', '.join(scene_names())}")


def scene_classes_in(path: Path) -> list[str]:
    """Names of the classes defined at the top level of a Python file, read without importing it.

    manim renders only Scene classes defined in the file it is given, so these are the
    candidates; whether each really is a Scene is manim's to check.
    """
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    except FileNotFoundError:
        raise NnvizError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as e:
        raise NnvizError(f"{path}: cannot read it ({e})") from None
    except SyntaxError as e:
        raise NnvizError(f"{path}:{e.lineno}: syntax error: {e.msg}") from None
    return [node.name for node in tree.body if isinstance(node, ast.ClassDef)]
