"""Formulas and plots: the numbers on screen are the core's, and the frames match the control data.

State tests check what is drawn (which numbers, where, in which colour). The graphical tests
compare last frames with tests/control_data/formulas/ (regenerate with ``--set_test``).
"""

from __future__ import annotations

import numpy as np
import pytest
from manim import DOWN, FadeIn, ManimColor, Scene, ValueTracker, VGroup, Write, tempconfig
from manim.utils.testing.frames_comparison import frames_comparison

from nnviz.core.activations import relu, sigmoid
from nnviz.core.errors import NnvizError
from nnviz.core.network import Network
from nnviz.theme import make_theme
from nnviz.visual import (
    ActivationPlot,
    LayerEquation,
    MatrixForm,
    ParameterTally,
    SquishedNumberLine,
    WeightedSum,
    tex_count,
    tex_number,
    written_indices,
)

__module_test__ = "formulas"

THEME = make_theme("classic")


@pytest.fixture(scope="module", autouse=True)
def _tex_cache_in_tmp(tmp_path_factory: pytest.TempPathFactory):
    """MathTex writes its .tex/.svg files under media_dir: keep them out of the working tree."""
    with tempconfig({"media_dir": str(tmp_path_factory.mktemp("media"))}):
        yield


def same_color(mob, hex_color: str) -> bool:
    return ManimColor(mob.get_color()).to_hex().lower() == ManimColor(hex_color).to_hex().lower()


@pytest.fixture(scope="module")
def net() -> Network:
    return Network([784, 16, 16, 10], seed=1)


@pytest.fixture(scope="module")
def trace(net: Network):
    x = np.random.default_rng(0).random(784)
    return net.forward(x)


# -- formatting -------------------------------------------------------------------------------
def test_tex_number_rounds_and_never_shows_minus_zero() -> None:
    assert tex_number(2.3149) == "2.31"
    assert tex_number(-0.004) == "0.00"
    assert tex_number(-1.2, parenthesize_negative=True) == "(-1.20)"
    assert tex_number(0.5, decimals=3) == "0.500"
    assert tex_count(13002) == "13{,}002"
    assert written_indices(784, 3) == [0, 1, 783]
    assert written_indices(2, 3) == [0, 1]


# -- parameter tally --------------------------------------------------------------------------
@pytest.mark.parametrize("sizes", [[784, 16, 16, 10], [8, 6, 6, 4], [3, 5, 2], [10, 1], [1000, 300, 10]])
def test_tally_terms_come_from_the_sizes_and_sum_to_parameter_count(sizes: list[int]) -> None:
    network = Network(sizes, seed=0)
    tally = ParameterTally(network, theme=THEME)
    expected = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        expected += [("weights", n_in * n_out), ("biases", n_out)]
    assert tally.terms == expected
    assert tally.total == network.parameter_count == sum(count for _, count in tally.terms)
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        assert rf"{n_in}\times{n_out}" in tally.tex_string
    assert tally.tex_string.endswith(tex_count(network.parameter_count))
    assert len(tally.parts_of("weight")) == len(tally.parts_of("bias")) == len(sizes) - 1
    assert all(same_color(p, THEME.weight_symbol) for p in tally.parts_of("weight"))
    assert all(same_color(p, THEME.bias_symbol) for p in tally.parts_of("bias"))


def test_tally_of_the_lesson_network_reads_13002() -> None:
    tally = ParameterTally(Network([784, 16, 16, 10]), theme=THEME)
    assert tally.tex_string.replace(" ", "") == (r"784\times16+16+16\times16+16+16\times10+10=13{,}002")


# -- weighted sum -----------------------------------------------------------------------------
def test_symbolic_weighted_sum_has_coloured_roles() -> None:
    ws = WeightedSum(n_terms=2, theme=THEME)
    assert ws.tex_string.replace(" ", "") == r"\sigma(w_{1}a_{1}+w_{2}a_{2}+\cdots+w_{n}a_{n}+b)"
    assert [p.tex_string for p in ws.parts_of("weight")] == ["w_{1}", "w_{2}", "w_{n}"]
    assert all(same_color(p, THEME.weight_symbol) for p in ws.parts_of("weight"))
    assert same_color(ws.parts_of("bias")[0], THEME.bias_symbol)
    assert same_color(ws.parts_of("function")[0], THEME.highlight)
    assert all(same_color(p, "#FFFFFF") for p in ws.parts_of("activation"))


def test_symbolic_weighted_sum_of_a_network_ends_at_the_real_fan_in(net: Network) -> None:
    ws = WeightedSum(network=net, layer=1, neuron=3, theme=THEME)
    assert "w_{784}" in ws.tex_string and "a_{784}" in ws.tex_string
    ws2 = WeightedSum(network=net, layer=2, neuron=0, inside_sigma=False, with_bias=False, theme=THEME)
    assert r"\sigma" not in ws2.tex_string and "w_{16}" in ws2.tex_string and "b" not in ws2.tex_string


