import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { BOOK, type IdOrder, type IdTable, PAGE, orderInsert, orderRemove, orderToArray, orderValuesReversed, tableDelete, tableGet, tableSet, tableValues } from '../state/collections'

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

describe('IdTable (hashed two-level trie)', () => {
  it('behaves as a map for any ids, __proto__ and constructor included, and shares untouched leaves', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'toString')), fc.integer(), fc.boolean())), (ops) => {
        let table: IdTable<number> = []
        const model = new Map<string, number>()
        for (const [id, value, remove] of ops) {
          const before = table
          table = remove ? tableDelete(new Set(), table, id) : tableSet(new Set(), table, id, value)
          if (remove) model.delete(id)
          else model.set(id, value)
          expect(before.filter((b, i) => b !== table[i]).length).toBeLessThanOrEqual(1)
        }
        for (const [id, value] of model) expect(tableGet(table, id)).toBe(value)
        expect([...tableValues(table)].sort()).toEqual([...model.values()].sort())
        expect(({} as Record<string, unknown>).toString).toBe(Object.prototype.toString)
      }),
    )
  })
})
