/**
 * Nesting depth of JSON-like values, measured and bounded without unbounded recursion.
 *
 * Depth counts objects and arrays: a scalar is depth 0, `{}` and `[]` are depth 1, and
 * `{"a": [1]}` is depth 2. Every walk here stops descending one level past its limit, so
 * its own recursion is bounded by the limit, whatever the input (`JSON.parse` itself is
 * iterative in V8: a parsed value may be nested 10⁵ levels deep, far past what
 * `JSON.stringify` or any recursive walk survives).
 */

/** Whether `value` nests objects/arrays more than `limit` levels deep. */
export const exceedsDepth = (value: unknown, limit: number): boolean => {
  if (typeof value !== 'object' || value === null || value instanceof Uint8Array) return false
  if (limit <= 0) return true
  if (Array.isArray(value)) {
    for (const item of value) if (exceedsDepth(item, limit - 1)) return true
    return false
  }
  for (const key in value) {
    if (Object.hasOwn(value, key) && exceedsDepth((value as Record<string, unknown>)[key], limit - 1)) return true
  }
  return false
}

/**
 * A deep copy of `value` in which every object or array that would sit deeper than
 * `limit` levels is replaced by `null` (a `Uint8Array` is copied as a `Buffer`, at any
 * depth). A value within the limit is copied unchanged.
 */
export const copyWithinDepth = <T>(value: T, limit: number): T => {
  if (typeof value !== 'object' || value === null) return value
  if (value instanceof Uint8Array) return Buffer.from(value) as T
  if (limit <= 0) return null as T
  if (Array.isArray(value)) return value.map((item: unknown) => copyWithinDepth(item, limit - 1)) as T
  const copy: Record<string, unknown> = {}
  for (const [name, field] of Object.entries(value)) {
    // an own `__proto__` key (JSON.parse makes one) stays data, never the copy's prototype
    if (name === '__proto__') Object.defineProperty(copy, name, { value: copyWithinDepth(field, limit - 1), enumerable: true, writable: true, configurable: true })
    else copy[name] = copyWithinDepth(field, limit - 1)
  }
  return copy as T
}

/** `value` itself when within `limit`, else a copy with the parts too deep replaced by `null`. */
export const withinDepth = <T>(value: T, limit: number): T => (exceedsDepth(value, limit) ? copyWithinDepth(value, limit) : value)
