// Entity mentions marked in [brackets] in a sentence, and a mention's
// vector from the sentence's word vectors.

/** "[Apple] sells phones" → {text: "Apple sells phones", mentions: [{name, start}]} (start: string index). */
export function parseMentions(line) {
  let text = "";
  const mentions = [];
  let at = 0;
  for (const m of line.matchAll(/\[([^\]]+)\]/g)) {
    text += line.slice(at, m.index);
    mentions.push({ name: m[1], start: text.length });
    text += m[1];
    at = m.index + m[0].length;
  }
  return { text: text + line.slice(at), mentions };
}

/**
 * The mean of the word vectors that spell the mention. Words are matched
 * by their text (the k-th run of words spelling it, for its k-th
 * occurrence in the sentence), not by offsets, so the offset unit does not
 * matter.
 */
export function mentionVector(words, text, mention) {
  const want = mention.name.replace(/\s+/g, "");
  const occurrence = text.slice(0, mention.start).split(mention.name).length - 1;
  let seen = 0;
  for (let i = 0; i < words.length; i++) {
    let spelled = "";
    let j = i;
    while (j < words.length && spelled.length < want.length) spelled += words[j++].text;
    if (spelled !== want) continue;
    if (seen++ < occurrence) continue;
    const v = new Float32Array(words[i].vector.length);
    for (let k = i; k < j; k++) words[k].vector.forEach((x, d) => (v[d] += x / (j - i)));
    return v;
  }
  throw new Error(`Could not find the words of “${mention.name}” in “${text}”.`);
}
