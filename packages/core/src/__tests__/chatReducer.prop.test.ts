import type { ChatEvent, CustomerEvent } from '@rapport/protocol'
import { sdkEventArb } from '@rapport/testing'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type ChatAction, type ChatState, chatReducer, getEvent, initialChatState } from '../state/chatReducer'
import { orderToArray, tableValues } from '../state/collections'
import { createChatStore } from '../state/chatStore'

/** Incoming events of one chat, spread over a few threads, with unique ids. */
const incomingArb = fc
  .uniqueArray(
    fc.record({
      event: sdkEventArb,
      thread: fc.constantFrom('T1', 'T2', 'T3'),
      at: fc.integer({ min: 0, max: 10_000 }),
    }),
    { selector: (x) => x.event.id, maxLength: 30 },
  )
  .map((items) =>
    items.map(({ event, thread, at }): CustomerEvent => {
      const createdAt = new Date(Date.UTC(2026, 0, 1) + at * 1000).toISOString().replace('Z', '000Z')
      return { type: 'incoming_event', payload: { chatId: 'C', event: { ...event, threadId: thread, createdAt } as ChatEvent } }
    }),
  )

describe('chatReducer', () => {
  it("keeps a chat's pending list in sending order, whether sends are folded one by one or in any batches", () => {
    const pendingEvent = (n: number): ChatAction => ({
      type: 'event/pending',
      chatId: 'C',
      event: { id: `local:${n}`, type: 'message', text: `m${n}`, authorId: 'me', createdAt: '2026-01-01T00:00:00.000Z', threadId: null, properties: {}, status: 'pending' },
    })
    const sentEvent = (n: number): ChatAction => ({
      type: 'event/sent',
      chatId: 'C',
      localId: `local:${n}`,
      event: { id: `E${n}`, type: 'message', text: `m${n}`, authorId: 'me', createdAt: `2026-01-01T00:00:${String(n).padStart(2, '0')}.000000Z`, threadId: 'T', properties: {} },
    })
    // n sends; `confirmed` of them (in sending order) are confirmed, each after its own pending entry
    const scenario = fc.integer({ min: 1, max: 12 }).chain((n) =>
      fc.record({ n: fc.constant(n), confirmed: fc.integer({ min: 0, max: n }), cuts: fc.array(fc.integer({ min: 1, max: 2 * n }), { maxLength: 6 }) }),
    )
    fc.assert(
      fc.property(scenario, ({ n, confirmed, cuts }) => {
        const actions: ChatAction[] = []
        for (let i = 0; i < n; i++) {
          actions.push(pendingEvent(i))
          if (i > 0 && i - 1 < confirmed) actions.push(sentEvent(i - 1))
        }
        if (n - 1 < confirmed) actions.push(sentEvent(n - 1))
        let batched = initialChatState
        let from = 0
        for (const cut of [...new Set(cuts)].sort((a, b) => a - b).concat(actions.length)) {
          batched = chatReducer(batched, actions.slice(from, cut))
          from = Math.max(from, cut)
        }
        const oneByOne = actions.reduce((state, action) => chatReducer(state, [action]), initialChatState)
        const expected = Array.from({ length: n - confirmed }, (_, i) => `local:${confirmed + i}`)
        for (const state of [batched, oneByOne]) {
          expect(state.chats.C?.pendingEventIds).toEqual(expected)
          expect(orderToArray(state.threads.T?.eventIds ?? [])).toEqual(Array.from({ length: confirmed }, (_, i) => `E${i}`))
          for (let i = 0; i < n; i++) expect(getEvent(state, `local:${i}`)?.status).toBe(i < confirmed ? undefined : 'pending')
        }
      }),
    )
  })

  it('is idempotent: applying the same actions again changes nothing', () => {
    fc.assert(
      fc.property(incomingArb, (actions) => {
        const once = chatReducer(initialChatState, actions)
        const twice = chatReducer(once, actions)
        // the events table compares by what it holds (its log also keeps the versions it went through)
        const content = (state: ChatState) => ({ ...state, events: state.events.toJSON() })
        expect(content(twice)).toEqual(content(once))
      }),
    )
  })

  it('does not depend on arrival order: events end up ordered by creation, each once', () => {
    fc.assert(
      fc.property(incomingArb.chain((a) => fc.tuple(fc.constant(a), fc.shuffledSubarray(a, { minLength: a.length, maxLength: a.length }))), ([inOrder, shuffled]) => {
        const a = chatReducer(initialChatState, inOrder)
        const b = chatReducer(initialChatState, shuffled)
        for (const thread of Object.values(b.threads)) {
          const ids = orderToArray(thread.eventIds)
          const times = ids.map((id) => getEvent(b, id)?.createdAt ?? '')
          expect([...times].sort()).toEqual(times)
          expect(new Set(ids).size).toBe(ids.length)
        }
        expect(eventIds(b)).toEqual(eventIds(a))
        expect(Object.values(b.chats).flatMap((c) => c.threadIds).sort()).toEqual(Object.values(a.chats).flatMap((c) => c.threadIds).sort())
      }),
    )
  })

  it('orders long runs across pages whatever the batches: mostly in order, some late, some repeated, some moved thread', () => {
    const message = (i: number, at: number, thread: string): CustomerEvent => ({
      type: 'incoming_event',
      payload: {
        chatId: 'C',
        event: { id: `E${i}`, type: 'message', text: `m${i}`, authorId: 'a', properties: {}, threadId: thread, createdAt: new Date(Date.UTC(2026, 0, 1) + at * 1000).toISOString() } as ChatEvent,
      },
    })
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 400 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: -50, max: 0 }), fc.constantFrom('late', 'repeat', 'move')), { maxLength: 40 }),
        fc.array(fc.integer({ min: 1, max: 200 }), { minLength: 1, maxLength: 10 }),
        (count, twists, cuts) => {
          // in order by default; a twist adds a late event (created before others already held),
          // repeats event i, or moves it to thread T2
          const actions = Array.from({ length: count }, (_, i) => message(i, i, 'T1'))
          let late = 0
          for (const [at, shift, kind] of twists) {
            const i = at % count
            if (kind === 'late') actions.push(message(count + late++, Math.max(0, i + shift), 'T1'))
            else actions.push(message(i, i, kind === 'move' ? 'T2' : 'T1'))
          }
          // folded in batches of the given sizes
          let state = initialChatState
          for (let start = 0, c = 0; start < actions.length; c++) {
            const size = cuts[c % cuts.length] as number
            state = chatReducer(state, actions.slice(start, start + size))
            start += size
          }
          const held = new Map<string, string>()
          for (const thread of Object.values(state.threads)) {
            const ids = orderToArray(thread.eventIds)
            const times = ids.map((id) => getEvent(state, id)?.createdAt ?? '')
            expect([...times].sort()).toEqual(times)
            for (const id of ids) {
              expect(held.has(id)).toBe(false)
              held.set(id, thread.id)
              expect(getEvent(state, id)?.threadId).toBe(thread.id)
            }
          }
          expect(held.size).toBe(count + late)
        },
      ),
      { numRuns: 60 },
    )
  })

  it('keeps untouched parts of the state by reference (structural sharing)', () => {
    const first = chatReducer(initialChatState, [{ type: 'chat_properties_updated', payload: { chatId: 'A', properties: { x: { y: 1 } } } }])
    const second = chatReducer(first, [{ type: 'chat_properties_updated', payload: { chatId: 'B', properties: { x: { y: 2 } } } }])
    expect(second.chats.A).toBe(first.chats.A)
    expect(second.events).toBe(first.events)
    expect(chatReducer(second, [])).toBe(second)
  })
})

