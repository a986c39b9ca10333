// The demo page: wires the model panel to each task section. Every section
// gets the same context: the loaded model (or an error asking to load one),
// the embedding options chosen in the settings panel, and the demo data.

import { createModelPanel } from "./model.js";
import { createSettings } from "./settings.js";
import { capabilities } from "./capabilities.js";
import { setupTabs } from "./tabs.js";
import { setupSimilarity } from "./similarity.js";
import { setupSearch } from "./search.js";
import { setupHeatmap } from "./heatmap.js";
import { setupPCA } from "./pca.js";
import { setupContextual } from "./contextual.js";
import { setupClassifier } from "./classifier.js";
import { setupNER } from "./ner.js";
import { setupSentiment } from "./sentiment.js";
import { setupEntities } from "./entities.js";
import { showPrompts } from "./prompts.js";
import { setupChineseExamples } from "./chinese.js";
import { setupPieces } from "./pieces.js";
import { setupRecommend } from "./recommend.js";
import { registerServiceWorker } from "./offline.js";

const settings = createSettings(document.getElementById("settings"));
let bert = null;

const ctx = {
  model() {
    if (!bert) throw new Error("Load a model first (Model, above).");
    return bert;
  },
  options: () => settings.options(),
};

/**
 * Runs fn(task) on submit of the section's form, showing errors in out.
 * While it runs the section shows a busy line: task.progress(text, done,
 * total) fills its bar (indeterminate until called), and where the work
 * honours task.signal a Cancel button aborts it.
 */
function bindTask(sectionId, out, fn, { cancellable = false } = {}) {
  const section = document.getElementById(sectionId);
  const form = section.querySelector("form.task");
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    section.setAttribute("aria-busy", "true");
    section.dataset.state = "running";
    const abort = new AbortController();
    const busy = busyLine(cancellable ? abort : null);
    form.after(busy.node);
    try {
      await fn({ signal: abort.signal, progress: busy.progress });
      section.dataset.state = "done";
    } catch (err) {
      section.dataset.state = abort.signal.aborted ? "cancelled" : "error";
      const p = document.createElement("p");
      p.className = abort.signal.aborted ? "note" : "error";
      p.setAttribute("role", abort.signal.aborted ? "status" : "alert");
      p.textContent = abort.signal.aborted ? "Cancelled." : (err?.message ?? String(err));
      out.replaceChildren(p);
    } finally {
      busy.node.remove();
      section.removeAttribute("aria-busy");
      updateButtons();
    }
  });
}

function busyLine(abort) {
  const node = document.createElement("div");
  node.className = "busy";
  node.setAttribute("role", "status");
  const label = Object.assign(document.createElement("span"), { textContent: "Working…" });
  const bar = document.createElement("progress");
  node.append(label, bar);
  if (abort) {
    const cancel = Object.assign(document.createElement("button"), { type: "button", textContent: "Cancel", className: "secondary" });
    cancel.addEventListener("click", () => abort.abort());
    node.append(cancel);
  }
  return {
    node,
    progress(text, done, total) {
      label.textContent = text;
      if (total > 0) {
        bar.max = total;
        bar.value = done;
      } else {
        bar.removeAttribute("value");
      }
    },
  };
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
  for (const p of document.querySelectorAll(".needs-model")) p.hidden = Boolean(bert);
}

// Each task section says what to do while no model is loaded.
for (const form of document.querySelectorAll("section[role=tabpanel] form.task")) {
  const hint = document.createElement("p");
  hint.className = "needs-model note";
  hint.textContent = "Load a model first (Model, above): the buttons here work once it is ready.";
  form.before(hint);
}

const showChinese = setupChineseExamples();
const panel = createModelPanel({
  // The new model replaces the working one only once it is ready.
  onLoaded(model) {
    const old = bert;
    bert = model;
    if (old !== model) old?.dispose();
    settings.setLayers(model.info().layers);
    contextual.setLayers(model.info().layers);
    showPrompts(model.info());
    showChinese(model).catch((err) => console.warn(`Chinese examples: ${err.message}`));
    updateButtons();
  },
});

setupTabs(document.querySelector("nav.tabs"));
setupSimilarity(ctx, bindTask);
setupSearch(ctx, bindTask);
setupHeatmap(ctx, bindTask);
setupPCA(ctx, bindTask);
const contextual = setupContextual(ctx, bindTask);
setupClassifier(ctx, bindTask);
setupSentiment(ctx, bindTask);
setupNER(ctx, bindTask);
setupEntities(ctx, bindTask);
setupPieces(ctx, bindTask);
setupRecommend(ctx, bindTask);
updateButtons();

await Promise.all([panel.ready, registerServiceWorker(document.getElementById("offline-status"))]);
document.documentElement.dataset.ready = "true";
