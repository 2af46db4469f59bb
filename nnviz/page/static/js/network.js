// The forward pass of nnviz.core.network.Network: z = W a + b per layer, the hidden layers'
// activation (sigmoid or ReLU) and a sigmoid on the output, in double precision.
(function (nnviz) {
  "use strict";

  function sigmoid(z) {
    // 1 / (1 + e^-z) without overflow for large |z|, as scipy's expit.
    if (z >= 0) return 1 / (1 + Math.exp(-z));
    const e = Math.exp(z);
    return e / (1 + e);
  }
  const HIDDEN = { sigmoid, relu: (z) => (z > 0 ? z : 0) };

  class Network {
    constructor(data) {
      this.sizes = data.sizes;
      this.activation = data.activation;
      this.hidden = HIDDEN[data.activation];
      if (!this.hidden) throw new Error("unknown activation " + data.activation);
      // Each layer's weights as one flat row-major Float64Array: row k holds the weights into neuron k.
      this.weights = data.weights.map((rows) => Float64Array.from(rows.flat()));
      this.biases = data.biases.map((b) => Float64Array.from(b));
      this.maxAbs = this.weights.map((w) => w.reduce((m, v) => Math.max(m, Math.abs(v)), 0));
    }

    weight(layer, to, from) {
      return this.weights[layer][to * this.sizes[layer] + from];
    }

    // Every number of one pass: activations[0] is the input, sums[l] is z of layer l+1.
    forward(input) {
      const activations = [Float64Array.from(input)];
      const sums = [];
      const last = this.weights.length - 1;
      for (let l = 0; l <= last; l++) {
        const a = activations[l];
        const w = this.weights[l];
        const n = this.sizes[l];
        const m = this.sizes[l + 1];
        const z = new Float64Array(m);
        const out = new Float64Array(m);
        for (let k = 0; k < m; k++) {
          let s = 0;
          const row = k * n;
          for (let j = 0; j < n; j++) s += w[row + j] * a[j];
          z[k] = s + this.biases[l][k];
          out[k] = l === last ? sigmoid(z[k]) : this.hidden(z[k]);
        }
        sums.push(z);
        activations.push(out);
      }
      return { activations, sums };
    }
  }

  // The index of the largest output, the first one on a tie (numpy's argmax).
  function argmax(values) {
    let best = 0;
    for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
    return best;
  }

  nnviz.Network = Network;
  nnviz.argmax = argmax;
})((window.nnviz = window.nnviz || {}));
