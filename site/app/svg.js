// Building SVG charts from plain DOM calls: no chart library, nothing
// evaluated, so the page works under a strict Content-Security-Policy.

const NS = "http://www.w3.org/2000/svg";

/** Creates an SVG element with attributes and children (nodes or strings). */
export function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  el.append(...children);
  return el;
}

/**
 * The fill for a cosine in [-1, 1]: white at 0, deepening blue towards 1,
 * orange towards -1; ink is the text colour that stays readable on it.
 */
export function cosineColour(x) {
  const t = Math.max(-1, Math.min(1, x));
  const [r, g, b] = t >= 0 ? mix([255, 255, 255], [29, 59, 111], t) : mix([255, 255, 255], [179, 92, 0], -t);
  const luminance = (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
  return { fill: `rgb(${r},${g},${b})`, ink: luminance < 0.55 ? "#fff" : "#1a1a1a" };
}

function mix(a, b, t) {
  return a.map((v, i) => Math.round(v + (b[i] - v) * t));
}

/** Okabe–Ito (distinguishable in common colour-vision deficiencies), then two more. */
export const CATEGORY_COLOURS = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#7a6a00", "#000000", "#8c3b9c", "#6b6b6b"];