@pytest.mark.parametrize("layer,neuron", [(1, 3), (2, 15), (3, 7)])
def test_weighted_sum_numbers_are_the_traces(net: Network, trace, layer: int, neuron: int) -> None:
    ws = WeightedSum(network=net, layer=layer, neuron=neuron, trace=trace, show_numbers=True, theme=THEME)
    z = trace.weighted_sums[layer - 1][neuron]
    a = trace.activations[layer][neuron]
    assert ws.weighted_sum_value == z and ws.activation_value == a
    assert ws.shown_text["weighted_sum"] == f"{z:.2f}".replace("-0.00", "0.00")
    assert ws.shown_text["activation"] == f"{a:.2f}"
    assert float(ws.shown_text["activation"]) == pytest.approx(float(sigmoid(np.asarray(z))), abs=0.005)
    assert ws.shown_text["bias"] == tex_number(net.biases[layer - 1][neuron])
    fan_in = net.sizes[layer - 1]
    assert [j for j, _, _ in ws.shown_terms] == [0, 1, fan_in - 1]
    for j, w, x in ws.shown_terms:
        assert w == net.weights[layer - 1][neuron, j]
        assert x == trace.activations[layer - 1][j]
        assert tex_number(w, parenthesize_negative=True) in ws.tex_string
    # The result is on screen as the trace's z and a, in that order.
    tail = ws.tex_string.split("=")
    assert tex_number(z) in tail[1] and tail[-1].strip() == tex_number(a)
    assert [p.tex_string for p in ws.parts_of("weight")] == [
        tex_number(w, parenthesize_negative=True) for _, w, _ in ws.shown_terms
    ]


def test_weighted_sum_largest_terms_are_the_biggest_contributions(net: Network, trace) -> None:
    ws = WeightedSum(network=net, layer=1, neuron=5, trace=trace, show_numbers=True, terms="largest", n_terms=3)
    contributions = np.abs(net.weights[0][5] * trace.activations[0])
    assert sorted(j for j, _, _ in ws.shown_terms) == sorted(np.argsort(-contributions)[:3].tolist())


def test_weighted_sum_uses_the_layers_real_function() -> None:
    net = Network([4, 3, 2], activation="relu", seed=2)
    tr = net.forward(np.linspace(0, 1, 4))
    hidden = WeightedSum(network=net, layer=1, neuron=0, trace=tr, show_numbers=True)
    output = WeightedSum(network=net, layer=2, neuron=0, trace=tr, show_numbers=True)
    assert r"\mathrm{ReLU}" in hidden.tex_string and r"\sigma" not in hidden.tex_string
    assert r"\sigma" in output.tex_string
    z = tr.weighted_sums[0][0]
    assert hidden.shown_text["activation"] == tex_number(float(relu(np.asarray(z))))


def test_weighted_sum_refuses_a_foreign_trace_or_a_batch(net: Network, trace) -> None:
    other = Network([784, 16, 16, 10], seed=2)
    with pytest.raises(NnvizError, match="not computed by this network"):
        WeightedSum(network=other, trace=trace, show_numbers=True)
    batch = net.forward(np.zeros((2, 784)))
    with pytest.raises(NnvizError, match="one input"):
        WeightedSum(network=net, trace=batch, show_numbers=True)
    with pytest.raises(NnvizError, match="needs the network"):
        WeightedSum(show_numbers=True)
    with pytest.raises(NnvizError, match="neuron 16"):
        WeightedSum(network=net, layer=1, neuron=16)


# -- matrix form ------------------------------------------------------------------------------
def test_matrix_form_symbols_have_consistent_indices(net: Network) -> None:
    form = MatrixForm(net, layer=1, theme=THEME)
    assert list(form.rows) == [0, 1, 2, None, 15]
    assert list(form.cols) == [0, 1, None, 783]
    row0 = [e.tex_string for e in form.row_entries(0)]
    assert row0 == ["w_{0,0}", "w_{0,1}", r"\cdots", "w_{0,783}"]
    last = [e.tex_string for e in form.row_entries(15)]
    assert last == ["w_{15,0}", "w_{15,1}", r"\cdots", "w_{15,783}"]
    assert [e.tex_string for e in form.biases.get_entries()] == ["b_{0}", "b_{1}", "b_{2}", r"\vdots", "b_{15}"]
    assert [e.tex_string for e in form.inputs.get_entries()][-1] == "a^{(0)}_{783}"
    assert next(e.tex_string for e in form.lhs.get_entries()) == "a^{(1)}_{0}"
    assert all(same_color(e, THEME.weight_symbol) for e in form.weights.get_entries())
    assert all(same_color(e, THEME.bias_symbol) for e in form.biases.get_entries())
    assert same_color(form.function, THEME.highlight)
    assert form.equation is not None
    assert form.equation.tex_string.replace(" ", "") == r"a^{(1)}=\sigma(Wa^{(0)}+b)"


