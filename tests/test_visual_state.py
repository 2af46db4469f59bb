"""Visual state: what the diagram and pixel grids draw is the numbers the core computed."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("manim")

from manim import ShowPassingFlash, VGroup, VMobject
from manim.utils.color import ManimColor

from nnviz.core.network import Network
from nnviz.core.paths import EMBEDDED_DATASET
from nnviz.theme import edge_width, get_theme, grid_opacity, make_theme
from nnviz.visual import (
    EdgeFlash,
    NetworkDiagram,
    PixelGrid,
    edges_to_grid,
    propagate,
    shown_indices,
    weight_grids,
)


def rgb(color: str) -> np.ndarray:
    return np.array(ManimColor(color).to_rgb())


@pytest.fixture(scope="module")
def net() -> Network:
    return Network([784, 16, 16, 10], seed=0)


@pytest.fixture(scope="module")
def digit() -> np.ndarray:
    with np.load(EMBEDDED_DATASET) as data:
        return data["images"][0].reshape(-1) / 255.0


@pytest.fixture(scope="module")
def diagram(net: Network, digit: np.ndarray) -> NetworkDiagram:
    return NetworkDiagram(net, trace=net.forward(digit))


def test_shown_indices_is_deterministic_sorted_and_central() -> None:
    a = shown_indices(784, 16)
    assert np.array_equal(a, shown_indices(784, 16))
    assert len(a) == 16 and np.all(np.diff(a) > 0)
    rows, cols = np.divmod(a, 28)
    assert rows.min() >= 4 and rows.max() <= 23 and cols.min() >= 4 and cols.max() <= 23
    assert np.array_equal(shown_indices(10, 16), np.arange(10))
    assert np.array_equal(shown_indices(100, 16, image=False), np.rint(np.linspace(0, 99, 16)).astype(int))


def test_fill_opacity_is_activation(diagram: NetworkDiagram, net: Network, digit: np.ndarray) -> None:
    trace = net.forward(digit)
    for l, layer in enumerate(diagram.layers):
        assert len(layer) == len(diagram.shown[l])
        for neuron, k in zip(layer, diagram.shown[l]):
            assert neuron.index == k and neuron.layer == l
            assert neuron.get_fill_opacity() == pytest.approx(trace.activations[l][k])
            assert neuron.activation == pytest.approx(trace.activations[l][k])


def test_shown_inputs_come_from_shown_indices(diagram: NetworkDiagram, net: Network, digit: np.ndarray) -> None:
    idx = shown_indices(784, 16)
    assert np.array_equal(diagram.shown[0], idx)
    assert [n.index for n in diagram.layers[0]] == idx.tolist()
    # the same indices choose the edges' weights
    for e in diagram.edges_into(1):
        assert e.source in set(idx.tolist())
        assert e.weight == net.weights[0][e.target, e.source]
    opacities = [n.get_fill_opacity() for n in diagram.layers[0]]
    assert np.allclose(opacities, digit[idx])
    assert max(opacities) > 0.5  # the central sampling shows some of the digit's ink


def test_edges_coloured_by_sign_and_width_by_magnitude(diagram: NetworkDiagram, net: Network) -> None:
    t = get_theme()
    for l in range(1, 4):
        edges = diagram.edges_into(l)
        assert len(edges) == len(diagram.shown[l - 1]) * len(diagram.shown[l])
        # widths are scaled by the largest |w| among the drawn edges
        drawn = net.weights[l - 1][np.ix_(diagram.shown[l], diagram.shown[l - 1])]
        max_abs = np.max(np.abs(drawn))
        for e in edges:
            w = net.weights[l - 1][e.target, e.source]
            assert e.weight == w
            expected = t.positive if w >= 0 else t.negative
            assert np.allclose(e.get_stroke_rgbas()[0, :3], rgb(expected))
            assert e.get_stroke_width() == pytest.approx(float(edge_width(w, max_abs)))
        widths = np.array([e.get_stroke_width() for e in edges])
        mags = np.array([abs(e.weight) for e in edges])
        assert np.all(np.diff(widths[np.argsort(mags)]) >= -1e-12)  # wider for larger |w|


def test_edges_join_the_right_neurons_rim_to_rim(diagram: NetworkDiagram) -> None:
    r = get_theme().neuron_radius
    for e in diagram.incoming_edges(2, 5):
        src, dst = diagram.neuron(1, e.source), diagram.neuron(2, e.target)
        assert np.linalg.norm(e.get_start() - src.get_center()) == pytest.approx(r, abs=1e-6)
        assert np.linalg.norm(e.get_end() - dst.get_center()) == pytest.approx(r, abs=1e-6)
    assert all(e.target == 5 for e in diagram.incoming_edges(2, 5))
    assert all(e.source == 5 for e in diagram.outgoing_edges(2, 5))
    assert len(diagram.outgoing_edges(2, 5)) == 10


def test_palette_changes_edge_colours(net: Network) -> None:
    t = make_theme("colorblind")
    d = NetworkDiagram(net, theme=t)
    e = d.edges_into(3)[0]
    assert np.allclose(e.get_stroke_rgbas()[0, :3], rgb(t.positive if e.weight >= 0 else t.negative))


def test_threshold_hides_weak_edges(net: Network) -> None:
    d = NetworkDiagram(net, edge_threshold=0.5)
    for l in range(1, 4):
        max_abs = np.max(np.abs(net.weights[l - 1][np.ix_(d.shown[l], d.shown[l - 1])]))
        assert all(abs(e.weight) >= 0.5 * max_abs for e in d.edges_into(l))
    assert len(d.edges_into(2)) < 256


def test_elided_layer_shows_real_size(diagram: NetworkDiagram) -> None:
    assert diagram.is_elided(0) and not diagram.is_elided(1)
    assert set(diagram.braces) == {0}
    assert diagram.braces[0].label.get_tex_string() == "784"
    assert len(diagram.ellipses[0]) == 3
    # the ellipsis sits between the 8th and 9th shown input
    y = diagram.ellipses[0].get_center()[1]
    assert diagram.layers[0][7].get_center()[1] > y > diagram.layers[0][8].get_center()[1]


def test_output_labels_and_winner_box(diagram: NetworkDiagram, net: Network, digit: np.ndarray) -> None:
    assert [lab.tex_string for lab in diagram.output_labels] == [str(i) for i in range(10)]
    winner = net.forward(digit).prediction
    box = diagram.box_winner()
    neuron = diagram.neuron(3, winner)
    assert box.get_left()[0] < neuron.get_left()[0] and box.get_right()[0] > diagram.label(winner).get_right()[0]
    assert box.get_bottom()[1] < neuron.get_center()[1] < box.get_top()[1]
    assert np.allclose(box.get_stroke_rgbas()[0, :3], rgb(get_theme().highlight))


def test_output_numbers_show_the_outputs_right_of_their_labels(
    diagram: NetworkDiagram, net: Network, digit: np.ndarray
) -> None:
    trace = net.forward(digit)
    out = trace.activations[-1]
    theme = get_theme()
    numbers = diagram.output_numbers(out)
    assert len(numbers) == len(diagram.shown[-1]) == 10
    winner = int(np.argmax(out))
    for number, k in zip(numbers, diagram.shown[-1]):
        assert round(number.get_value(), theme.decimals) == round(float(out[k]), theme.decimals)
        label = diagram.label(k)
        assert number.get_left()[0] > label.get_right()[0]
        assert number.get_center()[1] == pytest.approx(label.get_center()[1], abs=0.05)
        color = theme.highlight if k == winner else "#FFFFFF"
        assert np.allclose(number.get_fill_color().to_rgb(), rgb(color))
    # a trace is read for its output activations
    from_trace = diagram.output_numbers(trace, font_size=20, buff=0.5)
    assert [n.get_value() for n in from_trace] == [n.get_value() for n in numbers]
    assert from_trace[0].get_left()[0] > numbers[0].get_left()[0]
    with pytest.raises(ValueError, match="outputs"):
        diagram.output_numbers(out[:5])


def test_output_numbers_follow_the_shown_outputs() -> None:
    net = Network([8, 6, 10], seed=2)
    d = NetworkDiagram(net, shown=4)
    out = net.forward(np.linspace(0, 1, 8)).activations[-1]
    numbers = d.output_numbers(out)
    assert len(numbers) == len(d.shown[-1]) == 4
    assert [n.get_value() for n in numbers] == [float(out[k]) for k in d.shown[-1]]


def test_small_network_shows_every_neuron() -> None:
    net = Network([8, 6, 6, 4], seed=3)
    d = NetworkDiagram(net, trace=net.forward(np.linspace(0, 1, 8)))
    assert [len(layer) for layer in d.layers] == [8, 6, 6, 4]
    assert not d.braces and not d.ellipses
    assert [len(g) for g in d.edge_groups] == [48, 36, 24]
    trace = net.forward(np.linspace(0, 1, 8))
    for l, layer in enumerate(d.layers):
        assert np.allclose([n.get_fill_opacity() for n in layer], trace.activations[l])


def test_sizes_only_diagram_has_neutral_edges() -> None:
    d = NetworkDiagram([5, 3, 2])
    assert all(e.weight is None for g in d.edge_groups for e in g)
    assert len(d.layers[0]) == 5


def test_all_inputs_mode_represents_every_input_and_edge(net: Network, digit: np.ndarray) -> None:
    d = NetworkDiagram(net, all_inputs=True, trace=net.forward(digit))
    assert len(d.layers[0]) == 784 and not d.is_elided(0)
    first = d.edges_into(1)
    assert len(first) == 12544
    pairs = {(e.source, e.target) for e in first}
    assert len(pairs) == 12544
    assert sum(len(g) for g in d.edge_groups) == 12544 + 256 + 160
    assert np.allclose([n.get_fill_opacity() for n in d.layers[0]], digit)
    # a 28x28 sheet: pixel (r, c) of the image is neuron r*28+c at row r, column c
    n0, n1, n28 = d.neuron(0, 0), d.neuron(0, 1), d.neuron(0, 28)
    assert n1.get_center()[0] > n0.get_center()[0] and n28.get_center()[1] < n0.get_center()[1]
    max_abs = np.max(np.abs(net.weights[0]))
    for e in list(first)[::997]:
        w = net.weights[0][e.target, e.source]
        assert e.weight == w
        assert e.get_stroke_width() == pytest.approx(float(d.edge_stroke_width(1, w)))
        assert d.edge_stroke_width(1, w) == pytest.approx(
            float(edge_width(w, max_abs)) * get_theme().sheet_edge_width / get_theme().max_edge_width
        )


def test_set_trace_and_with_trace(net: Network, digit: np.ndarray) -> None:
    d = NetworkDiagram(net)
    assert all(n.get_fill_opacity() == 0 for layer in d.layers for n in layer)
    other = d.with_trace(net.forward(digit))
    assert all(n.get_fill_opacity() == 0 for layer in d.layers for n in layer)
    out = net.forward(digit).output
    assert np.allclose([n.get_fill_opacity() for n in other.layers[3]], out)
    with pytest.raises(ValueError):
        d.set_trace(net.forward(np.stack([digit, digit])))


def test_propagation_ends_with_the_trace_and_leaves_diagram_static(net: Network, digit: np.ndarray) -> None:
    d = NetworkDiagram(net)
    trace = net.forward(digit)
    anim = propagate(d, trace)
    assert anim.run_time == pytest.approx(4 * get_theme().layer_time + get_theme().layer_time / 3)
    anim.begin()
    anim.interpolate(0.5)
    assert d not in anim.mobject.get_family()  # the diagram itself is never the moving mobject
    anim.interpolate(1.0)
    for l, layer in enumerate(d.layers):
        assert np.allclose([n.get_fill_opacity() for n in layer], trace.activations[l][d.shown[l]])
    assert anim.box is not None


def test_propagation_skips_the_update_walk_over_its_diagram_unless_a_part_has_an_updater(
    net: Network, digit: np.ndarray
) -> None:
    from manim import Scene, tempconfig

    calls = {"edges": 0, "updater": 0}

    class Counted(Scene):
        def construct(self) -> None:
            d = NetworkDiagram(net, trace=net.forward(digit))
            edges = d.edge_groups[0]
            update = type(edges).update

            def counted_update(group: VGroup, dt: float = 0, recursive: bool = True) -> VGroup:
                calls["edges"] += 1
                return update(group, dt, recursive)

            edges.update = counted_update.__get__(edges)  # type: ignore[method-assign]
            self.add(d)
            self.play(propagate(d, net.forward(digit), run_time=1))
            # Walked once, by manim after the play, never during its 15 frames; the flag restored.
            assert calls["edges"] == 1 and not d.updating_suspended
            d.neuron(1, 0).add_updater(lambda m: calls.__setitem__("updater", calls["updater"] + 1))
            self.play(propagate(d, net.forward(1 - digit), run_time=1))
            assert calls["updater"] >= 10 and calls["edges"] >= 10  # an updater is kept running

    with tempconfig({"dry_run": True, "quality": "low_quality", "verbosity": "WARNING", "progress_bar": "none"}):
        Counted().render()


def test_edge_flash_matches_show_passing_flash() -> None:
    lines = VGroup(*[VMobject().set_points_as_corners([[0, i, 0], [1, i, 0]]) for i in range(5)])
    flash = EdgeFlash(list(lines), groups=np.arange(5), time_width=2.0, lag_ratio=0.5)
    reference = ShowPassingFlash(lines.copy(), time_width=2.0, lag_ratio=0.5)
    for alpha in (0.1, 0.37, 0.6, 0.9):
        lower, upper = flash.bounds(alpha)
        # ShowPassingFlash's family includes the group itself at index 0: the lines are 1..5
        for i in range(5):
            sub = reference.get_sub_alpha(alpha, i, 5)
            lo, hi = reference._get_bounds(sub)
            assert (lower[i], upper[i]) == pytest.approx((lo, hi))


def test_pixel_grid_gray_and_signed(net: Network) -> None:
    img = (np.arange(784).reshape(28, 28) % 256).astype(np.uint8)
    g = PixelGrid(img)
    assert g.pixel(3, 5).get_fill_opacity() == pytest.approx(img[3, 5] / 255)
    assert np.allclose(g.pixel(3, 5).get_center(), g.pixel_center(3, 5))
    assert np.allclose(g.frame.get_stroke_rgbas()[0, :3], rgb(get_theme().digit_frame))
    w = net.weights[0][4]
    s = PixelGrid.from_weights(w)
    t = get_theme()
    for idx in (0, 100, 406, 783):
        r, c = divmod(idx, 28)
        p = s.pixel(r, c)
        assert p.get_fill_opacity() == pytest.approx(float(grid_opacity(w[idx], np.max(np.abs(w)))))
        assert np.allclose(p.get_fill_rgbas()[0, :3], rgb(t.positive if w[idx] >= 0 else t.negative))
    assert np.allclose(s.frame.get_stroke_rgbas()[0, :3], rgb(t.grid_frame_color))
    with pytest.raises(ValueError):
        PixelGrid(np.full((28, 28), 2.0))


def test_weights_times_input_masks_the_weights(net: Network, digit: np.ndarray) -> None:
    w = net.weights[0][4]
    g = PixelGrid.weights_times_input(w, digit)
    assert np.allclose(g.values.ravel(), w * digit)
    assert g.max_abs == pytest.approx(np.max(np.abs(w)))
    off = int(np.flatnonzero(digit == 0)[0])
    assert g.pixel(*divmod(off, 28)).get_fill_opacity() == 0


def test_merged_grid_draws_the_same_pixels(net: Network) -> None:
    w = net.weights[0][2]
    merged = PixelGrid.from_weights(w, individual=False)
    levels = get_theme().grid_levels
    # every path is one subpath, and the pixels it covers add up to the grid
    assert len(merged.pixels) <= 2 * levels
    area = 0.0
    for path in merged.pixels:
        pts = path.points[::4, :2]
        x, y = pts[:, 0], pts[:, 1]
        area += abs(0.5 * np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y))
    nonzero = np.count_nonzero(np.rint(grid_opacity(w, np.max(np.abs(w))) * levels))
    assert area == pytest.approx(nonzero * merged.pixel_size**2, rel=1e-6)
    with pytest.raises(ValueError):
        merged.pixel(0, 0)
    assert len(weight_grids(net.weights[0])) == 16


def test_edges_to_grid_targets_the_weight_grid(net: Network) -> None:
    d = NetworkDiagram(net)
    anim = edges_to_grid(d, 1, 3)
    grid = anim.grid
    assert np.allclose(grid.values.ravel(), net.weights[0][3])
    # before: the shown edges' pixels lie on their edges; after: the weight grid
    e = d.incoming_edges(1, 3)[0]
    pixel = grid.pixel(*divmod(e.source, 28))
    assert np.allclose(pixel.points[0], e.get_start())
    anim.begin()
    anim.interpolate(1.0)
    assert np.allclose(grid.pixel(*divmod(e.source, 28)).get_center(), grid.pixel_center(*divmod(e.source, 28)))
