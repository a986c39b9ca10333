// Prompt selectors: models converted from a checkpoint with prompts (e5's
// "query: " and "passage: ", bge's retrieval instruction; info().prompts)
// are meant to be given them, so the sections that embed queries and
// documents offer a selector per role. For a model without prompts the
// selectors stay hidden.

/** Fills every `select[data-prompt]` with the model's prompts and shows them when there are any. */
export function showPrompts(info) {
  const prompts = Object.entries(info.prompts ?? {});
  for (const select of document.querySelectorAll("select[data-prompt]")) {
    const keep = select.value;
    const none = Object.assign(document.createElement("option"), { value: "", textContent: "none" });
    select.replaceChildren(
      none,
      ...prompts.map(([name, text]) => Object.assign(document.createElement("option"), { value: name, textContent: `${name}: “${text}”` })),
    );
    // A role's usual prompt is the default: "query" for a query box, and so on.
    const preferred = prompts.some(([name]) => name === keep) ? keep : prompts.find(([name]) => name === select.dataset.prompt)?.[0];
    select.value = preferred ?? "";
    select.closest(".prompt-choice").hidden = prompts.length === 0;
  }
}

/** The embed options with the prompt chosen in select, if any. */
export function withPrompt(options, select) {
  return select.value ? { ...options, prompt: select.value } : options;
}
