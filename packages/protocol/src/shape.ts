/**
 * What a wire payload must look like before a parser reads it: a small rule language,
 * `misfit`, which names the first field that breaks a rule, and `checkedParse`, the
 * one place a push is checked, parsed and kept from throwing. Customer and agent pushes
 * both go through it.
 */
import { isObject } from './frames'

/**
 * A field's rule: a kind (`id` is a non-empty string), the strings it may be, the shape
 * of a nested object, or one of the wrappers below.
 */
export type FieldRule =
  | 'string'
  | 'id'
  | 'number'
  | 'boolean'
  | 'object'
  | 'array'
  | readonly string[]
  | Shape
  | Optional
  | OrNull
  | ListOf
  | RecordOf
  | Variant

/** The fields an object must have, each with its rule; other fields are not looked at. */
export interface Shape {
  readonly [field: string]: FieldRule
}

/** The field may be absent (`undefined`); when present it follows `rule`. */
class Optional {
  constructor(readonly rule: FieldRule) {}
}
/** `null`, or a value that follows `rule`. */
class OrNull {
  constructor(readonly rule: FieldRule) {}
}
/** An array whose every element follows `rule`. */
class ListOf {
  constructor(readonly rule: FieldRule) {}
}
/** An object whose every own value follows `rule`, whatever its keys. */
class RecordOf {
  constructor(readonly rule: FieldRule) {}
}
/** An object of shape `base` whose `tag` field picks more fields to check; an unknown tag checks only `base`. */
class Variant {
  constructor(
    readonly base: Shape,
    readonly tag: string,
    readonly cases: Readonly<Record<string, Shape>>,
  ) {}
}

// Declared side-effect free so that a bundler drops the rule tables nobody parses with.
/* @__NO_SIDE_EFFECTS__ */ export function optional(rule: FieldRule): FieldRule {
  return new Optional(rule)
}
/* @__NO_SIDE_EFFECTS__ */ export function orNull(rule: FieldRule): FieldRule {
  return new OrNull(rule)
}
/* @__NO_SIDE_EFFECTS__ */ export function listOf(rule: FieldRule): FieldRule {
  return new ListOf(rule)
}
/* @__NO_SIDE_EFFECTS__ */ export function recordOf(rule: FieldRule): FieldRule {
  return new RecordOf(rule)
}
/* @__NO_SIDE_EFFECTS__ */ export function variant(base: Shape, tag: string, cases: Readonly<Record<string, Shape>>): FieldRule {
  return new Variant(base, tag, cases)
}

const join = (path: string, field: string): string => (path === '' ? field : `${path}.${field}`)

/** Own fields of `value` only: a rule's field named `constructor` or `__proto__` never reads the prototype. */
const own = (value: Record<string, unknown>, field: string): unknown => (Object.hasOwn(value, field) ? value[field] : undefined)

const shapeMisfit = (value: unknown, shape: Shape, path: string): string | null => {
  if (!isObject(value)) return path
  for (const field of Object.keys(shape)) {
    const found = misfitAt(own(value, field), shape[field] as FieldRule, join(path, field))
    if (found !== null) return found
  }
  return null
}

const misfitAt = (value: unknown, rule: FieldRule, path: string): string | null => {
  if (Array.isArray(rule)) return typeof value === 'string' && rule.includes(value) ? null : path
  if (rule instanceof Optional) return value === undefined ? null : misfitAt(value, rule.rule, path)
  if (rule instanceof OrNull) return value === null ? null : misfitAt(value, rule.rule, path)
  if (rule instanceof ListOf) {
    if (!Array.isArray(value)) return path
    // An index loop, not `every`: a hole in a sparse array is checked as `undefined`.
    for (let i = 0; i < value.length; i++) {
      const found = misfitAt(value[i], rule.rule, `${path}[${i}]`)
      if (found !== null) return found
    }
    return null
  }
  if (rule instanceof RecordOf) {
    if (!isObject(value)) return path
    for (const key of Object.keys(value)) {
      const found = misfitAt(value[key], rule.rule, join(path, key))
      if (found !== null) return found
    }
    return null
  }
  if (rule instanceof Variant) {
    const found = shapeMisfit(value, rule.base, path)
    if (found !== null || !isObject(value)) return found
    const tag = own(value, rule.tag)
    const extra = typeof tag === 'string' && Object.hasOwn(rule.cases, tag) ? rule.cases[tag] : undefined
    return extra ? shapeMisfit(value, extra, path) : null
  }
  switch (rule) {
    case 'id':
      return typeof value === 'string' && value !== '' ? null : path
    case 'string':
    case 'number':
    case 'boolean':
      return typeof value === rule ? null : path
    case 'object':
      return isObject(value) ? null : path
    case 'array':
      return Array.isArray(value) ? null : path
    default:
      return shapeMisfit(value, rule as Shape, path)
  }
}

/** A compiled rule: whether a value follows it. */
type Check = (value: unknown) => boolean

const KINDS: Readonly<Record<string, Check>> = {
  id: (value) => typeof value === 'string' && value !== '',
  string: (value) => typeof value === 'string',
  number: (value) => typeof value === 'number',
  boolean: (value) => typeof value === 'boolean',
  object: isObject,
  array: (value) => Array.isArray(value),
}

/** Each rule object's compiled check, made on first use (rules are module constants). */
const compiled = new WeakMap<object, Check>()

/**
 * The rule as a tree of small closures, each specialised to its part of the rule: the
 * common case (a payload that fits) runs without walking the rule language again.
 */