/** The ids of every event held, sorted. */
const eventIds = (state: ChatState): string[] => [...tableValues(state.events)].map((e) => e.id).sort()

describe('chat store', () => {
  it('folds a burst of actions in one commit and notifies listeners once, never synchronously', async () => {
    const store = createChatStore()
    let notified = 0
    store.subscribe(() => notified++)
    const actions: ChatAction[] = Array.from({ length: 100 }, (_, i) => ({
      type: 'incoming_event',
      payload: { chatId: 'C', event: { id: `E${i}`, type: 'message', text: `${i}`, authorId: 'a', createdAt: `2026-01-01T00:00:${String(i % 60).padStart(2, '0')}.000000Z`, threadId: 'T', properties: {} } },
    }))
    const before = store.getSnapshot()
    for (const action of actions) {
      store.dispatch(action)
      // reading between writes is pure: it neither commits nor changes the snapshot
      expect(store.getSnapshot()).toBe(before)
    }
    expect(notified).toBe(0)
    await new Promise<void>((resolve) => setTimeout(resolve, 0))
    expect(notified).toBe(1)
    const snapshot = store.getSnapshot()
    expect(eventIds(snapshot)).toHaveLength(100)
    expect(store.getSnapshot()).toBe(snapshot)
  })

  it('unsubscribe is idempotent and dispose removes every listener', async () => {
    const store = createChatStore()
    let notified = 0
    const off = store.subscribe(() => notified++)
    off()
    off()
    store.subscribe(() => notified++)
    store.dispose()
    store.dispatch({ type: 'customer_id', payload: 'x' })
    await new Promise<void>((resolve) => setTimeout(resolve, 0))
    expect(notified).toBe(0)
    // a disposed store takes no more writes
    expect(store.getSnapshot().customerId).toBe(null)
  })
})