def test_matrix_form_numbers_are_the_networks(net: Network, trace) -> None:
    form = MatrixForm(net, layer=2, trace=trace, show_numbers=True, rows=[0, 4, 9], theme=THEME)
    W, b = net.weights[1], net.biases[1]
    shown_cols = [j for j in form.cols if j is not None]
    for k in (0, 4, 9):
        entries = [e.tex_string for e in form.row_entries(k)]
        assert [e for e in entries if e != r"\cdots"] == [tex_number(W[k, j]) for j in shown_cols]
    lhs = [e.tex_string for e in form.lhs.get_entries() if e.tex_string != r"\vdots"]
    assert lhs == [tex_number(trace.activations[2][k]) for k in (0, 4, 9)]
    bias = [e.tex_string for e in form.biases.get_entries() if e.tex_string != r"\vdots"]
    assert bias == [tex_number(b[k]) for k in (0, 4, 9)]
    inputs = [e.tex_string for e in form.inputs.get_entries() if e.tex_string != r"\vdots"]
    assert inputs == [tex_number(trace.activations[1][j]) for j in shown_cols]


def test_matrix_form_highlights_a_shown_row_only(net: Network) -> None:
    form = MatrixForm(net, layer=1, theme=THEME)
    boxes = form.row_boxes(15)
    assert len(boxes) == 3
    row = form.row_entries(15)
    assert boxes[1].get_top()[1] > row.get_top()[1] and boxes[1].get_bottom()[1] < row.get_bottom()[1]
    assert form.highlight_row(0).run_time > 0
    with pytest.raises(NnvizError, match="rows shown"):
        form.row_boxes(7)


def test_formulas_fit_the_frame(net: Network, trace) -> None:
    from manim import config

    for mob in (
        MatrixForm(net, 1, trace=trace, show_numbers=True),
        MatrixForm(net, 1),
        WeightedSum(network=net, neuron=2, trace=trace, show_numbers=True, n_terms=4),
        ParameterTally(Network([784, 100, 100, 100, 10])),
    ):
        assert mob.width <= config.frame_width - 0.9
        assert mob.height <= config.frame_height


# -- plots ------------------------------------------------------------------------------------
@pytest.mark.parametrize("z", [-3.7, 0.0, 2.31, 4.9])
def test_sigmoid_mark_sits_at_z_and_sigmoid_z(z: float) -> None:
    plot = ActivationPlot("sigmoid", theme=THEME)
    mark = plot.mark(z)
    x, y = plot.axes.p2c(mark.dot.get_center())[:2]
    assert x == pytest.approx(z, abs=1e-6)
    assert y == pytest.approx(float(sigmoid(np.asarray(z))), abs=1e-6)
    assert mark.label.tex_string.split("=")[1].split()[0] == tex_number(z)
    assert mark.label.tex_string.split("=")[-1].strip() == tex_number(float(sigmoid(np.asarray(z))))


def test_relu_mark_and_curve_come_from_the_core() -> None:
    plot = ActivationPlot("relu", theme=THEME)
    mark = plot.mark(3.2)
    assert plot.axes.p2c(mark.dot.get_center())[:2] == pytest.approx([3.2, 3.2])
    for point in plot.curve.get_anchors():
        x, y = plot.axes.p2c(point)[:2]
        assert y == pytest.approx(float(relu(np.asarray(x))), abs=1e-6)
    assert same_color(plot.curve, THEME.highlight)


def test_mark_outside_the_range_is_refused() -> None:
    plot = ActivationPlot("sigmoid")
    with pytest.raises(NnvizError, match="wider x_range"):
        plot.mark(7.0)


def test_bias_shift_draws_sigmoid_of_z_plus_b() -> None:
    plot = ActivationPlot("sigmoid", x_range=(-5, 15), theme=THEME)
    shifted = plot.shifted(-10)
    assert plot.bias == 0 and shifted.bias == -10
    for point in shifted.curve.get_anchors():
        x, y = shifted.axes.p2c(point)[:2]
        assert y == pytest.approx(float(sigmoid(np.asarray(x - 10))), abs=1e-6)
    mark = shifted.mark(12.0)
    assert shifted.axes.p2c(mark.dot.get_center())[1] == pytest.approx(float(sigmoid(np.asarray(2.0))))
    assert "z + b" in mark.label.tex_string
    # The animation ends on the same curve and leaves the plot's bias at -10.
    anim = plot.shift_bias(-10, run_time=1)
    anim.begin()
    anim.interpolate(1.0)
    anim.finish()
    assert plot.bias == pytest.approx(-10)
    assert np.allclose(plot.curve.points, shifted.curve.points)
    assert "z + b" in plot.y_label.tex_string


