/**
 * The two collections the chat state grows without bound: events by id and each thread's
 * ordered event ids. Both are plain arrays and objects (immer drafts them like any other
 * state), cut into bounded pieces so that writing one entry copies a bounded amount,
 * however many entries the collection holds:
 *
 * - `IdTable`: a hash trie (32 × 32 × 32 leaves of a few entries). A write copies the path
 *   to one leaf, so the cost barely moves from 1k to 100k entries.
 * - `IdOrder`: ids in pages of at most `PAGE` ids. An append copies the last page and the
 *   page list (one pointer per `PAGE` ids); an insert in the middle touches one page.
 *
 * Leaves hold ids and values side by side in arrays, so any id (`__proto__`, `constructor`)
 * is just a string compared with `===`.
 * Writes go through an `Owned` set: nodes made in the current batch change in place, the
 * rest are copied on their first write, so a batch of N writes copies each touched node
 * once (a transient), and committed snapshots are never changed.
 */

const BITS = 5
const MASK = (1 << BITS) - 1

/** Ids per page of an `IdOrder`, and pages per book; a page or book that grows past twice this is split. */
export const PAGE = 64
export const BOOK = 64

/** A leaf: ids and values side by side (`[id, value, id, value, …]`); a few entries, scanned. */
export type IdLeaf<T> = Array<string | T>
/** Three levels of 32 branches, then leaves: a write copies three short arrays and one leaf. */
export type IdTable<T> = ReadonlyArray<ReadonlyArray<ReadonlyArray<Readonly<IdLeaf<T>> | undefined> | undefined> | undefined>
type IdTableDraft<T> = Array<Array<Array<IdLeaf<T> | undefined> | undefined> | undefined>

/** Ids in order: books of pages of ids (so an append copies at most one page, one book and the book list). */
export type IdOrder = ReadonlyArray<ReadonlyArray<ReadonlyArray<string>>>
export type IdOrderDraft = string[][][]

