// MNIST-style pre-processing, step for step the algorithm of nnviz/core/preprocess.py:
// ink on a zero background, crop to the ink's bounding box, thicken hairlines, scale the
// longest side to 20 px with Pillow's Lanczos resampling, and place the result in 28x28
// with its centre of mass on pixel (14, 14) by a linear sub-pixel shift. Every rounding
// and boundary rule follows the Python (and the numpy / scipy / Pillow routines it calls),
// so the browser feeds the network the same 784 numbers as `nnviz predict`.
(function (nnviz) {
  "use strict";

  // Python's round(): halves go to the even neighbour.
  function roundHalfEven(x) {
    const r = Math.round(x);
    return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
  }

  // numpy.median
  function median(values) {
    const v = Float64Array.from(values).sort();
    const n = v.length;
    return n % 2 ? v[(n - 1) / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  // The k-th smallest of v (0-based), rearranging v: quickselect, linear time on average.
  function select(v, k, lo = 0, hi = v.length - 1) {
    while (hi > lo) {
      const pivot = v[(lo + hi) >> 1];
      let i = lo;
      let j = hi;
      while (i <= j) {
        while (v[i] < pivot) i++;
        while (v[j] > pivot) j--;
        if (i <= j) {
          const t = v[i];
          v[i++] = v[j];
          v[j--] = t;
        }
      }
      if (k <= j) hi = j;
      else if (k >= i) lo = i;
      else return v[k];
    }
    return v[k];
  }

  // numpy.percentile, method "linear", including numpy's two-sided lerp. Rearranges v (a
  // Float64Array): only the two order statistics around the percentile are needed.
  function percentile(v, q) {
    const pos = (q / 100) * (v.length - 1);
    const lo = Math.floor(pos);
    const a = select(v, lo);
    let b = a;
    if (lo + 1 < v.length) {
      b = Infinity; // the next order statistic: the smallest value right of the partition
      for (let i = lo + 1; i < v.length; i++) if (v[i] < b) b = v[i];
    }
    const t = pos - lo;
    const diff = b - a;
    return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
  }

  // A grayscale picture: Float64Array of h*w values in [0, 1], row by row.
  function image(width, height, data) {
    return { width, height, data: data || new Float64Array(width * height) };
  }

  // Step 2: bright ink in [0, 1] on a background of exactly 0: ink = max(gray - background, 0)
  // (background - gray on light paper) / strongest. Returns how to compute it, or null when
  // the picture holds no ink; only the pixels in the bounding box are ever computed.
  function inkScale(gray) {
    const { width: w, height: h, data } = gray;
    const border = [];
    for (let x = 0; x < w; x++) border.push(data[x]);
    for (let x = 0; x < w; x++) border.push(data[(h - 1) * w + x]);
    for (let y = 1; y < h - 1; y++) border.push(data[y * w]);
    for (let y = 1; y < h - 1; y++) border.push(data[y * w + w - 1]);
    const background = median(border);
    const n = data.length;
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < n; i++) {
      const v = data[i];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    const light = background > (lo + hi) / 2;
    // gray - background, or background - gray on light paper: one expression with a sign.
    const sign = light ? -1 : 1;
    const shift = light ? background : -background;
    // The strongest ink is at the darkest (light paper) or brightest pixel: rounding keeps order.
    const strongest = Math.max(sign * (light ? lo : hi) + shift, 0);
    if (strongest < nnviz.PRE.min_contrast) return null;
    return { sign, shift, strongest, background, lightBackground: light };
  }

  // Step 3a: the rows and columns holding ink >= INK_THRESHOLD.
  function boundingBox(gray, ink) {
    const { width: w, height: h, data } = gray;
    const { sign, shift, strongest } = ink;
    const threshold = nnviz.PRE.ink_threshold;
    let top = h;
    let bottom = -1;
    let left = w;
    let right = -1;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const v = sign * data[y * w + x] + shift;
        if (v > 0 && v / strongest >= threshold) {
          if (y < top) top = y;
          if (y > bottom) bottom = y;
          if (x < left) left = x;
          if (x > right) right = x;
        }
      }
    }
    return { top, left, bottom, right, width: right - left + 1, height: bottom - top + 1 };
  }

  // Step 3b: the ink inside the box.
  function crop(gray, ink, box) {
    const out = image(box.width, box.height);
    const { sign, shift, strongest } = ink;
    for (let y = 0; y < box.height; y++) {
      for (let x = 0; x < box.width; x++) {
        const v = sign * gray.data[(y + box.top) * gray.width + x + box.left] + shift;
        out.data[y * box.width + x] = v > 0 ? v / strongest : 0;
      }
    }
    return out;
  }

  // A typical stroke width in pixels (see _stroke_width in the core): from the distance of
  // every solid pixel (ink >= 0.5) to the nearest other one, as scipy's exact Euclidean
  // distance transform gives it, computed in two separable passes (Felzenszwalb and
  // Huttenlocher): down the columns a two-sweep count, along the rows the lower envelope of
  // parabolas. Only the solid pixels' distances are kept, for their 90th percentile.
  // Work arrays kept between updates: a drawing is pre-processed once per frame, and fresh
  // arrays of this size each time keep the garbage collector busy.
  let scratch = new Float64Array(0);
  function work(size) {
    if (scratch.length < 2 * size) scratch = new Float64Array(2 * size);
    return [scratch.subarray(0, size), scratch.subarray(size, 2 * size)];
  }

  function strokeWidth(pic) {
    const { width: w, height: h, data } = pic;
    const big = w * w + h * h + 1; // above any squared distance in the picture, exact in a double
    const [sq, depth] = work(w * h); // every cell of sq is written before it is read
    const near = new Float64Array(w).fill(big);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const i = y * w + x;
        near[x] = data[i] >= 0.5 ? near[x] + 1 : 0;
        sq[i] = near[x];
      }
    }
    near.fill(big);
    for (let y = h - 1; y >= 0; y--) {
      for (let x = 0; x < w; x++) {
        const i = y * w + x;
        const m = data[i] >= 0.5 ? Math.min(near[x] + 1, sq[i]) : 0;
        near[x] = m;
        sq[i] = m >= big ? big : m * m;
      }
    }
    let count = 0;
    const v = new Int32Array(w);
    const z = new Float64Array(w + 1);
    for (let y = 0; y < h; y++) {
      const row = y * w;
      let k = 0;
      v[0] = 0;
      z[0] = -Infinity;
      z[1] = Infinity;
      for (let q = 1; q < w; q++) {
        const fq = sq[row + q] + q * q;
        let s = (fq - (sq[row + v[k]] + v[k] * v[k])) / (2 * q - 2 * v[k]);
        while (s <= z[k]) {
          k--;
          s = (fq - (sq[row + v[k]] + v[k] * v[k])) / (2 * q - 2 * v[k]);
        }
        k++;
        v[k] = q;
        z[k] = s;
        z[k + 1] = Infinity;
      }
      k = 0;
      for (let q = 0; q < w; q++) {
        while (z[k + 1] < q) k++;
        if (data[row + q] >= 0.5) depth[count++] = Math.sqrt((q - v[k]) * (q - v[k]) + sq[row + v[k]]);
      }
    }
    return 2 * percentile(depth.subarray(0, count), 90) - 1;
  }

  // Step 3c: widen strokes that the 20 px scaling would make thinner than MIN_STROKE.
  function thicken(pic) {
    const wanted = (nnviz.PRE.min_stroke * Math.max(pic.width, pic.height)) / nnviz.PRE.box;
    const width = strokeWidth(pic);
    const grow = roundHalfEven((wanted - width) / 2);
    if (!(grow >= 1)) return { picture: pic, grow: 0, strokeWidth: width };
    const w = pic.width + 2 * grow;
    const h = pic.height + 2 * grow;
    const padded = new Float64Array(w * h);
    for (let y = 0; y < pic.height; y++) {
      for (let x = 0; x < pic.width; x++) padded[(y + grow) * w + x + grow] = pic.data[y * pic.width + x];
    }
    // A (2g+1)-square maximum filter, as two 1-D passes; beyond the zero padding is zero.
    const rows = new Float64Array(w * h);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        let m = 0;
        for (let k = Math.max(0, x - grow); k <= Math.min(w - 1, x + grow); k++) m = Math.max(m, padded[y * w + k]);
        rows[y * w + x] = m;
      }
    }
    const out = new Float64Array(w * h);
    for (let x = 0; x < w; x++) {
      for (let y = 0; y < h; y++) {
        let m = 0;
        for (let k = Math.max(0, y - grow); k <= Math.min(h - 1, y + grow); k++) m = Math.max(m, rows[k * w + x]);
        out[y * w + x] = m;
      }
    }
    return { picture: image(w, h, out), grow, strokeWidth: width };
  }

  // Pillow's Lanczos filter (support 3) and its coefficient table (Resample.c, precompute_coeffs).
  function sinc(x) {
    if (x === 0) return 1;
    x *= Math.PI;
    return Math.sin(x) / x;
  }
  function lanczos(x) {
    return x >= -3 && x < 3 ? sinc(x) * sinc(x / 3) : 0;
  }
  function coefficients(inSize, outSize) {
    const scale = inSize / outSize;
    const filterScale = Math.max(scale, 1);
    const support = 3 * filterScale;
    const taps = [];
    for (let xx = 0; xx < outSize; xx++) {
      const centre = (xx + 0.5) * scale;
      const ss = 1 / filterScale;
      const xmin = Math.max(Math.trunc(centre - support + 0.5), 0);
      const xmax = Math.min(Math.trunc(centre + support + 0.5), inSize) - xmin;
      const k = new Float64Array(Math.max(xmax, 0));
      let ww = 0;
      for (let x = 0; x < xmax; x++) {
        k[x] = lanczos((x + xmin - centre + 0.5) * ss);
        ww += k[x];
      }
      if (ww !== 0) for (let x = 0; x < xmax; x++) k[x] /= ww;
      taps.push({ start: xmin, k });
    }
    return taps;
  }

  // Image.fromarray(float32).resize((w, h), LANCZOS) on a mode "F" image: a horizontal then a
  // vertical pass, each sum in double and stored as float32.
  function resizeLanczos(pic, outW, outH) {
    const f32 = Float32Array.from(pic.data);
    if (outW === pic.width && outH === pic.height) return image(outW, outH, Float64Array.from(f32));
    let src = f32;
    let w = pic.width;
    const h = pic.height;
    if (outW !== w) {
      const taps = coefficients(w, outW);
      const tmp = new Float32Array(outW * h);
      for (let x = 0; x < outW; x++) {
        const { start, k } = taps[x];
        const n = k.length;
        for (let y = 0; y < h; y++) {
          const row = y * w + start;
          let s = 0;
          for (let i = 0; i < n; i++) s += src[row + i] * k[i];
          tmp[y * outW + x] = s;
        }
      }
      src = tmp;
      w = outW;
    }
    if (outH !== h) {
      const taps = coefficients(h, outH);
      const tmp = new Float32Array(w * outH);
      for (let y = 0; y < outH; y++) {
        const { start, k } = taps[y];
        const n = k.length;
        for (let x = 0; x < w; x++) {
          let s = 0;
          for (let i = 0; i < n; i++) s += src[(start + i) * w + x] * k[i];
          tmp[y * w + x] = s;
        }
      }
      src = tmp;
    }
    return image(outW, outH, Float64Array.from(src));
  }

  // Step 4: the longest side scaled to exactly BOX pixels, keeping the aspect ratio.
  function fitBox(pic) {
    const scale = nnviz.PRE.box / Math.max(pic.width, pic.height);
    const outW = Math.max(1, roundHalfEven(pic.width * scale));
    const outH = Math.max(1, roundHalfEven(pic.height * scale));
    const out = resizeLanczos(pic, outW, outH);
    for (let i = 0; i < out.data.length; i++) out.data[i] = Math.min(Math.max(out.data[i], 0), 1);
    return { picture: out, scale };
  }

  function centreOfMass(pic) {
    let total = 0;
    let sy = 0;
    let sx = 0;
    for (let y = 0; y < pic.height; y++) {
      for (let x = 0; x < pic.width; x++) {
        const v = pic.data[y * pic.width + x];
        total += v;
        sy += v * y;
        sx += v * x;
      }
    }
    return [sy / total, sx / total];
  }

  // Step 5: into the 28x28 canvas with the centre of mass at (CENTRE, CENTRE).
  function centre(small) {
    const n = nnviz.PRE.canvas;
    const com = centreOfMass(small);
    const clip = (v, hi) => Math.min(Math.max(v, 0), hi);
    const offset = [clip(nnviz.PRE.centre - com[0], n - small.height - 1), clip(nnviz.PRE.centre - com[1], n - small.width - 1)];
    const whole = offset.map(Math.floor);
    const canvas = new Float64Array(n * n);
    for (let y = 0; y < small.height; y++) {
      for (let x = 0; x < small.width; x++) canvas[(y + whole[0]) * n + x + whole[1]] = small.data[y * small.width + x];
    }
    // scipy.ndimage.shift(order=1, mode="constant"): sample the canvas at (y - fy, x - fx);
    // a sample point outside [0, n-1] is 0.
    const fy = offset[0] - whole[0];
    const fx = offset[1] - whole[1];
    const shifted = new Float64Array(n * n);
    let top = 0;
    for (let y = 0; y < n; y++) {
      const cy = y - fy;
      if (cy < 0 || cy > n - 1) continue;
      const y0 = Math.floor(cy);
      const ty = cy - y0;
      const y1 = Math.min(y0 + 1, n - 1);
      for (let x = 0; x < n; x++) {
        const cx = x - fx;
        if (cx < 0 || cx > n - 1) continue;
        const x0 = Math.floor(cx);
        const tx = cx - x0;
        const x1 = Math.min(x0 + 1, n - 1);
        const v =
          (1 - ty) * ((1 - tx) * canvas[y0 * n + x0] + tx * canvas[y0 * n + x1]) +
          ty * ((1 - tx) * canvas[y1 * n + x0] + tx * canvas[y1 * n + x1]);
        shifted[y * n + x] = Math.min(Math.max(v, 0), 1);
        if (shifted[y * n + x] > top) top = shifted[y * n + x];
      }
    }
    if (top > 0) for (let i = 0; i < shifted.length; i++) shifted[i] /= top;
    return { input: shifted, centreOfMass: com, offset, whole, brightest: top };
  }

  // The whole pipeline on a grayscale picture; every intermediate is kept for the page's
  // "check digit" animation. Returns null when the picture holds no ink.
  function preprocess(gray) {
    const ink = inkScale(gray);
    if (!ink) return null;
    const box = boundingBox(gray, ink);
    const cropped = crop(gray, ink, box);
    const thick = thicken(cropped);
    const fitted = fitBox(thick.picture);
    const placed = centre(fitted.picture);
    return {
      gray,
      background: ink.background,
      lightBackground: ink.lightBackground,
      box,
      cropped,
      strokeWidth: thick.strokeWidth,
      grow: thick.grow,
      thickened: thick.picture,
      scale: fitted.scale,
      fitted: fitted.picture,
      centreOfMass: placed.centreOfMass,
      offset: placed.offset,
      input: placed.input,
    };
  }

  nnviz.image = image;
  nnviz.preprocess = preprocess;
})((window.nnviz = window.nnviz || {}));
