// The settings panel: pooling, normalization and hidden layer, turned into
// the options object of embed()/similarity()/search(). Empty choices leave
// the model's defaults.

export function createSettings(form) {
  const layer = form.elements.layer;
  return {
    options() {
      const o = {};
      if (form.elements.pooling.value) o.pooling = form.elements.pooling.value;
      if (form.elements.normalize.value) o.normalize = form.elements.normalize.value === "true";
      const l = layer.value;
      if (l) o.layer = /^-?\d+$/.test(l) ? Number(l) : l;
      return o;
    },
    /** Offers the hidden states of a model with n layers (0 = embeddings output). */
    setLayers(n) {
      const keep = layer.value;
      const opts = [["", "last (default)"]];
      for (let i = 0; i < n; i++) opts.push([String(i), i === 0 ? "0 (embeddings output)" : String(i)]);
      if (n >= 4) opts.push(["mean:2", "mean of last 2"], ["sum:4", "sum of last 4"], ["concat:4", "last 4 side by side"]);
      layer.replaceChildren(...opts.map(([v, t]) => Object.assign(document.createElement("option"), { value: v, textContent: t })));
      if (opts.some(([v]) => v === keep)) layer.value = keep;
    },
  };
}
