// The network diagram: neurons as SVG circles lit by their activation (grey level = activation),
// edges on a canvas coloured by the weight's sign with opacity and width by |w|, a layer-by-layer
// propagation with yellow pulses, and the winning output boxed. The input layer shows the 16
// inputs the lesson's videos show (chosen by nnviz.core.shown), or all 784 as a 28x28 sheet.
(function (nnviz) {
  "use strict";

  const SVG = "http://www.w3.org/2000/svg";
  const W = 640;
  const H = 460;
  const MID = 222;

  function el(name, attrs, parent) {
    const node = document.createElementNS(SVG, name);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    if (parent) parent.appendChild(node);
    return node;
  }

  function grey(a) {
    const v = Math.round(Math.min(Math.max(a, 0), 1) * 255);
    return `rgb(${v},${v},${v})`;
  }

  function column(count, spacing, x, r, gapAfter = -1, gap = 0) {
    const height = (count - 1) * spacing + (gapAfter >= 0 ? gap : 0);
    let y = MID - height / 2;
    const out = [];
    for (let i = 0; i < count; i++) {
      out.push({ x, y, r });
      y += spacing + (i === gapAfter ? gap : 0);
    }
    return out;
  }

  class Diagram {
    constructor(root, network, shownInputs, onSelect) {
      this.root = root;
      this.net = network;
      this.shownInputs = shownInputs;
      this.onSelect = onSelect;
      this.svg = root.querySelector("#neurons");
      this.edges = root.querySelector("#edges");
      this.pulses = root.querySelector("#pulses");
      this.svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
      this.allInputs = false;
      this.colors = { positive: "#58c4dd", negative: "#fc6255", highlight: "#ffff00" };
      this.animation = null;
      this.selected = null;
      new ResizeObserver(() => this.drawEdges()).observe(root);
    }

    // Positions of the drawn neurons: layers[l] = [{index, x, y, r}].
    layout() {
      const sizes = this.net.sizes;
      const xs = this.allInputs ? [0, 300, 445, 580] : [70, 250, 420, 570];
      const layers = [];
      if (this.allInputs) {
        const side = Math.round(Math.sqrt(sizes[0]));
        const step = 7;
        const x0 = 125 - ((side - 1) * step) / 2;
        const y0 = MID - ((side - 1) * step) / 2;
        layers.push(Array.from({ length: sizes[0] }, (_, i) => ({ index: i, x: x0 + (i % side) * step, y: y0 + Math.floor(i / side) * step, r: 2.8 })));
      } else {
        const idx = this.shownInputs;
        const half = Math.floor(idx.length / 2) - 1;
        layers.push(column(idx.length, 22, xs[0], 8, half, 34).map((p, i) => ({ ...p, index: idx[i] })));
      }
      for (let l = 1; l < sizes.length; l++) {
        const n = sizes[l];
        const spacing = Math.min(26, 380 / Math.max(n - 1, 1));
        const r = l === sizes.length - 1 ? 11 : 9;
        layers.push(column(n, spacing, xs[l], r).map((p, i) => ({ ...p, index: i })));
      }
      return layers;
    }

    build() {
      this.layers = this.layout();
      const svg = this.svg;
      svg.replaceChildren();
      const last = this.layers.length - 1;
      if (!this.allInputs) {
        const col = this.layers[0];
        const half = col.length / 2;
        const yGap = (col[half - 1].y + col[half].y) / 2;
        for (const dy of [-9, 0, 9]) el("circle", { cx: col[0].x, cy: yGap + dy, r: 2, fill: "#fff" }, svg);
        const top = col[0].y - 10;
        const bottom = col[col.length - 1].y + 10;
        const x = col[0].x - 22;
        el("path", { d: `M${x + 8},${top} q-8,0 -8,10 V${yGap - 8} q0,8 -6,8 q6,0 6,8 V${bottom - 10} q0,10 8,10`, fill: "none", stroke: "#fff", "stroke-width": 1.5 }, svg);
        const label = el("text", { x: x - 10, y: yGap + 5, "text-anchor": "end" }, svg);
        label.textContent = String(this.net.sizes[0]);
      }
      const names = ["input", "hidden 1", "hidden 2", "output"];
      this.circles = this.layers.map((col, l) =>
        col.map((p) => {
          const kind = l === 0 && this.allInputs ? "neuron sheet" : "neuron";
          const c = el("circle", { cx: p.x, cy: p.y, r: p.r, class: kind, fill: grey(0) }, svg);
          if (!this.allInputs || l > 0) {
            c.setAttribute("tabindex", "0");
            c.setAttribute("role", "button");
            const what = l === 0 ? `pixel ${p.index} (row ${Math.floor(p.index / 28)}, column ${p.index % 28})` : `neuron ${p.index}`;
            c.setAttribute("aria-label", `${names[l] || "layer " + l}, ${what}`);
          }
          c.addEventListener("click", () => this.select(l, p.index));
          c.addEventListener("keydown", (e) => {
            if (e.key === "Enter" || e.key === " ") {
              e.preventDefault();
              this.select(l, p.index);
            }
          });
          return c;
        }),
      );
      for (const p of this.layers[last]) {
        const t = el("text", { x: p.x + 20, y: p.y + 5 }, svg);
        t.textContent = String(p.index);
      }
      this.layers.forEach((col, l) => {
        const x = l === 0 && this.allInputs ? 125 : col[0].x;
        const t = el("text", { x, y: H - 8, "text-anchor": "middle", class: "small" }, svg);
        t.textContent = (names[l] || "layer " + l) + (l === 0 ? "" : ` (${this.net.sizes[l]})`);
      });
      this.winnerBox = el("rect", { class: "winner", rx: 4, visibility: "hidden" }, svg);
      if (this.selected) this.markSelected();
      this.drawEdges();
    }

    setColors(colors) {
      this.colors = colors;
      this.drawEdges();
    }

    setAllInputs(all) {
      this.allInputs = all;
      if (this.selected && this.selected[0] === 0) this.selected = null;
      this.build();
      if (this.state) this.show(this.state);
    }

    fitCanvas(canvas) {
      const dpr = window.devicePixelRatio || 1;
      const w = Math.max(1, Math.round(this.root.clientWidth * dpr));
      const h = Math.max(1, Math.round(this.root.clientHeight * dpr));
      if (canvas.width !== w || canvas.height !== h) {
        canvas.width = w;
        canvas.height = h;
      }
      const ctx = canvas.getContext("2d");
      ctx.setTransform(w / W, 0, 0, h / H, 0, 0);
      ctx.clearRect(0, 0, W, H);
      return ctx;
    }

    // Every drawn edge: colour by sign, opacity and width by |w| / max|W| of its layer.
    drawEdges() {
      if (!this.layers) return;
      const ctx = this.fitCanvas(this.edges);
      const thin = this.allInputs;
      for (let l = 0; l < this.layers.length - 1; l++) {
        const max = this.net.maxAbs[l] || 1;
        for (const sign of [1, -1]) {
          ctx.strokeStyle = sign > 0 ? this.colors.positive : this.colors.negative;
          for (const to of this.layers[l + 1]) {
            for (const from of this.layers[l]) {
              const w = this.net.weight(l, to.index, from.index);
              if ((w >= 0) !== (sign > 0)) continue;
              const s = Math.abs(w) / max;
              ctx.globalAlpha = thin && l === 0 ? s * 0.5 : s;
              ctx.lineWidth = thin && l === 0 ? 0.3 + 0.7 * s : 0.4 + 1.6 * s;
              ctx.beginPath();
              ctx.moveTo(from.x + from.r, from.y);
              ctx.lineTo(to.x - to.r, to.y);
              ctx.stroke();
            }
          }
        }
      }
      ctx.globalAlpha = 1;
    }

    // Light every neuron at once (no animation): state = {activations} or null for nothing drawn.
    show(state, upTo = Infinity) {
      this.state = state;
      this.circles.forEach((col, l) =>
        col.forEach((c, i) => {
          const a = state && state.activations && l <= upTo ? state.activations[l][this.layers[l][i].index] : 0;
          c.setAttribute("fill", grey(a));
          c.setAttribute("fill-opacity", 1);
        }),
      );
      this.boxWinner(state && upTo >= this.layers.length - 1 ? state.prediction : null);
    }

    boxWinner(k) {
      const last = this.layers[this.layers.length - 1];
      if (k === null || k === undefined) {
        this.winnerBox.setAttribute("visibility", "hidden");
        return;
      }
      const p = last[k];
      this.winnerBox.setAttribute("x", p.x - p.r - 5);
      this.winnerBox.setAttribute("y", p.y - p.r - 5);
      this.winnerBox.setAttribute("width", p.r * 2 + 38);
      this.winnerBox.setAttribute("height", p.r * 2 + 10);
      this.winnerBox.setAttribute("visibility", "visible");
    }

    // The strongest contributions w * a into layer l+1: the edges that carry pulses.
    pulseEdges(l, activations, count) {
      const list = [];
      for (const to of this.layers[l + 1]) {
        for (const from of this.layers[l]) {
          const c = Math.abs(this.net.weight(l, to.index, from.index) * activations[l][from.index]);
          if (c > 0) list.push({ from, to, c });
        }
      }
      list.sort((a, b) => b.c - a.c);
      return list.slice(0, count);
    }

    // Layer by layer, layerTime seconds apart: pulses run along the incoming edges, then the
    // layer's activations appear; the winner is boxed at the end.
    animate(state, layerTime) {
      cancelAnimationFrame(this.animation);
      this.show(state, 0);
      if (!state || !state.activations) return;
      const layerCount = this.layers.length;
      const pulses = [];
      for (let l = 0; l < layerCount - 1; l++) pulses.push(this.pulseEdges(l, state.activations, 40));
      const start = performance.now();
      const step = (now) => {
        const t = (now - start) / 1000 / layerTime; // in layers
        const ctx = this.fitCanvas(this.pulses);
        const l = Math.floor(t);
        if (l < layerCount - 1) {
          const f = t - l;
          ctx.strokeStyle = this.colors.highlight;
          ctx.lineCap = "round";
          for (const { from, to, c } of pulses[l]) {
            const a = Math.max(0, f - 0.25);
            const b = Math.min(1, f + 0.05);
            ctx.globalAlpha = 0.9;
            ctx.lineWidth = 1.5 + 2 * Math.min(1, c / pulses[l][0].c);
            ctx.beginPath();
            ctx.moveTo(from.x + (to.x - from.x) * a, from.y + (to.y - from.y) * a);
            ctx.lineTo(from.x + (to.x - from.x) * b, from.y + (to.y - from.y) * b);
            ctx.stroke();
          }
          ctx.globalAlpha = 1;
          this.show(state, l);
          this.animation = requestAnimationFrame(step);
        } else {
          this.show(state);
        }
      };
      this.animation = requestAnimationFrame(step);
    }

    select(layer, index) {
      this.selected = [layer, index];
      this.markSelected();
      this.onSelect(layer, index);
    }

    markSelected() {
      this.circles.forEach((col, l) => col.forEach((c, i) => c.classList.toggle("selected", !!this.selected && this.selected[0] === l && this.layers[l][i].index === this.selected[1])));
    }
  }

  nnviz.Diagram = Diagram;
})((window.nnviz = window.nnviz || {}));
