"""Manim mobjects and animations of nnviz; each draws numbers it is given by the core."""

from .beats import BeatScene, as_slide, beat, slides_available
from .formulas import LayerEquation, MatrixForm, ParameterTally, RoleMathTex, WeightedSum, tex_number
from .plots import ActivationPlot, SquishedNumberLine
from .animations import (
    EdgeFlash,
    PixelsToNeurons,
    Propagation,
    Reveal,
    SweepActivation,
    clear_highlight,
    edges_to_grid,
    grid_to_edges,
    highlight_incoming,
    pixels_to_neurons,
    propagate,
    reveal,
    sweep_activation,
)
from .diagram import Edge, NetworkDiagram, Neuron, activation_opacity, shown_indices
from .pixels import PixelGrid, weight_grids
