"""The draw-a-digit page in a real browser with no network: its numbers are the core's.

One page is written with ``nnviz page`` and opened from file:// in Debian's headless Chromium.
Digits are drawn with real pointer events; the page's ``window.nnvizPage.state()`` is compared
with ``nnviz.preprocess`` and ``Network.forward`` on the same drawing, and all 1,500 held-out
digits are loaded and read as the core reads them.
"""

from __future__ import annotations

import base64
import io
import math
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from browser import assert_offline, draw, requested_urls, start_browser, wait_for
from PIL import Image, ImageDraw

from nnviz import load_dataset, load_network
from nnviz.core.preprocess import preprocess_image, preprocess_steps

pytestmark = pytest.mark.browser

#: Strokes in pad pixels (the pad is 280x280): a 3, a 7 drawn off-centre, a small 0.
DIGITS = {
    "three": [[(90, 60), (140, 45), (185, 70), (180, 115), (140, 135), (185, 160), (190, 205), (140, 235), (90, 215)]],
    "seven": [[(30, 40), (120, 40), (80, 170)], [(55, 105), (110, 105)]],
    "zero": [[(200 + 30 * math.cos(t / 8), 200 + 40 * math.sin(t / 8)) for t in range(0, 52)]],
}


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("page") / "digit-page"
    result = subprocess.run(
        [sys.executable, "-m", "nnviz", "page", "--out", str(out)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    return out / "index.html"


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    driver = start_browser(tmp_path_factory.mktemp("chromium-profile"))
    driver.set_script_timeout(120)
    try:
        yield driver
    finally:
        driver.quit()


def open_page(driver: Any, page: Path, width: int = 1280, height: int = 720) -> None:
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 700},
    )
    driver.get(page.as_uri())
    wait_for(driver, "return !!window.nnvizPage", "window.nnvizPage")


def state(driver: Any) -> dict[str, Any]:
    return driver.execute_script("return window.nnvizPage.state()")  # type: ignore[no-any-return]


def raw_array(s: dict[str, Any]) -> np.ndarray:
    raw = s["raw"]
    return np.array(raw["data"], dtype=np.float64).reshape(raw["height"], raw["width"])


def test_an_empty_pad_reads_nothing_and_shows_no_nan(browser: Any, page: Path) -> None:
    open_page(browser, page)
    s = state(browser)
    assert s["prediction"] is None and s["activations"] is None
    assert s["input"] == [0.0] * 784
    text = browser.find_element("tag name", "body").text
    assert "draw a digit" in text and "NaN" not in text
    # A dot is nearly empty, too: the pad shows ink, the page asks for a digit.
    draw(browser, [[(140, 140), (141, 141)]], counts=False)
    s = state(browser)
    assert raw_array(s).max() == 1.0 and s["prediction"] is None and s["source"] == "empty"
    assert "draw a digit" in browser.find_element("id", "prediction").text


@pytest.mark.parametrize("name", sorted(DIGITS))
def test_a_drawn_digit_goes_through_the_cores_numbers(browser: Any, page: Path, name: str) -> None:
    open_page(browser, page)
    draw(browser, DIGITS[name])
    s = state(browser)
    raw = raw_array(s)
    assert raw.shape == (280, 280) and raw.max() == 1.0
    # Pre-processing: the same algorithm as the core, so the same numbers up to rounding.
    expected = preprocess_image(raw).reshape(-1)
    assert np.abs(np.array(s["input"]) - expected).max() < 1e-9
    # The forward pass: every activation of every layer.
    trace = load_network().forward(np.array(s["input"]))
    for page_layer, core_layer in zip(s["activations"], trace.activations, strict=True):
        assert np.abs(np.array(page_layer) - core_layer).max() < 1e-9
    assert s["prediction"] == int(np.argmax(trace.output))


def test_the_page_preprocesses_any_picture_as_the_core(browser: Any, page: Path) -> None:
    """Pictures the pad cannot draw: dark ink on light paper, hairlines that get thickened."""
    open_page(browser, page)
    rng = np.random.default_rng(3)
    pictures = []
    for width in (1, 2, 3, 9, 25):
        img = Image.new("L", (200, 150), 230)
        points = [tuple(int(v) for v in p) for p in rng.integers(10, 140, size=(4, 2))]
        ImageDraw.Draw(img).line(points, fill=20, width=width, joint="curve")
        pictures.append(np.asarray(img, dtype=np.float64) / 255)
    script = """
        const [w, h, data] = arguments;
        return Array.from(nnviz.preprocess(nnviz.image(w, h, Float64Array.from(data))).input);
    """
    for picture in pictures:
        got = browser.execute_script(script, picture.shape[1], picture.shape[0], picture.ravel().tolist())
        assert np.abs(np.array(got) - preprocess_image(picture).reshape(-1)).max() < 1e-9


