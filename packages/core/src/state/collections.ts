/**
 * The two collections the chat state grows without bound: events by id and each thread's
 * ordered event ids. Both are plain arrays and objects (immer drafts them like any other
 * state), cut into bounded pieces so that writing one entry copies a bounded amount,
 * however many entries the collection holds:
 *
 * - `IdTable`: a two-level hash trie (64 × 64 leaves). A write copies the root, one branch
 *   and one leaf, so the cost barely moves from 1k to 100k entries.
 * - `IdOrder`: ids in pages of at most `PAGE` ids. An append copies the last page and the
 *   page list (one pointer per `PAGE` ids); an insert in the middle touches one page.
 *
 * Leaves are null-prototype records, so any id (`__proto__`, `constructor`) is just a key.
 */

const BITS = 6
const FANOUT = 1 << BITS
const MASK = FANOUT - 1

/** Ids per page of an `IdOrder`; a page that grows past twice this is split. */
export const PAGE = 256

export type IdLeaf<T> = Record<string, T>
export type IdTable<T> = ReadonlyArray<ReadonlyArray<Readonly<IdLeaf<T>> | undefined> | undefined>
/** Mutable view of a table (an immer draft of one). */
export type IdTableDraft<T> = Array<Array<IdLeaf<T> | undefined> | undefined>

export type IdOrder = ReadonlyArray<ReadonlyArray<string>>
export type IdOrderDraft = string[][]

const hash = (id: string): number => {
  let h = 0x811c9dc5
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

const newLeaf = <T>(): IdLeaf<T> => Object.create(null) as IdLeaf<T>

export const tableGet = <T>(table: IdTable<T>, id: string): T | undefined => {
  const h = hash(id)
  const leaf = table[h & MASK]?.[(h >>> BITS) & MASK]
  return leaf === undefined ? undefined : leaf[id]
}

export const tableHas = <T>(table: IdTable<T>, id: string): boolean => tableGet(table, id) !== undefined

export const tableSet = <T>(table: IdTableDraft<T>, id: string, value: T): void => {
  const h = hash(id)
  const i = h & MASK
  const j = (h >>> BITS) & MASK
  const branch = (table[i] ??= [])
  const leaf = (branch[j] ??= newLeaf<T>())
  leaf[id] = value
}

export const tableDelete = <T>(table: IdTableDraft<T>, id: string): void => {
  const h = hash(id)
  const leaf = table[h & MASK]?.[(h >>> BITS) & MASK]
  if (leaf !== undefined && leaf[id] !== undefined) delete leaf[id]
}

/** Every value, in no particular order. */
export function* tableValues<T>(table: IdTable<T>): Generator<T> {
  for (const branch of table) {
    if (branch === undefined) continue
    for (const leaf of branch) {
      if (leaf === undefined) continue
      for (const key in leaf) yield leaf[key] as T
    }
  }
}

export const orderSize = (order: IdOrder): number => {
  let size = 0
  for (const page of order) size += page.length
  return size
}

export const orderLast = (order: IdOrder): string | undefined => {
  const page = order[order.length - 1]
  return page?.[page.length - 1]
}

export const orderToArray = (order: IdOrder): string[] => {
  const ids: string[] = []
  for (const page of order) for (const id of page) ids.push(id)
  return ids
}

export const orderIncludes = (order: IdOrder, id: string): boolean => order.some((page) => page.includes(id))

/**
 * Inserts `id` keeping the order by `key` (ties keep arrival order). New data nearly always
 * belongs at the end, which is checked first; otherwise a binary search over the pages'
 * last keys, then within the page. The caller makes sure `id` is not there yet.
 */
export const orderInsert = (order: IdOrderDraft, id: string, key: (id: string) => string): void => {
  const k = key(id)
  const lastPage = order[order.length - 1]
  const last = lastPage?.[lastPage.length - 1]
  if (lastPage === undefined || last === undefined || key(last) <= k) {
    if (lastPage !== undefined && lastPage.length < PAGE) lastPage.push(id)
    else order.push([id])
    return
  }
  // the first page whose last key is greater than k takes it
  let low = 0
  let high = order.length - 1
  while (low < high) {
    const mid = (low + high) >>> 1
    const page = order[mid] as string[]
    if (key(page[page.length - 1] as string) <= k) low = mid + 1
    else high = mid
  }
  const page = order[low] as string[]
  let a = 0
  let b = page.length
  while (a < b) {
    const mid = (a + b) >>> 1
    if (key(page[mid] as string) <= k) a = mid + 1
    else b = mid
  }
  page.splice(a, 0, id)
  if (page.length > 2 * PAGE) order.splice(low, 1, page.slice(0, PAGE), page.slice(PAGE))
}

/** Removes `id` (rare: a deleted event, or a local copy moved to its thread): a scan from the end. */
export const orderRemove = (order: IdOrderDraft, id: string): void => {
  for (let p = order.length - 1; p >= 0; p--) {
    const page = order[p] as string[]
    const index = page.lastIndexOf(id)
    if (index < 0) continue
    if (page.length === 1) order.splice(p, 1)
    else page.splice(index, 1)
    return
  }
}
