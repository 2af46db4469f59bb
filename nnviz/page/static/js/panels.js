// The panels beside the network: the ten outputs as bars, the 28x28 input the network gets,
// and the inspector of one neuron (its weighted sum, bias, activation and incoming weights).
(function (nnviz) {
  "use strict";

  const GRID_POWER = 0.3; // a weight-grid pixel's opacity is (|w| / max|row|) ** 0.3, as in the videos

  function fmt(v, digits = 3) {
    return (Math.abs(v) < 0.5 * 10 ** -digits ? 0 : v).toFixed(digits);
  }

  function hexRgb(hex) {
    const n = parseInt(hex.slice(1), 16);
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  }

  // Paint a 28x28 canvas from per-pixel [r, g, b] (0..255).
  function paint(canvas, side, colourOf) {
    canvas.width = canvas.height = side;
    const ctx = canvas.getContext("2d");
    const img = ctx.createImageData(side, side);
    for (let i = 0; i < side * side; i++) img.data.set([...colourOf(i), 255], i * 4);
    ctx.putImageData(img, 0, 0);
  }

  function paintGray(canvas, values, side = 28) {
    paint(canvas, side, (i) => {
      const v = Math.round(Math.min(Math.max(values[i], 0), 1) * 255);
      return [v, v, v];
    });
  }

  // Signed values as sign colours with opacity (|v| / max|v|) ** 0.3 over black.
  function paintSigned(canvas, values, colors, side = 28) {
    const max = values.reduce((m, v) => Math.max(m, Math.abs(v)), 0) || 1;
    const pos = hexRgb(colors.positive);
    const neg = hexRgb(colors.negative);
    paint(canvas, side, (i) => {
      const o = (Math.abs(values[i]) / max) ** GRID_POWER;
      return (values[i] >= 0 ? pos : neg).map((c) => Math.round(c * o));
    });
  }

  class Bars {
    constructor(root, count) {
      this.rows = [];
      for (let k = 0; k < count; k++) {
        const label = document.createElement("span");
        label.className = "label";
        label.textContent = String(k);
        const track = document.createElement("span");
        track.className = "track";
        track.setAttribute("role", "listitem");
        const fill = document.createElement("span");
        fill.className = "fill";
        track.appendChild(fill);
        const value = document.createElement("span");
        value.className = "value";
        root.append(label, track, value);
        this.rows.push({ label, track, fill, value });
      }
    }

    show(outputs, winner) {
      this.rows.forEach((r, k) => {
        const a = outputs ? outputs[k] : 0;
        r.fill.style.width = `${(a * 100).toFixed(1)}%`;
        r.value.textContent = outputs ? fmt(a) : "–";
        r.track.setAttribute("aria-label", `${k}: ${outputs ? fmt(a) : "nothing drawn"}`);
        for (const part of [r.label, r.track, r.value]) part.classList.toggle("win", winner === k);
      });
    }
  }

  function table(rows) {
    const t = document.createElement("table");
    for (const [name, value] of rows) {
      const tr = t.insertRow();
      tr.insertCell().innerHTML = name;
      tr.insertCell().textContent = value;
    }
    return t;
  }

  // Incoming weights of a later-layer neuron as bars, with each weight times its input below.
  function weightBars(weights, inputs, colors) {
    const n = weights.length;
    const w = 270;
    const h = 110;
    const max = weights.reduce((m, v) => Math.max(m, Math.abs(v)), 0) || 1;
    const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.setAttribute("viewBox", `0 0 ${w} ${h}`);
    svg.setAttribute("width", "100%");
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", "incoming weights: " + Array.from(weights, (v) => fmt(v, 2)).join(", "));
    const mid = h / 2 - 6;
    const bw = w / n;
    weights.forEach((v, j) => {
      const len = (Math.abs(v) / max) * (mid - 4);
      const r = document.createElementNS(svg.namespaceURI, "rect");
      r.setAttribute("x", j * bw + 1);
      r.setAttribute("width", bw - 2);
      r.setAttribute("y", v >= 0 ? mid - len : mid);
      r.setAttribute("height", Math.max(len, 0.5));
      r.setAttribute("fill", v >= 0 ? colors.positive : colors.negative);
      r.setAttribute("fill-opacity", inputs ? 0.35 + 0.65 * Math.min(1, Math.max(inputs[j], 0)) : 1);
      svg.appendChild(r);
      const t = document.createElementNS(svg.namespaceURI, "text");
      t.setAttribute("x", j * bw + bw / 2);
      t.setAttribute("y", h - 2);
      t.setAttribute("text-anchor", "middle");
      t.textContent = String(j);
      svg.appendChild(t);
    });
    return svg;
  }

  const LAYER_NAMES = ["input", "hidden layer 1", "hidden layer 2", "output"];

  // The inspector: what one neuron computes, with the numbers of the current digit.
  function inspect(root, net, state, layer, index, colors) {
    root.replaceChildren();
    const head = document.createElement("h2");
    head.textContent = `${LAYER_NAMES[layer] || "layer " + layer}, neuron ${index}`;
    root.appendChild(head);
    const acts = state && state.activations;
    if (layer === 0) {
      const row = Math.floor(index / 28);
      head.textContent = `input pixel ${index} (row ${row}, column ${index % 28})`;
      root.appendChild(table([["value", acts ? fmt(acts[0][index]) : "–"]]));
      return;
    }
    const z = acts ? state.sums[layer - 1][index] : null;
    const b = net.biases[layer - 1][index];
    const f = layer === net.sizes.length - 1 ? "σ" : net.activation === "relu" ? "ReLU" : "σ";
    root.appendChild(
      table([
        ["weighted sum <i>z</i> = <i>w</i>·<i>a</i> + <i>b</i>", z === null ? "–" : fmt(z)],
        ["bias <i>b</i>", fmt(b)],
        [`activation ${f}(<i>z</i>)`, acts ? fmt(acts[layer][index]) : "–"],
      ]),
    );
    const n = net.sizes[layer - 1];
    const weights = net.weights[layer - 1].subarray(index * n, (index + 1) * n);
    if (layer === 1 && n === 784) {
      const grids = document.createElement("div");
      grids.className = "grids";
      const wCanvas = document.createElement("canvas");
      wCanvas.setAttribute("aria-label", "its 784 weights as a 28x28 grid");
      paintSigned(wCanvas, weights, colors);
      const mCanvas = document.createElement("canvas");
      mCanvas.setAttribute("aria-label", "weights times the input pixels");
      const input = acts ? acts[0] : new Float64Array(784);
      paintSigned(mCanvas, Array.from(weights, (w, i) => w * input[i]), colors);
      grids.append(wCanvas, mCanvas);
      root.appendChild(grids);
      const note = document.createElement("p");
      note.className = "note";
      note.textContent = "Left: its 784 weights (colour = sign). Right: weights × your pixels — what the digit shows this neuron.";
      root.appendChild(note);
    } else {
      root.appendChild(weightBars(weights, acts ? acts[layer - 1] : null, colors));
      const note = document.createElement("p");
      note.className = "note";
      note.textContent = `Its ${n} incoming weights (brighter where the neuron feeding it is more active).`;
      root.appendChild(note);
    }
  }

  nnviz.fmt = fmt;
  nnviz.Bars = Bars;
  nnviz.paintGray = paintGray;
  nnviz.inspect = inspect;
})((window.nnviz = window.nnviz || {}));
