// The drawing pad: white ink on black with pointer events (mouse, touch, pen), strokes kept
// for undo. The stroke is soft-edged and about as wide, relative to a digit, as MNIST's.
(function (nnviz) {
  "use strict";

  // Pen width in pad pixels: a digit drawn about 200 px tall gets strokes of about 1/10 of
  // its height, as MNIST's 2-3 px strokes in a 20 px box.
  const PEN = 18;
  const SOFT_EDGE = 4;

  class Pad {
    constructor(canvas, onChange) {
      this.canvas = canvas;
      this.ctx = canvas.getContext("2d", { willReadFrequently: true });
      this.onChange = onChange;
      this.strokes = []; // each: array of [x, y] in pad pixels
      this.base = null; // a loaded picture under the strokes: {image: canvas, x, y, size}
      this.history = []; // "stroke" or the previous base, for undo
      this.active = null;
      this.redraw();
      canvas.addEventListener("pointerdown", (e) => this.down(e));
      canvas.addEventListener("pointermove", (e) => this.move(e));
      for (const type of ["pointerup", "pointercancel", "lostpointercapture"]) canvas.addEventListener(type, (e) => this.up(e));
    }

    point(e) {
      const r = this.canvas.getBoundingClientRect();
      return [((e.clientX - r.left) / r.width) * this.canvas.width, ((e.clientY - r.top) / r.height) * this.canvas.height];
    }

    down(e) {
      if (e.button !== undefined && e.button > 0) return;
      e.preventDefault();
      try {
        this.canvas.setPointerCapture(e.pointerId); // keep the stroke when the pen leaves the pad
      } catch {
        // a pointer the browser no longer knows (a synthetic event): draw without capture
      }
      this.active = { id: e.pointerId, points: [this.point(e)] };
      this.strokes.push(this.active.points);
      this.history.push("stroke");
      this.paintStroke(this.active.points);
      this.onChange("drawing");
    }

    move(e) {
      if (!this.active || e.pointerId !== this.active.id) return;
      e.preventDefault();
      const events = e.getCoalescedEvents ? e.getCoalescedEvents() : [e];
      for (const ev of events.length ? events : [e]) this.active.points.push(this.point(ev));
      this.redraw();
      this.onChange("drawing");
    }

    up(e) {
      if (!this.active || e.pointerId !== this.active.id) return;
      this.active = null;
      this.onChange("drawn");
    }

    paintStroke(points) {
      const ctx = this.ctx;
      ctx.save();
      ctx.strokeStyle = "#fff";
      ctx.fillStyle = "#fff";
      ctx.lineCap = "round";
      ctx.lineJoin = "round";
      ctx.lineWidth = PEN;
      ctx.shadowColor = "#fff";
      ctx.shadowBlur = SOFT_EDGE;
      ctx.beginPath();
      ctx.moveTo(points[0][0], points[0][1]);
      if (points.length === 1) ctx.lineTo(points[0][0] + 0.01, points[0][1]);
      for (const [x, y] of points.slice(1)) ctx.lineTo(x, y);
      ctx.stroke();
      ctx.restore();
    }

    redraw() {
      const ctx = this.ctx;
      ctx.fillStyle = "#000";
      ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
      if (this.base) {
        ctx.imageSmoothingEnabled = true;
        ctx.drawImage(this.base.image, this.base.x, this.base.y, this.base.size, this.base.size);
      }
      for (const s of this.strokes) this.paintStroke(s);
    }

    // Show a 28x28 picture (values in [0, 1]) on the pad, at (x, y) scaled to size pixels;
    // "exact" keeps its values as the network input for as long as nothing is drawn on it.
    setPicture(pixels, x = 0, y = 0, size = this.canvas.width, exact = true) {
      const small = document.createElement("canvas");
      small.width = small.height = 28;
      const c = small.getContext("2d");
      const img = c.createImageData(28, 28);
      for (let i = 0; i < 784; i++) {
        const v = Math.round(pixels[i] * 255);
        img.data.set([v, v, v, 255], i * 4);
      }
      c.putImageData(img, 0, 0);
      this.history.push({ base: this.base, strokes: this.strokes });
      this.base = { image: small, x, y, size, pixels: exact ? Float64Array.from(pixels) : null };
      this.strokes = [];
      this.redraw();
    }

    clear() {
      if (!this.base && !this.strokes.length) return;
      this.history.push({ base: this.base, strokes: this.strokes });
      this.base = null;
      this.strokes = [];
      this.redraw();
    }

    undo() {
      const last = this.history.pop();
      if (last === undefined) return false;
      if (last === "stroke") this.strokes.pop();
      else ({ base: this.base, strokes: this.strokes } = last);
      this.redraw();
      return true;
    }

    isEmpty() {
      return !this.base && !this.strokes.length;
    }

    // The drawing as grayscale values in [0, 1] (the red channel; the ink is white on black).
    gray() {
      const { width, height } = this.canvas;
      const rgba = this.ctx.getImageData(0, 0, width, height).data;
      const data = new Float64Array(width * height);
      for (let i = 0; i < data.length; i++) data[i] = rgba[i * 4] / 255;
      return nnviz.image(width, height, data);
    }
  }

  nnviz.Pad = Pad;
})((window.nnviz = window.nnviz || {}));