const compile = (rule: FieldRule): Check => {
  if (typeof rule === 'string') return KINDS[rule] ?? (() => false)
  let check = compiled.get(rule)
  if (check === undefined) {
    check = build(rule)
    compiled.set(rule, check)
  }
  return check
}

const build = (rule: Exclude<FieldRule, string>): Check => {
  if (Array.isArray(rule)) {
    const allowed: readonly string[] = rule
    return (value) => typeof value === 'string' && allowed.includes(value)
  }
  if (rule instanceof Optional) {
    const inner = compile(rule.rule)
    return (value) => value === undefined || inner(value)
  }
  if (rule instanceof OrNull) {
    const inner = compile(rule.rule)
    return (value) => value === null || inner(value)
  }
  if (rule instanceof ListOf) {
    const inner = compile(rule.rule)
    return (value) => {
      if (!Array.isArray(value)) return false
      // an index loop, not `every`: a hole in a sparse array is checked as `undefined`
      for (let i = 0; i < value.length; i++) if (!inner(value[i])) return false
      return true
    }
  }
  if (rule instanceof RecordOf) {
    const inner = compile(rule.rule)
    return (value) => {
      if (!isObject(value)) return false
      for (const key of Object.keys(value)) if (!inner(value[key])) return false
      return true
    }
  }
  if (rule instanceof Variant) {
    const base = compileShape(rule.base)
    const cases = new Map(Object.keys(rule.cases).map((tag) => [tag, compileShape(rule.cases[tag] as Shape)]))
    const tagField = rule.tag
    return (value) => {
      if (!base(value) || !isObject(value)) return false
      const tag = own(value, tagField)
      const extra = typeof tag === 'string' ? cases.get(tag) : undefined
      return extra === undefined || extra(value)
    }
  }
  return compileShape(rule as Shape)
}

const compileShape = (shape: Shape): Check => {
  const fields = Object.keys(shape)
  const checks = fields.map((field) => compile(shape[field] as FieldRule))
  // a field that `Object.prototype` also has is read as an own field only; the others
  // cannot come from the prototype, so they are read directly (the hot path)
  const inherited = fields.map((field) => field in Object.prototype)
  return (value) => {
    if (!isObject(value)) return false
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i] as string
      if (!(checks[i] as Check)(inherited[i] ? own(value, field) : value[field])) return false
    }
    return true
  }
}

/** Whether `value` follows `rule` (no path is built: the common case is a fit). */
const fitsAt = (value: unknown, rule: FieldRule): boolean => compile(rule)(value)

/**
 * The path of the first field of `value` that breaks `rule` (`chat.users[0].id`), `''`
 * when `value` itself does, `null` when it fits.
 */
export const misfit = (value: unknown, rule: FieldRule): string | null => misfitAt(value, rule, '')

export const fits = (value: unknown, rule: FieldRule): boolean => fitsAt(value, rule)

/**
 * The paths of the fields `value` (which fits `rule`) cannot do without: removing any one
 * of them breaks the rule. Optional and nullable parts count when `value` has them, list
 * elements by index, a variant by the case `value` is.
 */
export const requiredPaths = (value: unknown, rule: FieldRule, path = ''): string[] => {
  if (rule instanceof Optional || rule instanceof OrNull)
    return value === undefined || value === null ? [] : requiredPaths(value, rule.rule, path)
  if (rule instanceof ListOf)
    return Array.isArray(value) ? value.flatMap((element, i) => requiredPaths(element, rule.rule, `${path}[${i}]`)) : []
  if (rule instanceof RecordOf) return isObject(value) ? Object.keys(value).flatMap((key) => requiredPaths(value[key], rule.rule, join(path, key))) : []
  const shapeOf = (shape: Shape): string[] =>
    Object.keys(shape).flatMap((field) => {
      const inner = shape[field] as FieldRule
      const here = join(path, field)
      const nested = isObject(value) ? requiredPaths(own(value, field), inner, here) : []
      return inner instanceof Optional ? nested : [here, ...nested]
    })
  if (rule instanceof Variant) {
    const tag = isObject(value) ? own(value, rule.tag) : undefined
    const extra = typeof tag === 'string' && Object.hasOwn(rule.cases, tag) ? rule.cases[tag] : undefined
    return [...shapeOf(rule.base), ...(extra ? shapeOf(extra) : [])]
  }
  if (typeof rule === 'string' || Array.isArray(rule)) return []
  return shapeOf(rule as Shape)
}

/** What a checked parse of one push gives: its events, or why it was dropped. */
export type PushCheck<E> = { ok: true; events: E[] } | { ok: false; reason: string }

/**
 * Checks `payload` against `rule`, then parses it. A payload that does not fit is
 * `{ ok: false, reason: '<action>: <field>' }`; a parser that fails deeper inside (a
 * value the rule does not look at) is caught and reported the same way. Never throws.
 */
export const checkedParse = <P, E>(action: string, payload: unknown, rule: FieldRule, parse: (payload: P) => E[]): PushCheck<E> => {
  const path = fitsAt(payload, rule) ? null : misfit(payload, rule)
  if (path !== null) return { ok: false, reason: `${action}: ${path === '' || path.startsWith('[') ? `payload${path}` : path}` }
  try {
    // The one cast: the payload was checked against the rule just above.
    return { ok: true, events: parse(payload as P) }
  } catch (error) {
    return { ok: false, reason: `${action}: unreadable payload (${error instanceof Error ? error.message : 'parse failed'})` }
  }
}
