/**
 * Records keyed by what the wire says (user ids, property namespaces and names, session
 * field names). They have no prototype, so a key named `__proto__`, `constructor` or
 * `prototype` is an ordinary own key: assigning it never swaps the record's prototype and
 * never reaches `Object.prototype`, and reading a missing key never finds an inherited one.
 */
import { isObject } from './frames'

export const nullRecord = <V>(): Record<string, V> => Object.create(null) as Record<string, V>

/** A prototype-free record of `entries`, later duplicates winning. */
export const recordFrom = <V>(entries: Iterable<readonly [string, V]>): Record<string, V> => {
  const record = nullRecord<V>()
  for (const [key, value] of entries) record[key] = value
  return record
}

/**
 * A prototype-free copy of the own enumerable entries of `source` that `map` keeps
 * (`undefined` drops one); `{}` when `source` is not an object.
 */
export const mapRecord = <R>(source: unknown, map: (value: unknown, key: string) => R | undefined): Record<string, R> => {
  const record = nullRecord<R>()
  if (!isObject(source)) return record
  for (const key of Object.keys(source)) {
    const value = map(source[key], key)
    if (value !== undefined) record[key] = value
  }
  return record
}
