// Number formatting shared by the panels.

export function formatBytes(n) {
  if (!n) return "0 B";
  const units = ["B", "KB", "MB", "GB"];
  const i = Math.min(units.length - 1, Math.floor(Math.log(n) / Math.log(1000)));
  return `${(n / 1000 ** i).toFixed(i ? 1 : 0)} ${units[i]}`;
}

/** A cosine for display, with a real minus sign. */
export function formatScore(x, digits = 3) {
  return x.toFixed(digits).replace("-", "−");
}
