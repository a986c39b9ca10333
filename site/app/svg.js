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
 * orange towards -1; ink is whichever text colour contrasts more with it.
 */
export function cosineColour(x) {
  const t = Math.max(-1, Math.min(1, x));
  const rgb = t >= 0 ? mix([255, 255, 255], [29, 59, 111], t) : mix([255, 255, 255], [150, 70, 0], -t);
  const l = luminance(rgb);
  const onWhite = 1.05 / (l + 0.05);
  const onDark = (l + 0.05) / 0.05;
  return { fill: `rgb(${rgb.join(",")})`, ink: onWhite > onDark ? "#fff" : "#000" };
}

// WCAG relative luminance of an sRGB colour.
function luminance(rgb) {
  const [r, g, b] = rgb.map((v) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function mix(a, b, t) {
  return a.map((v, i) => Math.round(v + (b[i] - v) * t));
}

/** Okabe–Ito (distinguishable in common colour-vision deficiencies), then two more. */
export const CATEGORY_COLOURS = ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#7a6a00", "#000000", "#8c3b9c", "#6b6b6b"];
