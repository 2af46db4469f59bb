"""An `nnviz slides` deck in a real browser with no network: Debian's headless Chromium opens it
from file://, reveal.js (the vendored copy) starts, the first slide's video plays, the right
arrow moves on, and no http(s) request is made.

Needs the apt packages chromium and chromium-driver (Selenium's Service points at
/usr/bin/chromedriver, so Selenium downloads nothing) and Selenium from the dev extra.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from browser import assert_offline, requested_urls, start_browser, wait_for
from conftest import TWO_BEATS_SCENE as SCENE
from PIL import Image

pytestmark = pytest.mark.browser


# The video element of the current slide (reveal.js puts it in the slide's background).
CURRENT_VIDEO = "Reveal.getCurrentSlide().slideBackgroundContentElement.querySelector('video')"


def make_decks(folder: Path) -> dict[str, Path]:
    """The two-beat scene rendered once: as a deck with its assets folder, and as one file."""
    (folder / "deck.py").write_text(SCENE)
    (folder / "lecture").mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("NNVIZ_")}
    result = subprocess.run(
        [sys.executable, "-m", "nnviz", "slides", "--file", "deck.py", "TwoBeats", "-ql",
         "--out", "lecture/deck.html"],
        capture_output=True, text=True, cwd=folder, env=env, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    # The one-file deck from the same slides, without a second render.
    code = (
        "from pathlib import Path\n"
        "from nnviz.lesson.deck import build_deck\n"
        "build_deck(Path('media/slides'), ['TwoBeats'], Path('single/deck.html'), one_file=True)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=folder, timeout=300)
    assert result.returncode == 0, result.stderr
    return {"folder": folder / "lecture" / "deck.html", "one_file": folder / "single" / "deck.html"}


def open_deck(driver: Any, deck: Path) -> None:
    driver.get_log("performance")  # drain what earlier pages requested
    driver.get(deck.as_uri())
    wait_for(driver, "return typeof Reveal !== 'undefined' && Reveal.isReady()", "Reveal.isReady()")


def wait_for_video(driver: Any) -> None:
    """The current slide's video has decoded its current frame (readyState >= HAVE_CURRENT_DATA)."""
    wait_for(
        driver,
        f"const v = {CURRENT_VIDEO}; return v !== null && v.readyState >= 2 && v.videoWidth > 0",
        "the current slide's video loaded",
    )


def advance(driver: Any) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    ActionChains(driver).send_keys(Keys.ARROW_RIGHT).perform()
    wait_for(driver, "return Reveal.getIndices().h === 1", "the right arrow moved to slide 2")


def check_folder_deck(browser: Any, deck: Path, shot: Path) -> None:
    """The deck with its assets folder: slides, notes hidden, first video seen on screen, arrow, offline."""
    open_deck(browser, deck)
    assert browser.execute_script("return Reveal.getTotalSlides()") == 2  # one slide per beat
    assert len(browser.find_elements("css selector", ".reveal .slides > section")) == 2
    # reveal.css loaded: the speaker notes are hidden, not printed on the slide.
    assert browser.execute_script("return getComputedStyle(document.querySelector('aside.notes')).display") == "none"
    wait_for_video(browser)
    assert browser.execute_script(f"return {CURRENT_VIDEO}.currentSrc").endswith(".mp4")

    # The last frame of the first beat (the circle drawn), as on the projector.
    browser.execute_async_script(
        f"const done = arguments[arguments.length - 1]; const v = {CURRENT_VIDEO}; v.pause();"
        "v.addEventListener('seeked', () => requestAnimationFrame(() => requestAnimationFrame(done)), {once: true});"
        "v.currentTime = Math.max(0, v.duration - 0.05);"
    )
    browser.save_screenshot(str(shot))
    pixels = np.asarray(Image.open(shot).convert("RGB")).astype(int)
    r, g, b = pixels[..., 0], pixels[..., 1], pixels[..., 2]
    assert pixels.mean() < 40, f"not the black slide: {shot}"
    assert ((r > 200) & (g > 200) & (b > 200)).mean() < 0.01, f"white page or text: {shot}"
    red = (r > 150) & (r - g > 80) & (r - b > 80)  # manim's RED circle
    assert red.sum() > 300, f"no video frame visible: {shot}"

    advance(browser)
    wait_for_video(browser)
    urls = requested_urls(browser)
    assert deck.parent.joinpath("deck_assets/revealjs/dist/reveal.js").as_uri() in urls  # the log works
    assert_offline(urls)


def check_one_file_deck(browser: Any, deck: Path) -> None:
    """The one-file deck: nothing beside it, everything embedded, and it works the same."""
    from nnviz.lesson.deck import remote_references

    assert [p.name for p in deck.parent.iterdir()] == ["deck.html"]
    html = deck.read_text(encoding="utf-8")
    assert remote_references(html) == []
    assert html.count('data-background-video="data:video/mp4;base64,') == 2
    assert html.count("data:text/javascript;base64,") == 3 and html.count("data:text/css;base64,") == 3
    open_deck(browser, deck)
    assert browser.execute_script("return Reveal.getTotalSlides()") == 2
    wait_for_video(browser)
    advance(browser)
    wait_for_video(browser)
    urls = requested_urls(browser)
    assert deck.as_uri() in urls
    assert_offline(urls)


def test_decks_open_offline_in_chromium(tmp_path: Path) -> None:
    # One test, so that pytest-xdist renders the scene and starts Chromium once.
    browser = start_browser(tmp_path / "chromium-profile")  # skips before any rendering
    try:
        decks = make_decks(tmp_path)
        check_folder_deck(browser, decks["folder"], tmp_path / "first_slide.png")
        check_one_file_deck(browser, decks["one_file"])
    finally:
        browser.quit()