def test_all_held_out_digits_get_the_cores_answers(browser: Any, page: Path) -> None:
    open_page(browser, page)
    test = load_dataset(split="test")
    network = load_network()
    outputs = network.forward(test.inputs()).output
    script = """
        const [b64, n] = arguments;
        const bytes = atob(b64);
        const answers = [], outputs = [];
        for (let k = 0; k < n; k++) {
            const pixels = Array.from({length: 784}, (_, i) => bytes.charCodeAt(k * 784 + i) / 255);
            answers.push(window.nnvizPage.load(pixels));
            outputs.push(window.nnvizPage.state().activations[3]);
        }
        return [answers, outputs];
    """
    pixels = base64.b64encode(test.images.astype(np.uint8).tobytes()).decode()
    answers, page_outputs = browser.execute_script(script, pixels, len(test))
    assert answers == np.argmax(outputs, axis=1).tolist()
    assert np.abs(np.array(page_outputs) - outputs).max() < 1e-9
    assert "NaN" not in browser.find_element("tag name", "body").text


def test_the_downloaded_png_reads_the_same(browser: Any, page: Path) -> None:
    """The PNG the page offers (for `nnviz predict` and `render --digit`) gives the same input."""
    open_page(browser, page)
    draw(browser, DIGITS["three"])
    url = browser.execute_script("return document.getElementById('pad').toDataURL('image/png')")
    png = Image.open(io.BytesIO(base64.b64decode(url.split(",", 1)[1])))
    assert png.size == (280, 280)
    from nnviz import preprocess

    assert np.abs(preprocess(png) - np.array(state(browser)["input"])).max() < 1e-6


def test_check_digit_plays_the_steps_with_the_cores_numbers(browser: Any, page: Path) -> None:
    open_page(browser, page)
    draw(browser, DIGITS["seven"])
    raw = raw_array(state(browser))
    browser.find_element("id", "check").click()
    wait_for(browser, "return document.querySelectorAll('#step-list li.shown').length === 5", "five steps shown")
    text = browser.find_element("id", "steps").text
    steps = preprocess_steps(raw)
    (top, bottom), (left, right) = steps.box_rows, steps.box_cols
    assert f"{right - left + 1}×{bottom - top + 1} px" in text
    assert f"(rows {top}–{bottom}, columns {left}–{right})" in text
    assert f"{steps.scale:.4f}" in text
    assert not browser.find_element("id", "diagram").is_displayed()
    wait_for(browser, "return document.getElementById('steps').hidden", "the steps close by themselves")


def test_clicking_a_neuron_shows_its_numbers(browser: Any, page: Path) -> None:
    open_page(browser, page)
    draw(browser, DIGITS["three"])
    s = state(browser)
    trace = load_network().forward(np.array(s["input"]))
    browser.execute_script(
        "document.querySelectorAll('#neurons circle.neuron')[16 + 2].dispatchEvent(new Event('click'))"
    )
    text = browser.find_element("id", "inspector").text
    network = load_network()
    assert "hidden layer 1, neuron 2" in text
    for value in (trace.weighted_sums[0][2], network.biases[0][2], trace.activations[1][2]):
        assert f"{value:.3f}" in text
    assert len(browser.find_elements("css selector", "#inspector .grids canvas")) == 2


def test_keys_palettes_and_samples(browser: Any, page: Path) -> None:
    open_page(browser, page)
    body = browser.find_element("tag name", "body")
    body.send_keys("r")
    s = state(browser)
    assert s["source"] == "loaded" and s["prediction"] is not None
    assert "Held-out test digit" in browser.find_element("id", "sample-info").text
    body.send_keys("w")
    info = browser.find_element("id", "sample-info").text
    label, said = (int(v) for v in re.findall(r"a (\d)\); nnviz predicts (\d)", info)[0])
    assert label != said and state(browser)["prediction"] == said
    body.send_keys("c")
    assert state(browser)["prediction"] is None
    from selenium.webdriver.support.ui import Select

    Select(browser.find_element("id", "palette")).select_by_value("chapter1")
    colour = browser.execute_script("return getComputedStyle(document.documentElement).getPropertyValue('--positive')")
    assert colour.strip().lower() == "#83c167"


def test_screens_and_offline(browser: Any, page: Path, tmp_path: Path) -> None:
    """1280x720 (a projector) shows everything without scrolling sideways; a phone too; no request leaves."""
    browser.get_log("performance")
    for width, height in ((1280, 720), (390, 844)):
        open_page(browser, page, width, height)
        draw(browser, DIGITS["three"])
        assert browser.execute_script("return document.documentElement.scrollWidth") <= width
        shot = tmp_path / f"page-{width}.png"
        browser.save_screenshot(str(shot))
        pixels = np.asarray(Image.open(shot).convert("L"), dtype=float)
        assert pixels.std() > 10, "the screenshot is blank"
    assert_offline(requested_urls(browser))
