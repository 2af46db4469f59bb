"""Manim mobjects and animations of nnviz; each draws numbers it is given by the core.

One family per module:

* :mod:`.diagram` — :class:`NetworkDiagram`; :mod:`.diagram_parts` — :class:`Neuron`,
  :class:`Edge`, :func:`shown_indices`, :func:`activation_opacity`.
* :mod:`.pixels` — :class:`PixelGrid`, :func:`weight_grids`.
* :mod:`.preprocessing` — :class:`PicturePanel`, :class:`BoundingBox`, :class:`ScaleArrow`;
  :mod:`.preprocessing_canvas` — :class:`CentreOfMass`, :class:`InputCanvas`,
  :class:`AnswerColumn`: the pre-processing steps.
* :mod:`.propagation` — :class:`EdgeFlash`, :func:`propagate`; :mod:`.pixel_pouring` —
  :func:`pixels_to_neurons`; :mod:`.edge_grid_morph` — :func:`edges_to_grid`,
  :func:`grid_to_edges`; :mod:`.highlight` — :func:`reveal`, :func:`sweep_activation`,
  :func:`highlight_incoming`, :func:`clear_highlight`, :func:`lit_incoming_edges`.
* :mod:`.tex` — :class:`RoleMathTex` and the TeX helpers; :mod:`.weighted_sum`,
  :mod:`.matrix_form`, :mod:`.tally` — the formulas.
* :mod:`.activation_plot` — :class:`ActivationPlot`; :mod:`.number_line` —
  :class:`SquishedNumberLine`.
* :mod:`.weight_sheet` — :class:`WeightSheet`; :mod:`.learning_curve` — :class:`LearningCurve`;
  :mod:`.output_bars` — :class:`OutputBars`; :mod:`.playback` — :func:`play_snapshots`,
  :class:`SnapshotText`: a training run played back. :mod:`.confusion` — :class:`ConfusionGrid`.
* :mod:`.beats` — the beat hook; :mod:`.cairo_paths` — :func:`cache_cairo_paths`;
  :mod:`.svg_paths` — :func:`lean_svg_paths`;
  :mod:`.formula_store` — :func:`share_compiled_formulas`;
  :mod:`.mobject_utils`, :mod:`.animation_utils`, :mod:`.axis_ticks` — helpers.

Example::

    import numpy as np
    from manim import Scene
    from nnviz import load_network
    from nnviz.visual import NetworkDiagram, propagate

    class Forward(Scene):
        def construct(self):
            net = load_network()
            diagram = NetworkDiagram(net)
            self.add(diagram)
            self.play(propagate(diagram, net.forward(np.full(784, 0.5))))
"""

from ..core.shown import shown_indices
from .activation_plot import ActivationPlot
from .beats import BeatScene, as_slide, beat, slides_available
from .cairo_paths import cache_cairo_paths
from .confusion import ConfusionGrid
from .diagram import NetworkDiagram
from .diagram_parts import Edge, Neuron, activation_opacity
from .edge_grid_morph import edges_to_grid, grid_to_edges
from .formula_store import formula_store, share_compiled_formulas
from .highlight import (
    Reveal,
    SweepActivation,
    clear_highlight,
    highlight_incoming,
    lit_incoming_edges,
    reveal,
    sweep_activation,
)
from .learning_curve import LearningCurve
from .matrix_form import LayerEquation, MatrixForm
from .number_line import SquishedNumberLine
from .output_bars import OutputBars
from .pixel_pouring import PixelsToNeurons, pixels_to_neurons
from .pixels import PixelGrid, weight_grids
from .playback import SnapshotText, play_snapshots, staged
from .preprocessing import BoundingBox, PicturePanel, ScaleArrow
from .preprocessing_canvas import AnswerColumn, CentreOfMass, InputCanvas
from .propagation import EdgeFlash, Propagation, propagate
from .svg_paths import lean_svg_paths
from .tally import ParameterTally
from .tex import (
    FUNCTION_TEX,
    RoleMathTex,
    function_name,
    role_color,
    tex_count,
    tex_number,
    tex_pieces,
    written_indices,
)
from .weight_sheet import WeightSheet
from .weighted_sum import WeightedSum

__all__ = [
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
