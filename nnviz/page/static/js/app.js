// The page: the pad, the network and the panels wired together, and window.nnvizPage for tests.
(function (nnviz) {
  "use strict";

  const DATA = window.NNVIZ_DATA;
  const SAMPLES = window.NNVIZ_SAMPLES || { count: 0, indices: [], labels: [], predictions: [], pixels: "" };
  nnviz.PRE = DATA.preprocess;
  const $ = (id) => document.getElementById(id);
  const net = new nnviz.Network(DATA);
  const side = Math.round(Math.sqrt(net.sizes[0]));
  // A drawing whose ink fits in a box smaller than this fraction of the pad (35 of 280 px: a dot,
  // a tick) is "nearly empty": no prediction, "draw a digit".
  const MIN_EXTENT = 0.125;

  const samplePixels = (() => {
    const bytes = atob(SAMPLES.pixels);
    const n = SAMPLES.side * SAMPLES.side;
    return (k) => Float64Array.from({ length: n }, (_, i) => bytes.charCodeAt(k * n + i) / 255);
  })();

  let colors = { ...DATA.palettes[DATA.palette], highlight: DATA.highlight };
  let state = null; // {raw, input, activations, sums, prediction, steps, source}
  let selected = null;
  let wrongCursor = 0;

  const bars = new nnviz.Bars($("bars"), net.sizes[net.sizes.length - 1]);
  const diagram = new nnviz.Diagram($("diagram"), net, DATA.shown_inputs, (l, k) => {
    selected = [l, k];
    nnviz.inspect($("inspector"), net, state, l, k, colors);
  });
  const steps = new nnviz.Steps($("steps"), $("diagram"), () => diagram.animate(state, DATA.layer_time));
  const pad = new nnviz.Pad($("pad"), (phase) => schedule(phase));

  // The 28x28 input without pre-processing: the pad averaged over blocks, digit left where drawn.
  function downsample(gray) {
    const out = new Float64Array(side * side);
    const by = gray.height / side;
    const bx = gray.width / side;
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) {
        let s = 0;
        let count = 0;
        for (let yy = Math.floor(y * by); yy < Math.floor((y + 1) * by); yy++) {
          for (let xx = Math.floor(x * bx); xx < Math.floor((x + 1) * bx); xx++) {
            s += gray.data[yy * gray.width + xx];
            count++;
          }
        }
        out[y * side + x] = count ? s / count : 0;
      }
    }
    return out;
  }

  function compute() {
    const exact = !pad.strokes.length && pad.base && pad.base.pixels;
    if (exact) {
      const input = pad.base.pixels;
      const raw = { width: side, height: side, data: input };
      return finish({ raw, input, steps: null, source: "loaded" });
    }
    const raw = pad.gray();
    const steps = pad.isEmpty() ? null : nnviz.preprocess(raw);
    const extent = steps ? Math.max(steps.box.width / raw.width, steps.box.height / raw.height) : 0;
    if (!steps || extent < MIN_EXTENT) return { raw, input: new Float64Array(side * side), activations: null, sums: null, prediction: null, steps: null, source: "empty" };
    const input = $("preprocess-toggle").checked ? steps.input : downsample(raw);
    return finish({ raw, input, steps, source: "drawing" });
  }

  function finish(s) {
    const { activations, sums } = net.forward(s.input);
    return { ...s, activations, sums, prediction: nnviz.argmax(activations[activations.length - 1]) };
  }

  function render(animate) {
    const s = state;
    const outputs = s.activations ? s.activations[s.activations.length - 1] : null;
    bars.show(outputs, s.prediction);
    $("prediction").innerHTML = s.prediction === null ? "draw a digit" : `the network reads <strong>${s.prediction}</strong>`;
    nnviz.paintGray($("input-view"), s.input, side);
    $("input-summary").textContent = s.prediction === null ? "nothing yet" :
      s.source === "loaded" ? "the test digit as it is" : $("preprocess-toggle").checked ? "your drawing, pre-processed" : "your drawing, only shrunk (pre-processing off)";
    if (animate) diagram.animate(s.activations ? s : null, DATA.layer_time);
    else diagram.show(s.activations ? s : null);
    if (selected) nnviz.inspect($("inspector"), net, s, selected[0], selected[1], colors);
    $("check").disabled = !s.steps;
    $("download").disabled = s.prediction === null;
  }

  let pending = false;
  function schedule(phase) {
    if (phase === "drawing") $("sample-info").textContent = "";
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      update(false);
    });
  }

  function update(animate) {
    state = compute();
    render(animate);
  }

  function loadSample(k, placement) {
    const pixels = samplePixels(k);
    if (placement === "offcentre") {
      // Small, in a corner: pre-processing recentres it; without it the network sees it where it is.
      pad.setPicture(pixels, 14, 14, 112, false);
    } else pad.setPicture(pixels);
    const label = SAMPLES.labels[k];
    const said = SAMPLES.predictions[k];
    $("sample-info").textContent = `Held-out test digit #${SAMPLES.indices[k]} (a ${label}); nnviz predicts ${said} for it` +
      (placement === "offcentre" ? ", drawn small and off-centre here." : ".");
    update(true);
  }

  function randomSample(wrong) {
    if (!SAMPLES.count) return;
    const ks = [...Array(SAMPLES.count).keys()].filter((k) => (SAMPLES.labels[k] !== SAMPLES.predictions[k]) === wrong);
    const pool = ks.length ? ks : [...Array(SAMPLES.count).keys()];
    const k = wrong ? pool[wrongCursor++ % pool.length] : pool[Math.floor(Math.random() * pool.length)];
    return k;
  }

  function download() {
    const name = "my_digit.png";
    const a = document.createElement("a");
    a.href = $("pad").toDataURL("image/png");
    a.download = name;
    a.click();
    $("command").textContent = `nnviz predict ${name}\nnnviz render FeedForward --digit ${name}`;
  }

  function setPalette(name) {
    colors = { ...DATA.palettes[name], highlight: DATA.highlight };
    document.documentElement.style.setProperty("--positive", colors.positive);
    document.documentElement.style.setProperty("--negative", colors.negative);
    diagram.setColors(colors);
    if (selected) nnviz.inspect($("inspector"), net, state, selected[0], selected[1], colors);
  }

  const palette = $("palette");
  for (const name of Object.keys(DATA.palettes)) palette.add(new Option(name, name, false, name === DATA.palette));
  palette.addEventListener("change", () => setPalette(palette.value));
  $("undo").addEventListener("click", () => { pad.undo(); update(false); });
  $("clear").addEventListener("click", () => { pad.clear(); $("sample-info").textContent = ""; update(false); });
  $("check").addEventListener("click", () => { if (state.steps) steps.play(state.steps, colors); });
  $("sample-random").addEventListener("click", () => loadSample(randomSample(false)));
  $("sample-wrong").addEventListener("click", () => loadSample(randomSample(true)));
  $("sample-offcentre").addEventListener("click", () => loadSample(randomSample(false), "offcentre"));
  $("download").addEventListener("click", download);
  $("preprocess-toggle").addEventListener("change", () => update(true));
  $("all-inputs").addEventListener("change", (e) => diagram.setAllInputs(e.target.checked));
  if (!SAMPLES.count) for (const id of ["sample-random", "sample-wrong", "sample-offcentre"]) $(id).disabled = true;
  $("weights-info").textContent = DATA.source ? `Network: ${DATA.source}.` : "";

  const KEYS = {
    Enter: () => $("check").click(), u: () => $("undo").click(), c: () => $("clear").click(), Delete: () => $("clear").click(),
    r: () => $("sample-random").click(), w: () => $("sample-wrong").click(), o: () => $("sample-offcentre").click(),
    p: () => $("preprocess-toggle").click(), a: () => $("all-inputs").click(), Escape: () => steps.close(),
  };
  document.addEventListener("keydown", (e) => {
    const t = e.target;
    if (t instanceof HTMLInputElement || t instanceof HTMLSelectElement || t instanceof HTMLButtonElement && e.key === "Enter") return;
    if (t instanceof SVGElement && (e.key === "Enter" || e.key === " ")) return;
    if ((e.ctrlKey || e.metaKey) && e.key === "z") { e.preventDefault(); $("undo").click(); return; }
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const action = KEYS[e.key] || KEYS[e.key.toLowerCase()];
    if (action) { e.preventDefault(); action(); }
  });

  diagram.build();
  setPalette(DATA.palette);
  update(false);
  nnviz.compute = compute; // one update's numbers, without drawing them (bench/page.py times it)

  // For tests and for the local server's extras: the page's numbers, and a way to load a digit.
  window.nnvizPage = {
    state() {
      const s = state;
      return {
        raw: { width: s.raw.width, height: s.raw.height, data: Array.from(s.raw.data) },
        input: Array.from(s.input),
        activations: s.activations ? s.activations.map((a) => Array.from(a)) : null,
        prediction: s.prediction,
        source: s.source,
      };
    },
    load(pixels) {
      if (!pixels || pixels.length !== side * side) throw new Error(`load() takes ${side * side} values in [0, 1]`);
      pad.setPicture(Array.from(pixels, (v) => Math.min(Math.max(+v || 0, 0), 1)));
      $("sample-info").textContent = "";
      update(false);
      return state.prediction;
    },
    predict(pixels) {
      return nnviz.argmax(net.forward(pixels).activations[net.sizes.length - 1]);
    },
    drawingPNG() {
      return new Promise((resolve) => $("pad").toBlob(resolve, "image/png"));
    },
    network: net,
  };
  document.dispatchEvent(new Event("nnviz-ready"));
})((window.nnviz = window.nnviz || {}));