def test_squish_maps_each_point_through_the_sigmoid() -> None:
    squish = SquishedNumberLine(x_range=(-6, 6), theme=THEME)
    anim = squish.squish(run_time=1)
    assert anim.run_time > 0
    assert len(squish.images) == len(squish.values) == 13
    for value, image in zip(squish.values, squish.images):
        assert squish.segment.p2n(image.get_center()) == pytest.approx(float(sigmoid(np.asarray(value))))


def test_tracking_mark_follows_the_tracker() -> None:
    plot = ActivationPlot("sigmoid")
    tracker = ValueTracker(-2.0)
    mark = plot.tracking_mark(tracker)
    tracker.set_value(1.5)
    mark.update()
    dot = mark[1]
    assert plot.axes.p2c(dot.get_center())[:2] == pytest.approx([1.5, float(sigmoid(np.asarray(1.5)))])
    assert mark[2][3].get_value() == pytest.approx(float(tex_number(float(sigmoid(np.asarray(1.5))))))


def test_layer_equation_colours() -> None:
    eq = LayerEquation(2, theme=THEME)
    assert eq.tex_string.replace(" ", "") == r"a^{(2)}=\sigma(Wa^{(1)}+b)"
    assert same_color(eq.parts_of("weight")[0], THEME.weight_symbol)
    assert same_color(eq.parts_of("bias")[0], THEME.bias_symbol)
    assert same_color(eq.parts_of("function")[0], THEME.highlight)


# -- graphical regression ---------------------------------------------------------------------
def _draw_everything(scene: Scene) -> None:
    """Make the compared last frame show every mobject, not only those of the last animation.

    With skipped animations (how frames_comparison runs) manim's test harness redraws only the
    scene's moving mobjects for the last frame; re-adding the mobjects after the last play
    makes them all moving, in their original order.
    """
    scene.add(*list(scene.mobjects))


def _network_and_trace():
    network = Network([784, 16, 16, 10], seed=1)
    return network, network.forward(np.random.default_rng(0).random(784))


@frames_comparison(last_frame=True)
def test_sigmoid_with_dot(scene: Scene) -> None:
    plot = ActivationPlot("sigmoid", theme=THEME)
    scene.add(plot)
    scene.play(FadeIn(plot.mark(2.31)))
    _draw_everything(scene)


@frames_comparison(last_frame=True)
def test_relu_with_dot(scene: Scene) -> None:
    plot = ActivationPlot("relu", theme=THEME)
    scene.add(plot, plot.mark(-2.5))
    scene.play(FadeIn(plot.mark(3.4)))
    _draw_everything(scene)


@frames_comparison(last_frame=True)
def test_sigmoid_bias_shift(scene: Scene) -> None:
    plot = ActivationPlot("sigmoid", x_range=(-5, 15), width=10, theme=THEME)
    scene.add(plot)
    scene.play(plot.shift_bias(-10))
    scene.add(plot.threshold_line(), plot.mark(11.2))
    _draw_everything(scene)


@frames_comparison(last_frame=True)
def test_weighted_sum(scene: Scene) -> None:
    network, trace = _network_and_trace()
    symbolic = WeightedSum(network=network, layer=1, neuron=3, theme=THEME)
    numbers = WeightedSum(network=network, layer=1, neuron=3, trace=trace, show_numbers=True, theme=THEME)
    generic = WeightedSum(theme=THEME)
    VGroup(generic, symbolic, numbers).arrange(DOWN, buff=0.6)
    scene.add(symbolic, numbers)
    scene.play(Write(generic))
    _draw_everything(scene)


@frames_comparison(last_frame=True)
def test_matrix_form(scene: Scene) -> None:
    network, _ = _network_and_trace()
    form = MatrixForm(network, layer=1, theme=THEME)
    scene.add(form)
    scene.play(form.highlight_row(1))
    _draw_everything(scene)


@frames_comparison(last_frame=True)
def test_matrix_form_numbers(scene: Scene) -> None:
    network, trace = _network_and_trace()
    form = MatrixForm(network, layer=3, trace=trace, show_numbers=True, max_rows=5, theme=THEME)
    scene.add(form)
    scene.play(form.highlight_row(9))
    _draw_everything(scene)


@frames_comparison(last_frame=True)
def test_parameter_tally(scene: Scene) -> None:
    scene.play(Write(ParameterTally(Network([784, 16, 16, 10]), theme=THEME)))
    _draw_everything(scene)


@frames_comparison(last_frame=True)
def test_squished_number_line(scene: Scene) -> None:
    squish = SquishedNumberLine(theme=THEME)
    scene.add(squish)
    scene.play(squish.squish())
    _draw_everything(scene)
