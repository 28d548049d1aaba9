// Shared by the npm OpenID4VP peers: the claims path pointer of OpenID4VP 1.0 §7.1.

// resolvePath applies a claims path pointer (§7.1: string = key, null = every array element,
// non-negative integer = array index) to the processed claims and returns every
// {path, value} it selects, with concrete paths.
export function resolvePath(claims, path) {
  let nodes = [{ path: [], value: claims }];
  for (const comp of path) {
    const next = [];
    for (const { path: p, value: v } of nodes) {
      if (typeof comp === 'string') {
        if (v && typeof v === 'object' && !Array.isArray(v) && comp in v) next.push({ path: [...p, comp], value: v[comp] });
      } else if (comp === null) {
        if (Array.isArray(v)) v.forEach((el, i) => next.push({ path: [...p, i], value: el }));
      } else if (Number.isInteger(comp) && comp >= 0) {
        if (Array.isArray(v) && comp < v.length) next.push({ path: [...p, comp], value: v[comp] });
      } else {
        throw new Error(`invalid claims path component ${JSON.stringify(comp)}`);
      }
    }
    nodes = next;
  }
  return nodes;
}