/** An id's hash (FNV-1a): compute it once when the same id is read and written. */
export const hashId = (id: string): number => {
  let h = 0x811c9dc5
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

const leafIndex = <T>(leaf: Readonly<IdLeaf<T>>, id: string): number => {
  for (let i = 0; i < leaf.length; i += 2) if (leaf[i] === id) return i
  return -1
}

const leafOf = <T>(table: IdTable<T>, h: number): Readonly<IdLeaf<T>> | undefined =>
  table[h & MASK]?.[(h >>> BITS) & MASK]?.[(h >>> (2 * BITS)) & MASK]

export const tableGet = <T>(table: IdTable<T>, id: string, h: number = hashId(id)): T | undefined => {
  const leaf = leafOf(table, h)
  if (leaf === undefined) return undefined
  const i = leafIndex(leaf, id)
  return i < 0 ? undefined : (leaf[i + 1] as T)
}

export const tableHas = <T>(table: IdTable<T>, id: string): boolean => tableGet(table, id) !== undefined

/**
 * Nodes created during one batch of writes: those may be changed in place; any other
 * node is copied once, on its first write in the batch (path copying, as a transient).
 */
export type Owned = Set<object>

/** Ends a batch: every node it made is frozen (committed snapshots never change). */
export const sealBatch = (owned: Owned): void => {
  for (const node of owned) Object.freeze(node)
  owned.clear()
}

const own = <T extends object>(owned: Owned, node: T, copy: (node: T) => T): T => {
  if (owned.has(node)) return node
  const copied = copy(node)
  owned.add(copied)
  return copied
}
// spread, not slice: V8 copies a frozen array with slice() an order of magnitude slower
const copyArray = <T>(list: ReadonlyArray<T>): T[] => [...list]
/** The root of the last `ownPath` (a scratch slot: no object per write on the hot path). */
let pathRoot: unknown = null

/** The path to `id`'s leaf, each node owned by the batch (copied once if it was not); the root is left in `pathRoot`. */
const ownPath = <T>(owned: Owned, table: IdTable<T>, h: number): IdLeaf<T> => {
  const i = h & MASK
  const j = (h >>> BITS) & MASK
  const k = (h >>> (2 * BITS)) & MASK
  const root = own(owned, table as IdTableDraft<T>, copyArray)
  const middle = own(owned, root[i] ?? [], copyArray)
  root[i] = middle
  const lower = own(owned, middle[j] ?? [], copyArray)
  middle[j] = lower
  const leaf = own(owned, lower[k] ?? [], copyArray)
  lower[k] = leaf
  pathRoot = root
  return leaf
}

/** The table with `id` set to `value`: copies the path to one leaf at most once per batch. */
export const tableSet = <T>(owned: Owned, table: IdTable<T>, id: string, value: T, h: number = hashId(id)): IdTable<T> => {
  const leaf = ownPath(owned, table, h)
  const i = leafIndex(leaf, id)
  if (i < 0) leaf.push(id, value)
  else leaf[i + 1] = value
  return pathRoot as IdTable<T>
}

/** The table without `id`. */
export const tableDelete = <T>(owned: Owned, table: IdTable<T>, id: string): IdTable<T> => {
  if (tableGet(table, id) === undefined) return table
  const leaf = ownPath(owned, table, hashId(id))
  leaf.splice(leafIndex(leaf, id), 2)
  return pathRoot as IdTable<T>
}

/** Every value, in no particular order. */
export function* tableValues<T>(table: IdTable<T>): Generator<T> {
  for (const middle of table)
    for (const lower of middle ?? [])
      for (const leaf of lower ?? []) {
        if (leaf === undefined) continue
        for (let i = 1; i < leaf.length; i += 2) yield leaf[i] as T
      }
}

export const orderSize = (order: IdOrder): number => {
  let size = 0
  for (const book of order) for (const page of book) size += page.length
  return size
}

const lastOf = <T>(list: ReadonlyArray<T>): T | undefined => list[list.length - 1]

export const orderLast = (order: IdOrder): string | undefined => {
  const book = lastOf(order)
  const page = book && lastOf(book)
  return page && lastOf(page)
}

/** The ids, first to last. */
export function* orderValues(order: IdOrder): Generator<string> {
  for (const book of order) for (const page of book) for (const id of page) yield id
}

/** The ids, last to first (newest first). */
export function* orderValuesReversed(order: IdOrder): Generator<string> {
  for (let b = order.length - 1; b >= 0; b--) {
    const book = order[b] as ReadonlyArray<ReadonlyArray<string>>
    for (let p = book.length - 1; p >= 0; p--) {
      const page = book[p] as ReadonlyArray<string>
      for (let i = page.length - 1; i >= 0; i--) yield page[i] as string
    }
  }
}

export const orderToArray = (order: IdOrder): string[] => [...orderValues(order)]

/** The first index in `list` whose key is greater than `k` (all keys ≤ k: the length). */
export const upperBound = <T>(list: ReadonlyArray<T>, k: string, keyOf: (item: T) => string): number => {
  let low = 0
  let high = list.length
  while (low < high) {
    const mid = (low + high) >>> 1
    if (keyOf(list[mid] as T) <= k) low = mid + 1
    else high = mid
  }
  return low
}

/**
 * The order with `id` inserted by `key` (ties keep arrival order). New data nearly always
 * belongs at the end, which is checked first; otherwise a binary search over the books'
 * and pages' last keys, then within the page. Copies the book list, one book and one
 * page at most once per batch. The caller makes sure `id` is not there yet.
 */
export const orderInsert = (owned: Owned, order: IdOrder, id: string, key: (id: string) => string, k: string = key(id)): IdOrder => {
  const last = orderLast(order)
  const books = own(owned, order as IdOrderDraft, copyArray)
  if (last === undefined || key(last) <= k) {
    const b = books.length - 1
    const lastBook = books[b]
    const lastPage = lastBook && lastOf(lastBook)
    if (lastBook && lastPage && lastPage.length < PAGE) {
      const book = own(owned, lastBook, copyArray)
      books[b] = book
      const page = own(owned, lastPage, copyArray)
      book[book.length - 1] = page
      page.push(id)
    } else if (lastBook && lastBook.length < BOOK) {
      const book = own(owned, lastBook, copyArray)
      books[b] = book
      book.push(ownNew(owned, [id]))
    } else books.push(ownNew(owned, [ownNew(owned, [id])]))
    return books
  }
  const lastKey = (ids: ReadonlyArray<string>) => key(ids[ids.length - 1] as string)
  const b = Math.min(upperBound(books, k, (book) => lastKey(lastOf(book) as string[])), books.length - 1)
  const book = own(owned, books[b] as string[][], copyArray)
  books[b] = book
  const p = Math.min(upperBound(book, k, lastKey), book.length - 1)
  const page = own(owned, book[p] as string[], copyArray)
  book[p] = page
  page.splice(upperBound(page, k, key), 0, id)
  if (page.length > 2 * PAGE) book.splice(p, 1, ownNew(owned, page.slice(0, PAGE)), ownNew(owned, page.slice(PAGE)))
  if (book.length > 2 * BOOK) books.splice(b, 1, ownNew(owned, book.slice(0, BOOK)), ownNew(owned, book.slice(BOOK)))
  return books
}

const ownNew = <T extends object>(owned: Owned, node: T): T => {
  owned.add(node)
  return node
}

/** The order without `id` (rare: a deleted event, or a local copy moved to its thread): a scan from the end. */
export const orderRemove = (owned: Owned, order: IdOrder, id: string): IdOrder => {
  for (let b = order.length - 1; b >= 0; b--) {
    const book = order[b] as ReadonlyArray<ReadonlyArray<string>>
    for (let p = book.length - 1; p >= 0; p--) {
      const page = book[p] as ReadonlyArray<string>
      const index = page.lastIndexOf(id)
      if (index < 0) continue
      const books = own(owned, order as IdOrderDraft, copyArray)
      if (page.length > 1) {
        const ownedBook = own(owned, book as string[][], copyArray)
        books[b] = ownedBook
        const ownedPage = own(owned, page as string[], copyArray)
        ownedBook[p] = ownedPage
        ownedPage.splice(index, 1)
      } else if (book.length > 1) {
        const ownedBook = own(owned, book as string[][], copyArray)
        books[b] = ownedBook
        ownedBook.splice(p, 1)
      } else books.splice(b, 1)
      return books
    }
  }
  return order
}
