// "Check digit": the pre-processing played step by step with its real numbers (bounding box,
// the scale factor to 20 px, the centre of mass and the shift), ending in the 784 inputs.
(function (nnviz) {
  "use strict";

  const SIZE = 280; // internal size of each step's canvas
  const STEP_TIME = 900; // ms between steps

  // Draw a grayscale picture into a new square canvas, letterboxed, pixels kept sharp.
  function picture(pic, fit = SIZE) {
    const src = document.createElement("canvas");
    src.width = pic.width;
    src.height = pic.height;
    const img = src.getContext("2d").createImageData(pic.width, pic.height);
    for (let i = 0; i < pic.data.length; i++) {
      const v = Math.round(Math.min(Math.max(pic.data[i], 0), 1) * 255);
      img.data.set([v, v, v, 255], i * 4);
    }
    src.getContext("2d").putImageData(img, 0, 0);
    const out = document.createElement("canvas");
    out.width = out.height = SIZE;
    const ctx = out.getContext("2d");
    ctx.fillStyle = "#000";
    ctx.fillRect(0, 0, SIZE, SIZE);
    const scale = fit / Math.max(pic.width, pic.height);
    const x = (SIZE - pic.width * scale) / 2;
    const y = (SIZE - pic.height * scale) / 2;
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(src, x, y, pic.width * scale, pic.height * scale);
    return { canvas: out, ctx, x, y, scale };
  }

  function item(list, canvas, html) {
    const li = document.createElement("li");
    const p = document.createElement("p");
    p.innerHTML = html;
    li.append(canvas, p);
    list.appendChild(li);
    return li;
  }

  const f2 = (v) => nnviz.fmt(v, 2);

  function build(list, r, colors) {
    list.replaceChildren();
    const items = [];
    const n = nnviz.PRE.canvas;
    const box = r.box;

    const a = picture(r.gray);
    a.ctx.strokeStyle = colors.highlight;
    a.ctx.lineWidth = 2;
    a.ctx.strokeRect(a.x + box.left * a.scale, a.y + box.top * a.scale, box.width * a.scale, box.height * a.scale);
    items.push(item(list, a.canvas,
      `1. Your drawing, ${r.gray.width}×${r.gray.height} px. The ink fits a box of <b>${box.width}×${box.height} px</b> ` +
      `(rows ${box.top}–${box.bottom}, columns ${box.left}–${box.right}).`));

    const b = picture(r.thickened);
    const widened = r.grow > 0 ? ` Strokes about ${f2(r.strokeWidth)} px wide would shrink below ${nnviz.PRE.min_stroke} px: widened by ${r.grow} px each side.` : "";
    items.push(item(list, b.canvas, `2. Cropped to the box.${widened}`));

    // Drawn at the scale of the 28x28 pictures that follow (10 screen pixels per pixel).
    const c = picture(r.fitted, (SIZE * Math.max(r.fitted.width, r.fitted.height)) / n);
    items.push(item(list, c.canvas,
      `3. Longest side scaled to ${nnviz.PRE.box} px: ${Math.max(r.thickened.width, r.thickened.height)} px × <b>${r.scale.toFixed(4)}</b> ` +
      `= ${r.fitted.width}×${r.fitted.height} px.`));

    // The patch in the 28x28 canvas at its whole-pixel offset, its centre of mass and the target.
    const placed = nnviz.image(n, n);
    const whole = r.offset.map(Math.floor);
    for (let y = 0; y < r.fitted.height; y++) {
      for (let x = 0; x < r.fitted.width; x++) placed.data[(y + whole[0]) * n + x + whole[1]] = r.fitted.data[y * r.fitted.width + x];
    }
    const d = picture(placed);
    const px = (v) => d.x + (v + 0.5) * d.scale; // pixel index -> canvas coordinate of its centre
    d.ctx.strokeStyle = colors.highlight;
    d.ctx.lineWidth = 1.5;
    d.ctx.beginPath();
    d.ctx.moveTo(px(nnviz.PRE.centre), 0);
    d.ctx.lineTo(px(nnviz.PRE.centre), SIZE);
    d.ctx.moveTo(0, px(nnviz.PRE.centre));
    d.ctx.lineTo(SIZE, px(nnviz.PRE.centre));
    d.ctx.stroke();
    const com = [r.centreOfMass[0] + whole[0], r.centreOfMass[1] + whole[1]];
    d.ctx.fillStyle = colors.negative;
    d.ctx.beginPath();
    d.ctx.arc(px(com[1]), px(com[0]), 6, 0, 2 * Math.PI);
    d.ctx.fill();
    items.push(item(list, d.canvas,
      `4. Centre of mass at (${f2(r.centreOfMass[0])}, ${f2(r.centreOfMass[1])}) of the patch; ` +
      `shifted by (${f2(r.offset[0])}, ${f2(r.offset[1])}) px so it lands on (${nnviz.PRE.centre}, ${nnviz.PRE.centre}), the crosshair.`));

    const e = picture(nnviz.image(n, n, r.input));
    e.ctx.font = `${Math.floor(e.scale * 0.5)}px sans-serif`;
    e.ctx.textAlign = "center";
    e.ctx.textBaseline = "middle";
    for (let i = 0; i < n * n; i++) {
      const v = r.input[i];
      if (v < 0.05) continue;
      e.ctx.fillStyle = v > 0.5 ? "#000" : "#fff";
      e.ctx.fillText(v >= 0.995 ? "1" : v.toFixed(1).slice(1), px(i % n), px(Math.floor(i / n)));
    }
    items.push(item(list, e.canvas, `5. The ${n * n} values the network gets, each between 0 and 1 (shown to one decimal).`));
    return items;
  }

  class Steps {
    // The steps take the place of ``cover`` (the diagram) while they play.
    constructor(panel, cover, onDone) {
      this.panel = panel;
      this.cover = cover;
      this.list = panel.querySelector("#step-list");
      this.onDone = onDone;
      this.timers = [];
      panel.querySelector("#steps-close").addEventListener("click", () => this.close());
    }

    play(result, colors) {
      this.stop();
      const items = build(this.list, result, colors);
      this.panel.hidden = false;
      this.cover.hidden = true;
      items.forEach((li, i) => this.timers.push(setTimeout(() => li.classList.add("shown"), i * STEP_TIME)));
      this.timers.push(setTimeout(() => this.close(), items.length * STEP_TIME + 2500));
    }

    stop() {
      this.timers.forEach(clearTimeout);
      this.timers = [];
    }

    close() {
      if (this.panel.hidden) return;
      this.stop();
      this.panel.hidden = true;
      this.cover.hidden = false;
      this.onDone();
    }
  }

  nnviz.Steps = Steps;
})((window.nnviz = window.nnviz || {}));
