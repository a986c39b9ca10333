// The demo page: wires the model panel to each task section. Every section
// gets the same context: the loaded model (or an error asking to load one),
// the embedding options chosen in the settings panel, and the demo data.

import { createModelPanel } from "./model.js";
import { createSettings } from "./settings.js";
import { capabilities } from "./capabilities.js";
import { setupSimilarity } from "./similarity.js";
import { setupSearch } from "./search.js";
import { setupHeatmap } from "./heatmap.js";
import { setupPCA } from "./pca.js";
import { setupContextual } from "./contextual.js";
import { setupClassifier } from "./classifier.js";
import { setupNER } from "./ner.js";
import { registerServiceWorker } from "./offline.js";

const settings = createSettings(document.getElementById("settings"));
let bert = null;

const ctx = {
  model() {
    if (!bert) throw new Error("Load a model first (Model and settings, above).");
    return bert;
  },
  options: () => settings.options(),
};

/** Runs fn on submit of the section's form, showing progress and errors in out. */
function bindTask(sectionId, out, fn) {
  const section = document.getElementById(sectionId);
  const form = section.querySelector("form.task");
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    section.setAttribute("aria-busy", "true");
    section.dataset.state = "running";
    try {
      await fn();
      section.dataset.state = "done";
    } catch (err) {
      section.dataset.state = "error";
      const p = document.createElement("p");
      p.className = "error";
      p.setAttribute("role", "alert");
      p.textContent = err?.message ?? String(err);
      out.replaceChildren(p);
    } finally {
      section.removeAttribute("aria-busy");
      updateButtons();
    }
  });
}

// Buttons that need a model (or a library API this build may lack) stay
// disabled until it is there, and sections say why.
function updateButtons() {
  const caps = capabilities;
  for (const b of document.querySelectorAll("[data-needs-model]")) {
    const api = b.dataset.needsApi;
    b.disabled = !bert || (api !== undefined && !caps[api]);
  }
  for (const p of document.querySelectorAll("[data-unavailable]")) {
    p.hidden = caps[p.dataset.unavailable];
  }
}

const panel = createModelPanel({
  onLoaded(model) {
    bert?.dispose();
    bert = model;
    settings.setLayers(model?.info().layers ?? 0);
    contextual.setLayers(model?.info().layers ?? 0);
    updateButtons();
  },
});

setupSimilarity(ctx, bindTask);
setupSearch(ctx, bindTask);
setupHeatmap(ctx, bindTask);
setupPCA(ctx, bindTask);
const contextual = setupContextual(ctx, bindTask);
setupClassifier(ctx, bindTask);
setupNER(ctx, bindTask);
updateButtons();

await Promise.all([panel.ready, registerServiceWorker(document.getElementById("offline-status"))]);
document.documentElement.dataset.ready = "true";
