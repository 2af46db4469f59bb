"""The draw-a-digit page in Debian's headless Chromium: how fast it reads a drawing.

    .venv/bin/python bench/page.py --repeat 200

Writes the page with ``nnviz page`` into a temporary folder, opens it from file://, draws a
digit and reports, in one run:

* the page's own files (HTML, CSS, JavaScript, the network's numbers) without the sample digits;
* first contentful paint from file:// (median of several loads);
* one update as the page does it while drawing: reading the pad, pre-processing and the
  forward pass (median and 90th percentile over ``--repeat`` updates after 50 untimed ones,
  as a drawing runs it once a frame), and the pre-processing and the forward pass alone;
* frames while drawing: pointer moves sent one per animation frame for two seconds, the
  median and worst interval between frames (the display's rate is 60 Hz here: 16.7 ms).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from browser import start_browser, wait_for  # noqa: E402

UPDATE_TIMES = """
const n = arguments[0];
const times = {update: [], preprocess: [], forward: []};
const net = window.nnvizPage.network;
const raw = nnviz.compute().raw;
for (let i = 0; i < 50; i++) nnviz.compute();  // warm up: drawing runs it once per frame
for (let i = 0; i < n; i++) {
  const t0 = performance.now();
  nnviz.compute();  // read the pad, pre-process, forward pass: what one drawing update computes
  const t1 = performance.now();
  const steps = nnviz.preprocess(raw);
  const t2 = performance.now();
  net.forward(steps.input);
  const t3 = performance.now();
  times.update.push(t1 - t0); times.preprocess.push(t2 - t1); times.forward.push(t3 - t2);
}
return times;
"""

FRAME_TIMES = """
const done = arguments[arguments.length - 1];
const pad = document.getElementById('pad');
const r = pad.getBoundingClientRect();
const frames = [];
let last = null, k = 0;
const ev = (type, x, y) => pad.dispatchEvent(new PointerEvent(
  type, {pointerId: 7, bubbles: true, clientX: r.left + x, clientY: r.top + y, buttons: 1}));
ev('pointerdown', 60, 60);
function step(now) {
  if (last !== null) frames.push(now - last);
  last = now;
  k++;
  ev('pointermove', 60 + 80 * Math.sin(k / 15) + k * 0.5, 140 + 90 * Math.cos(k / 11));
  if (k < 120) requestAnimationFrame(step); else { ev('pointerup', 0, 0); done(frames); }
}
requestAnimationFrame(step);
"""


def median(values: list[float]) -> float:
    return statistics.median(values)


def p90(values: list[float]) -> float:
    return sorted(values)[int(0.9 * (len(values) - 1))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200, help="updates to time (default 200)")
    parser.add_argument("--loads", type=int, default=5, help="page loads for first paint (default 5)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "page"
        subprocess.run([sys.executable, "-m", "nnviz", "page", "--out", str(site)], check=True, capture_output=True)
        own = [p for p in site.rglob("*") if p.is_file() and p.name != "samples.js"]
        own_bytes = sum(p.stat().st_size for p in own)
        samples_bytes = (site / "samples.js").stat().st_size
        driver: Any = start_browser(Path(tmp) / "profile")
        driver.set_script_timeout(300)
        try:
            paints = []
            for _ in range(args.loads):
                driver.get(site.joinpath("index.html").as_uri())
                wait_for(driver, "return !!window.nnvizPage", "page ready")
                paint = "return performance.getEntriesByName('first-contentful-paint')[0]?.startTime"
                paints.append(wait_for(driver, paint, "the first contentful paint"))
            frames = driver.execute_async_script(FRAME_TIMES)
            times = driver.execute_script(UPDATE_TIMES, args.repeat)
        finally:
            driver.quit()
    print(
        f"page files without samples: {own_bytes / 1e6:.3f} MB ({len(own)} files); "
        f"samples.js {samples_bytes / 1e6:.3f} MB"
    )
    print(f"first contentful paint from file://: median {median(paints):.0f} ms of {args.loads} loads")
    for name in ("update", "preprocess", "forward"):
        print(f"{name:>10}: median {median(times[name]):.2f} ms, p90 {p90(times[name]):.2f} ms over {args.repeat}")
    print(f"drawing: {len(frames)} frames, median interval {median(frames):.1f} ms, worst {max(frames):.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
