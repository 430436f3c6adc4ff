/**
 * The two collections the chat state grows without bound: events by id and each thread's
 * ordered event ids. Writing one entry costs the same however many entries they hold:
 *
 * - `IdTable`: a persistent table whose snapshots are versions of one shared log (see
 *   the class); a batch of writes adds a version in place, copying nothing.
 * - `IdOrder`: ids in books of pages of at most `PAGE` ids. An append copies the last
 *   page, the last book and the book list (once per batch); an insert in the middle
 *   touches one page.
 */

/** Ids per page of an `IdOrder`, and pages per book; a page or book that grows past twice this is split. */
export const PAGE = 64
export const BOOK = 64

/** Ids in order: books of pages of ids (so an append copies at most one page, one book and the book list). */
export type IdOrder = ReadonlyArray<ReadonlyArray<ReadonlyArray<string>>>
export type IdOrderDraft = string[][][]

/** One value an id had from `version` on (`undefined`: deleted), and what it had before. */
interface Cell<T> {
  readonly version: number
  readonly value: T | undefined
  readonly older: Cell<T> | undefined
}

/** Every version of every id, newest first per id; `head` is the newest version written. */
interface Log<T> {
  readonly cells: Map<string, Cell<T>>
  head: number
}

/**
 * A persistent table of values by id: a snapshot is a version of a shared log (fat
 * nodes). Reading an id walks its versions down to the snapshot's; writing a batch adds
 * one version on top of the log in place, so its cost does not depend on how many ids
 * the table holds and nothing is copied. Only the newest snapshot of a log is written
 * to; writing an older one (a second fold from the same state) forks the log first,
 * copying what that snapshot holds. Snapshots never change. Ids are `Map` keys, so any
 * id (`__proto__`, `constructor`) is just a string.
 */
export class IdTable<T> {
  /** @internal */
  constructor(
    /** @internal `null` for the empty table (no log yet: the empty table is shared and must not hold anyone's ids) */
    readonly log: Log<T> | null,
    /** @internal */
    readonly version: number,
  ) {
    Object.freeze(this)
  }

  /** The ids and values this snapshot holds, as a plain object (for JSON and logs). */
  toJSON(): Record<string, T> {
    const out: Record<string, T> = Object.create(null)
    for (const [id, value] of tableEntries(this)) out[id] = value
    return out
  }
}

const EMPTY = /* @__PURE__ */ new IdTable<never>(null, 0)

/** The empty table (shared; writes never change it). */
export const emptyTable = <T>(): IdTable<T> => EMPTY

const valueAt = <T>(cell: Cell<T> | undefined, version: number): T | undefined => {
  while (cell !== undefined && cell.version > version) cell = cell.older
  return cell?.value
}

export const tableGet = <T>(table: IdTable<T>, id: string): T | undefined => (table.log === null ? undefined : valueAt(table.log.cells.get(id), table.version))

export const tableHas = <T>(table: IdTable<T>, id: string): boolean => tableGet(table, id) !== undefined

/** Every id and value, in no particular order. */
export function* tableEntries<T>(table: IdTable<T>): Generator<[string, T]> {
  if (table.log === null) return
  for (const [id, cell] of table.log.cells) {
    const value = valueAt(cell, table.version)
    if (value !== undefined) yield [id, value]
  }
}

/** Every value, in no particular order. */
export function* tableValues<T>(table: IdTable<T>): Generator<T> {
  for (const [, value] of tableEntries(table)) yield value
}

/** A new log holding what `table` holds, as version 1 (when an older snapshot is written to). */
const fork = <T>(table: IdTable<T>): Log<T> => {
  const cells = new Map<string, Cell<T>>()
  for (const [id, value] of tableEntries(table)) cells.set(id, { version: 1, value, older: undefined })
  return { cells, head: 1 }
}

/**
 * One batch of writes to a table: reads see the batch's own writes; `done()` gives the
 * new snapshot (the same table when nothing was written). The log is opened on the
 * first write, so a batch that only reads costs nothing.
 */
export class TableWriter<T> {
  private log: Log<T> | null = null
  private version = 0

  constructor(private base: IdTable<T>) {}

  get(id: string): T | undefined {
    return this.log === null ? tableGet(this.base, id) : valueAt(this.log.cells.get(id), this.version)
  }

  set(id: string, value: T): void {
    this.put(id, value)
  }

  /**
   * Writes `value` under `id` and returns what the batch saw there before, with one
   * lookup (the hot path: an incoming event is both looked up and written).
   */
  put(id: string, value: T): T | undefined {
    const log = this.open()
    const top = log.cells.get(id)
    // a second write of an id in the same batch replaces the batch's own cell
    log.cells.set(id, top !== undefined && top.version === this.version ? { version: this.version, value, older: top.older } : { version: this.version, value, older: top })
    return valueAt(top, this.version)
  }

  delete(id: string): void {
    if (this.get(id) === undefined) return
    const log = this.open()
    const top = log.cells.get(id)
    log.cells.set(id, { version: this.version, value: undefined, older: top !== undefined && top.version === this.version ? top.older : top })
  }

  /** Starts over from `table` (e.g. the state was reset), dropping this batch's writes from view. */
  reset(table: IdTable<T>): void {
    this.base = table
    this.log = null
    this.version = 0
  }

  done(): IdTable<T> {
    return this.log === null ? this.base : new IdTable(this.log, this.version)
  }

  private open(): Log<T> {
    if (this.log !== null) return this.log
    const base = this.base
    const log: Log<T> = base.log === null ? { cells: new Map(), head: 0 } : base.log.head === base.version ? base.log : fork(base)
    this.version = log.head + 1
    log.head = this.version
    this.log = log
    return log
  }
}

/**
 * Nodes created during one batch of writes to an `IdOrder`: those may be changed in
 * place; any other node is copied once, on its first write in the batch (path copying,
 * as a transient).
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
