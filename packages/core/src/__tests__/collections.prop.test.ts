import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { BOOK, type IdOrder, type IdTable, PAGE, orderInsert, orderRemove, orderToArray, orderValuesReversed, TableWriter, emptyTable, tableGet, tableValues } from '../state/collections'

describe('IdOrder (books of pages of ids)', () => {
  it('matches a plain sorted array under any inserts and removals, and keeps pages and books bounded', () => {
    const op = fc.oneof(
      { weight: 4, arbitrary: fc.record({ type: fc.constant('insert' as const), key: fc.integer({ min: 0, max: 5_000 }) }) },
      { weight: 1, arbitrary: fc.record({ type: fc.constant('remove' as const), index: fc.nat() }) },
    )
    fc.assert(
      fc.property(fc.array(op, { maxLength: 3 * PAGE * 4 }), (ops) => {
        const keys = new Map<string, string>()
        let order: IdOrder = []
        let model: string[] = []
        let n = 0
        for (const o of ops) {
          if (o.type === 'insert') {
            const id = `e${n++}`
            keys.set(id, String(o.key).padStart(6, '0'))
            order = orderInsert(new Set(), order, id, (x) => keys.get(x) ?? '')
            const k = keys.get(id) as string
            const at = model.findIndex((x) => (keys.get(x) as string) > k)
            model.splice(at < 0 ? model.length : at, 0, id)
          } else if (model.length > 0) {
            const id = model[o.index % model.length] as string
            order = orderRemove(new Set(), order, id)
            model = model.filter((x) => x !== id)
          }
        }
        expect(orderToArray(order)).toEqual(model)
        expect([...orderValuesReversed(order)]).toEqual([...model].reverse())
        for (const book of order) {
          expect(book.length).toBeGreaterThan(0)
          expect(book.length).toBeLessThanOrEqual(2 * BOOK)
          for (const page of book) {
            expect(page.length).toBeGreaterThan(0)
            expect(page.length).toBeLessThanOrEqual(2 * PAGE)
          }
        }
      }),
    )
  })

  it('an append to a large order copies only the last page, the last book and the book list', () => {
    let order: IdOrder = []
    const batch = new Set<object>()
    for (let i = 0; i < 100_000; i++) order = orderInsert(batch, order, `e${String(i).padStart(6, '0')}`, (x) => x)
    const frozen = JSON.stringify(order)
    const next = orderInsert(new Set(), order, 'e100000', (x) => x)
    expect(JSON.stringify(order)).toBe(frozen) // a new batch never changes the committed order
    expect(next.slice(0, -1).every((book, i) => book === order[i])).toBe(true)
    const lastBook = next[next.length - 1] ?? []
    expect(lastBook.slice(0, -1).every((page, i) => page === order[order.length - 1]?.[i])).toBe(true)
  })
})

describe('IdTable (versions of a shared log)', () => {
  const id = fc.oneof(fc.string({ maxLength: 3 }), fc.constantFrom('__proto__', 'constructor', 'toString'))
  const batch = fc.record({
    // which earlier snapshot the batch writes to: mostly the newest, sometimes an older one (a fork)
    from: fc.oneof(fc.constant(-1), fc.nat()),
    ops: fc.array(fc.tuple(id, fc.integer(), fc.boolean()), { maxLength: 8 }),
  })

  it('every snapshot keeps reading as the map it was made as, whichever snapshots are written to later', () => {
    fc.assert(
      fc.property(fc.array(batch, { maxLength: 12 }), (batches) => {
        const snapshots: Array<{ table: IdTable<number>; model: Map<string, number> }> = [{ table: emptyTable(), model: new Map() }]
        for (const { from, ops } of batches) {
          const base = from < 0 ? (snapshots.at(-1) as (typeof snapshots)[number]) : (snapshots[from % snapshots.length] as (typeof snapshots)[number])
          const writer = new TableWriter(base.table)
          const model = new Map(base.model)
          for (const [key, value, remove] of ops) {
            if (remove) {
              writer.delete(key)
              model.delete(key)
            } else {
              writer.set(key, value)
              model.set(key, value)
            }
            expect(writer.get(key)).toBe(model.get(key))
          }
          const table = writer.done()
          if (ops.length === 0) expect(table).toBe(base.table)
          snapshots.push({ table, model })
        }
        for (const { table, model } of snapshots) {
          for (const [key, value] of model) expect(tableGet(table, key)).toBe(value)
          expect([...tableValues(table)].sort()).toEqual([...model.values()].sort())
          expect(table.toJSON()).toEqual(Object.assign(Object.create(null), Object.fromEntries(model)))
        }
        expect(({} as Record<string, unknown>).toString).toBe(Object.prototype.toString)
      }),
    )
  })

  it('the empty table is never written to (it holds no one else\'s ids)', () => {
    const writer = new TableWriter<number>(emptyTable())
    writer.set('a', 1)
    expect(tableGet(writer.done(), 'a')).toBe(1)
    expect(tableGet(emptyTable<number>(), 'a')).toBeUndefined()
    expect([...tableValues(emptyTable())]).toEqual([])
  })

  it('a batch on the newest snapshot copies nothing: the log is shared, the old snapshot still reads its version', () => {
    let table = emptyTable<number>()
    for (let i = 0; i < 10; i++) {
      const writer = new TableWriter(table)
      for (let j = 0; j < 1_000; j++) writer.set(`e${i * 1_000 + j}`, i)
      table = writer.done()
    }
    const writer = new TableWriter(table)
    writer.set('e0', 99)
    const next = writer.done()
    expect(next.log).toBe(table.log)
    expect(tableGet(table, 'e0')).toBe(0)
    expect(tableGet(next, 'e0')).toBe(99)
  })
})
