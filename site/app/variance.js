// How much of a set of vectors' variance a projection keeps: PCA axes are
// labelled with it, so a reader knows how faithful the 2-D map is.

/**
 * The share of the vectors' total variance (summed over dimensions) held by
 * each of the first two coordinates of points, their projections.
 */
export function explained(vectors, points) {
  const n = vectors.length;
  const dim = vectors[0].length;
  let total = 0;
  for (let k = 0; k < dim; k++) {
    let mean = 0;
    for (const v of vectors) mean += v[k] / n;
    for (const v of vectors) total += (v[k] - mean) ** 2;
  }
  return [0, 1].map((axis) => {
    let mean = 0;
    for (const p of points) mean += p[axis] / n;
    let s = 0;
    for (const p of points) s += (p[axis] - mean) ** 2;
    return total ? s / total : 0;
  });
}

