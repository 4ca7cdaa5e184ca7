const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

function put(obj, key, value) {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * Applies an RFC 7396 JSON merge patch and returns the result. Neither argument is modified;
 * members the patch leaves alone are shared with the target, so unchanged subtrees keep their
 * identity (cheap change detection for UIs).
 */
export function applyMergePatch(target, patch) {
  if (!isObject(patch)) return patch;
  const out = {};
  if (isObject(target)) for (const k of Object.keys(target)) put(out, k, target[k]);
  for (const k of Object.keys(patch)) {
    const v = patch[k];
    if (v === null) delete out[k];
    else put(out, k, applyMergePatch(Object.hasOwn(out, k) ? out[k] : undefined, v));
  }
  return out;
}
