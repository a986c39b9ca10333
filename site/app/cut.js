// Says when the model read only the start of a text: embed() with
// {details: true} reports it, and the page shows a small note by the result.

/** The vectors of embed() results asked with {details: true}. */
export function vectors(results) {
  return results.map((r) => r.vector);
}

/**
 * A "cut at N tokens" note for a result of embed({details: true}), or null
 * when the model read the whole text. what names the text ("first text").
 */
export function cutNote(result, what) {
  if (!result.truncated) return null;
  return Object.assign(document.createElement("small"), {
    className: "note cut",
    textContent: `${what ? what + " " : ""}cut at ${result.maxLength} tokens (it has ${result.tokenCount}); the rest was not read`,
    title: "The model reads at most this many tokens of a text; the library's chunk option embeds long texts whole.",
  });
}
