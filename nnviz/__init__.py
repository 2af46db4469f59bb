"""nnviz: the first lesson on neural networks, with real numbers, drawn with Manim.

The numeric core needs only numpy::

    import nnviz
    net = nnviz.load_network()              # the shipped 784-16-16-10 network
    test = nnviz.load_dataset()             # the embedded subset's held-out split
    trace = net.forward(test.inputs()[0])
    print(trace.prediction, test.labels[0])

    steps = nnviz.preprocess_steps("my_digit.png")   # the pre-processing, one step at a time
    print(steps.box_size, steps.scale, steps.centre_of_mass, steps.offset)
    net.forward(steps.final)                         # the same input as nnviz.preprocess gives

The Manim mobjects (``NetworkDiagram``, ``PixelGrid``, ...) and the lesson's ``LessonScene``
are importable from ``nnviz`` too. Every name but the theme's loads its module on first use
(manim for the mobjects; scipy, PIL or the data for parts of the core), so ``import nnviz``
and the ``nnviz`` command stay quick to start.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .theme import Theme, get_theme, make_theme, weight_color, weight_strength

if TYPE_CHECKING:  # what the lazy __getattr__ below resolves, spelled out for IDEs and type checkers
    from .api import Dataset, load_dataset, load_network, load_relu_network, preprocess
    from .core.detectors import band_weights, detector_network, stroke_detectors, stroke_mask, stroke_weights
    from .core.mistakes import Mistake, confident_mistakes, largest_confusions
    from .core.network import Network, Trace
    from .core.preprocess import PreprocessSteps, preprocess_steps
    from .core.regions import enclosed_holes, split_eight, split_four, split_loop, split_nine
    from .core.snapshots import SnapshotPlan, Snapshots, load_snapshots
    from .core.training import accuracy, confusion_matrix
    from .lesson import DiagramLessonScene, LessonScene, LessonSettings, lesson_settings
    from .visual import (
        FUNCTION_TEX,
        ActivationPlot,
        AnswerColumn,
        BeatScene,
        BoundingBox,
        CentreOfMass,
        ConfusionGrid,
        Edge,
        EdgeFlash,
        InputCanvas,
        LayerEquation,
        LearningCurve,
        MatrixForm,
        NetworkDiagram,
        Neuron,
        OutputBars,
        ParameterTally,
        PicturePanel,
        PixelGrid,
        PixelsToNeurons,
        Propagation,
        Reveal,
        RoleMathTex,
        ScaleArrow,
        SnapshotText,
        SquishedNumberLine,
        SweepActivation,
        WeightedSum,
        WeightSheet,
        activation_opacity,
        as_slide,
        beat,
        cache_cairo_paths,
        clear_highlight,
        edges_to_grid,
        formula_store,
        function_name,
        grid_to_edges,
        highlight_incoming,
        lean_svg_paths,
        lit_incoming_edges,
        pixels_to_neurons,
        play_snapshots,
        propagate,
        reveal,
        role_color,
        share_compiled_formulas,
        shown_indices,
        slides_available,
        staged,
        sweep_activation,
        tex_count,
        tex_number,
        tex_pieces,
        weight_grids,
        written_indices,
    )

from .core.version import __version__ as __version__

# Module -> the public names it defines, imported when one of them is first read.
_CORE_MODULES = {
    "nnviz.api": ("Dataset", "load_dataset", "load_network", "load_relu_network", "preprocess"),
    "nnviz.core.detectors": ("band_weights", "detector_network", "stroke_detectors", "stroke_mask", "stroke_weights"),
    "nnviz.core.mistakes": ("Mistake", "confident_mistakes", "largest_confusions"),
    "nnviz.core.network": ("Network", "Trace"),
    "nnviz.core.preprocess": ("PreprocessSteps", "preprocess_steps"),
    "nnviz.core.regions": ("enclosed_holes", "split_eight", "split_four", "split_loop", "split_nine"),
    "nnviz.core.snapshots": ("SnapshotPlan", "Snapshots", "load_snapshots"),
    "nnviz.core.training": ("accuracy", "confusion_matrix"),
}
_CORE_NAMES = {name: module for module, names in _CORE_MODULES.items() for name in names}
_LAZY_MODULES = ("nnviz.visual", "nnviz.lesson")

__all__ = [
    # the numeric core
    "Dataset",
    "Network",
    "Trace",
    "load_dataset",
    "load_network",
    "load_relu_network",
    "preprocess",
    "preprocess_steps",
    "PreprocessSteps",
    "accuracy",
    # a recorded training run and where the network fails (nnviz.core.snapshots, nnviz.core.mistakes)
    "SnapshotPlan",
    "Snapshots",
    "load_snapshots",
    "confusion_matrix",
    "Mistake",
    "confident_mistakes",
    "largest_confusions",
    # hand-set networks and digit shapes the lesson explains (nnviz.core.detectors, nnviz.core.regions)
    "band_weights",
    "detector_network",
    "stroke_detectors",
    "stroke_mask",
    "stroke_weights",
    "enclosed_holes",
    "split_eight",
    "split_four",
    "split_loop",
    "split_nine",
    # colours and sizes (nnviz.theme, no manim import)
    "Theme",
    "get_theme",
    "make_theme",
    "weight_color",
    "weight_strength",
    # the lesson (nnviz.lesson)
    "LessonScene",
    "DiagramLessonScene",
    "LessonSettings",
    "lesson_settings",
    # mobjects and animations (nnviz.visual)
    "FUNCTION_TEX",
    "ActivationPlot",
    "AnswerColumn",
    "BeatScene",
    "BoundingBox",
    "CentreOfMass",
    "ConfusionGrid",
    "Edge",
    "EdgeFlash",
    "InputCanvas",
    "LayerEquation",
    "LearningCurve",
    "MatrixForm",
    "NetworkDiagram",
    "Neuron",
    "OutputBars",
    "ParameterTally",
    "PicturePanel",
    "PixelGrid",
    "PixelsToNeurons",
    "Propagation",
    "Reveal",
    "RoleMathTex",
    "ScaleArrow",
    "SnapshotText",
    "SquishedNumberLine",
    "SweepActivation",
    "WeightSheet",
    "WeightedSum",
    "activation_opacity",
    "as_slide",
    "beat",
    "cache_cairo_paths",
    "clear_highlight",
    "edges_to_grid",
    "formula_store",
    "function_name",
    "grid_to_edges",
    "highlight_incoming",
    "lean_svg_paths",
    "lit_incoming_edges",
    "pixels_to_neurons",
    "play_snapshots",
    "propagate",
    "reveal",
    "role_color",
    "share_compiled_formulas",
    "shown_indices",
    "slides_available",
    "staged",
    "sweep_activation",
    "tex_count",
    "tex_number",
    "tex_pieces",
    "weight_grids",
    "written_indices",
]


def __getattr__(name: str) -> Any:
    if name.startswith("_"):
        raise AttributeError(name)
    if name in _CORE_NAMES:
        value = getattr(importlib.import_module(_CORE_NAMES[name]), name)
    else:
        value = _visual_or_lesson(name)
    globals()[name] = value  # later reads skip this function
    return value


def _visual_or_lesson(name: str) -> Any:
    for module in _LAZY_MODULES:
        try:
            return getattr(importlib.import_module(module), name)
        except AttributeError:
            continue
    raise AttributeError(f"module 'nnviz' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
