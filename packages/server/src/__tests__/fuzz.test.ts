/**
 * Robustness: thousands of random, malformed and mutated frames over real sockets, before
 * and after login, on the customer and the agent side. Every frame must get exactly one
 * response — a success or a documented error (`WIRE_ERROR_TYPES`, never `internal`) —
 * echoing its `request_id` whenever that was readable; the process must not throw (an
 * `'error'` event nobody listens to on the HTTP/ws server would surface as an
 * `uncaughtException`, which is recorded); and a well-behaved customer and bot keep
 * chatting throughout. `FUZZ_SEED`/`FUZZ_FRAMES` replay or scale a run.
 *
 * A second run puts extreme values into every template: arrays and objects nested 10, 100,
 * 10⁴ and 10⁵ levels deep (built as text: past `JSON.stringify`'s own limit), and huge
 * fields (a 900 KB string, 10⁵-element arrays, 5·10⁴-key objects). Every one is answered
 * with a documented error or a success; anything nested deeper than `maxJsonDepth` is a
 * `validation` error, on both sides and both storages.
 */
import { WIRE_ERROR_TYPES, type ResponseFrame } from '@rapport/protocol'
import { isWellFormedRequestText, malformedFrameArb, requestFrameArb } from '@rapport/testing'
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SqliteStorage } from '../storage/sqliteStorage'
import { BOT, startServer } from './helpers/harness'
import type { TestSocket } from './helpers/testSocket'

const SEED = Number(process.env.FUZZ_SEED ?? 20261122)
const FRAMES_PER_SOCKET = Number(process.env.FUZZ_FRAMES ?? 900)
const BATCH = 150
const DOCUMENTED = new Set<string>(WIRE_ERROR_TYPES)

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }
type Template = [action: string, payload: Record<string, Json>]

/** An outgoing frame: text or binary, and the request id the server must echo (`null`: none readable). */
interface Shot {
  data: string | Buffer
  echo: string | null
}

/** What the server can read of a text frame's `request_id` (customer-rtm §3.1). */
const readableRequestId = (text: string): string | null => {
  try {
    const value: unknown = JSON.parse(text)
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return null
    const id = (value as { request_id?: unknown }).request_id
    return typeof id === 'string' ? id : null
  } catch {
    return null
  }
}

const textShot = (text: string): Shot => ({ data: text, echo: readableRequestId(text) })

let counter = 0
const uniqueId = (): string => `fz${(++counter).toString(36)}`

// ── mutations of valid request frames ──────────────────────────────────────────

const wrongTypeArb: fc.Arbitrary<Json> = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.constant<Json>([]),
  fc.constant<Json>({}),
  fc.string({ maxLength: 6 }),
  fc.array(fc.integer(), { maxLength: 3 }),
)

const hugeStringArb: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom('x', 'é', '😀', '\u0000', '"\\'), fc.integer({ min: 1024, max: 96 * 1024 }))
  .map(([unit, length]) => unit.repeat(Math.ceil(length / unit.length)))

const deepArb: fc.Arbitrary<Json> = fc.tuple(fc.integer({ min: 50, max: 3000 }), fc.boolean()).map(([depth, arrays]) => {
  let value: Json = 'bottom'
  for (let i = 0; i < depth; i += 1) value = arrays ? [value] : { a: value }
  return value
})

/** Paths to every value of a JSON object (for picking one to mutate). */
const pathsOf = (value: Json, prefix: Array<string | number> = []): Array<Array<string | number>> => {
  if (value === null || typeof value !== 'object') return []
  const entries: Array<[string | number, Json]> = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value)
  return entries.flatMap(([key, child]) => [[...prefix, key], ...pathsOf(child, [...prefix, key])])
}

const setAt = (root: Json, path: Array<string | number>, replace: (old: Json) => Json | undefined): Json => {
  if (path.length === 0) return replace(root) ?? null
  if (root === null || typeof root !== 'object') return root
  const [head, ...rest] = path
  if (head === undefined) return root
  if (Array.isArray(root)) {
    const copy = [...root]
    const index = Number(head)
    const next = rest.length === 0 ? replace(copy[index] ?? null) : setAt(copy[index] ?? null, rest, replace)
    if (next === undefined) copy.splice(index, 1)
    else copy[index] = next
    return copy
  }
  const copy: { [key: string]: Json } = { ...root }
  const key = String(head)
  const next = rest.length === 0 ? replace(copy[key] ?? null) : setAt(copy[key] ?? null, rest, replace)
  if (next === undefined) delete copy[key]
  else copy[key] = next
  return copy
}

type Mutation =
  | { kind: 'none' }
  | { kind: 'drop'; pick: number }
  | { kind: 'wrongType'; pick: number; value: Json }
  | { kind: 'huge'; pick: number; value: string }
  | { kind: 'deep'; pick: number; value: Json }
  | { kind: 'extra'; key: string; value: Json }
  | { kind: 'unknownAction'; action: string }
  | { kind: 'payloadNotObject'; value: Json }
  | { kind: 'noRequestId' }

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 2, arbitrary: fc.constant<Mutation>({ kind: 'none' }) },
  { weight: 3, arbitrary: fc.nat().map((pick): Mutation => ({ kind: 'drop', pick })) },
  { weight: 3, arbitrary: fc.tuple(fc.nat(), wrongTypeArb).map(([pick, value]): Mutation => ({ kind: 'wrongType', pick, value })) },
  { weight: 1, arbitrary: fc.tuple(fc.nat(), hugeStringArb).map(([pick, value]): Mutation => ({ kind: 'huge', pick, value })) },
  { weight: 1, arbitrary: fc.tuple(fc.nat(), deepArb).map(([pick, value]): Mutation => ({ kind: 'deep', pick, value })) },
  { weight: 1, arbitrary: fc.tuple(fc.string({ maxLength: 8 }), wrongTypeArb).map(([key, value]): Mutation => ({ kind: 'extra', key, value })) },
  {
    weight: 1,
    arbitrary: fc
      .oneof(fc.string({ minLength: 1, maxLength: 20 }), fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'SEND_EVENT', 'send_event '))
      .map((action): Mutation => ({ kind: 'unknownAction', action })),
  },
  { weight: 1, arbitrary: wrongTypeArb.filter((v) => Array.isArray(v) || typeof v !== 'object').map((value): Mutation => ({ kind: 'payloadNotObject', value })) },
  { weight: 1, arbitrary: fc.constant<Mutation>({ kind: 'noRequestId' }) },
)

const mutate = ([action, payload]: Template, mutation: Mutation): Shot => {
  const requestId = uniqueId()
  const frame: { [key: string]: Json } = { request_id: requestId, action, payload }
  const paths = pathsOf(payload)
  const pick = (n: number): Array<string | number> => ['payload', ...(paths[n % Math.max(1, paths.length)] ?? [])]
  let mutated: Json = frame
  switch (mutation.kind) {
    case 'none':
      break
    case 'drop':
      mutated = paths.length === 0 ? frame : setAt(frame, pick(mutation.pick), () => undefined)
      break
    case 'wrongType':
      mutated = setAt(frame, pick(mutation.pick), () => mutation.value)
      break
    case 'huge':
      mutated = setAt(frame, pick(mutation.pick), () => mutation.value)
      break
    case 'deep':
      mutated = setAt(frame, pick(mutation.pick), () => mutation.value)
      break
    case 'extra':
      mutated = setAt(frame, ['payload', mutation.key], () => mutation.value)
      break
    case 'unknownAction':
      mutated = { ...frame, action: mutation.action }
      break
    case 'payloadNotObject':
      mutated = { ...frame, payload: mutation.value }
      break
    case 'noRequestId': {
      const { request_id: _dropped, ...rest } = frame
      mutated = rest
      break
    }
  }
  return textShot(JSON.stringify(mutated))
}

/** Valid request frames of a logged-in customer that owns chat/thread/event `ids`. */
const customerTemplates = (ids: { chat_id: string; thread_id: string; event_id: string }): Template[] => {
  const { chat_id, thread_id, event_id } = ids
  return [
    ['ping', {}],
    ['get_chat', { chat_id, thread_id }],
    ['list_chats', { limit: 5, sort_order: 'asc' }],
    ['list_threads', { chat_id, limit: 2, sort_order: 'desc' }],
    ['send_event', { chat_id, event: { type: 'message', text: 'fuzz', custom_id: 'c1', properties: { ns: { k: 'v' } } } }],
    ['send_event', { chat_id, event: { type: 'file', url: 'https://cdn.example/a.png' }, attach_to_last_thread: true }],
    ['send_event', { chat_id, event: { type: 'filled_form', form_id: 'f', fields: [{ type: 'name', id: 'n', label: 'Name', answer: 'A' }] } }],
    ['send_event', { chat_id, event: { type: 'custom', content: { a: [1, 2] } } }],
    ['send_event', { chat_id, event: { type: 'system_message', text: 'x' } }],
    ['send_rich_message_postback', { chat_id, thread_id, event_id, postback: { id: 'b1', toggled: true } }],
    ['send_sneak_peek', { chat_id, sneak_peek_text: 'typing…' }],
    ['mark_events_as_seen', { chat_id, seen_up_to: '2030-01-01T00:00:00.000000Z' }],
    ['update_chat_properties', { id: chat_id, properties: { ns: { a: 1 } } }],
    ['delete_chat_properties', { id: chat_id, properties: { ns: ['a'] } }],
    ['update_thread_properties', { chat_id, thread_id, properties: { rating: { score: 1 } } }],
    ['delete_thread_properties', { chat_id, thread_id, properties: { rating: ['score'] } }],
    ['update_event_properties', { chat_id, thread_id, event_id, properties: { ns: { b: true } } }],
    ['delete_event_properties', { chat_id, thread_id, event_id, properties: { ns: ['b'] } }],
    ['delete_event', { chat_id, thread_id, event_id }],
    ['deactivate_chat', { id: chat_id }],
    ['resume_chat', { chat: { id: chat_id, thread: { events: [{ type: 'message', text: 'back' }] } } }],
    ['start_chat', { chat: { access: { group_ids: [0] }, thread: { events: [{ type: 'message', text: 'hi' }] } } }],
    ['get_customer', {}],
    ['update_customer', { name: 'Fuzz', email: 'f@example.com', session_fields: [{ k: 'v' }] }],
    ['update_customer_page', { url: 'https://shop.example/p', title: 'P' }],
    ['set_customer_session_fields', { session_fields: [{ a: 'b' }] }],
    ['list_group_statuses', { all: true }],
    ['list_group_statuses', { group_ids: [0, 1] }],
    ['get_form', { group_id: 0, type: 'prechat' }],
    ['get_predicted_agent', { group_id: 0 }],
    ['request_welcome_message', { group_id: 0 }],
    ['get_url_info', { url: 'https://example.com/' }],
    ['accept_greeting', { greeting_id: 1, unique_id: 'nope' }],
    ['cancel_greeting', { unique_id: 'nope' }],
    ['send_greeting_button_clicked', { greeting_unique_id: 'nope', button_id: 'b' }],
    ['login', { token: 'Bearer dal:whatever' }],
  ]
}

const agentTemplates = (chat_id: string, thread_id: string): Template[] => [
  ['list_chats', { limit: 3 }],
  ['get_chat', { chat_id, thread_id }],
  ['list_threads', { chat_id }],
  ['list_routing_statuses', {}],
  ['set_routing_status', { status: 'accepting_chats' }],
  ['send_typing_indicator', { chat_id, is_typing: true }],
  ['mark_events_as_seen', { chat_id, seen_up_to: '2030-01-01T00:00:00.000000Z' }],
  ['get_customer', { id: 'nobody' }],
  ['multicast', { recipients: { agents: { all: true } }, content: { a: 1 } }],
]

// ── frame sources ──────────────────────────────────────────────────────────────

const randomShotArb: fc.Arbitrary<Shot> = fc.oneof(
  { weight: 4, arbitrary: malformedFrameArb.map(textShot) },
  {
    weight: 3,
    arbitrary: requestFrameArb.map((frame) => textShot(JSON.stringify({ ...frame, request_id: uniqueId() }))),
  },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((bytes): Shot => ({ data: Buffer.from(bytes), echo: null })) },
  { weight: 1, arbitrary: fc.constantFrom<Shot>({ data: '', echo: null }, { data: ' ', echo: null }, { data: 'null', echo: null }, { data: '{}', echo: null }) },
)

const shotsFor = (templates: Template[], count: number, seed: number): Shot[] =>
  fc.sample(
    fc.oneof(
      { weight: 1, arbitrary: randomShotArb },
      { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...templates), mutationArb).map(([template, mutation]) => mutate(template, mutation)) },
    ),
    { numRuns: count, seed },
  )

// ── driving a socket ───────────────────────────────────────────────────────────

const responsesOf = (socket: TestSocket): ResponseFrame[] => socket.received.filter((f): f is ResponseFrame => f.type === 'response')

const waitFor = async (condition: () => boolean, label: string, timeoutMs = 8000): Promise<void> => {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${label}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

interface Tally {
  frames: number
  successes: number
  errors: Map<string, number>
}

/** Sends the shots in batches and checks each batch's responses as a multiset of echoed request ids. */
const fire = async (socket: TestSocket, shots: Shot[], tally: Tally, between: () => Promise<void>): Promise<void> => {
  for (let start = 0; start < shots.length; start += BATCH) {
    const batch = shots.slice(start, start + BATCH)
    const before = responsesOf(socket).length
    for (const shot of batch) {
      if (typeof shot.data === 'string') socket.ws.send(shot.data)
      else socket.ws.send(shot.data, { binary: true })
    }
    await between()
    await waitFor(() => responsesOf(socket).length >= before + batch.length || !socket.isOpen, `responses to a batch of ${batch.length}`)
    expect(socket.isOpen, 'the server keeps the fuzzed socket open').toBe(true)
    const got = responsesOf(socket).slice(before)
    expect(got).toHaveLength(batch.length)
    const expected = batch.map((s) => s.echo ?? '<none>').sort()
    const echoed = got.map((r) => r.request_id ?? '<none>').sort()
    expect(echoed).toEqual(expected)
    for (const response of got) {
      tally.frames += 1
      if (response.success) {
        tally.successes += 1
        continue
      }
      const type = (response.payload as { error?: { type?: unknown } } | undefined)?.error?.type
      expect(typeof type === 'string' && DOCUMENTED.has(type), `documented error type, got ${JSON.stringify(response).slice(0, 300)}`).toBe(true)
      expect(type, `no internal error: ${JSON.stringify(response).slice(0, 300)}`).not.toBe('internal')
      tally.errors.set(String(type), (tally.errors.get(String(type)) ?? 0) + 1)
    }
  }
}

// ── extreme values: deep nesting and huge fields ────────────────────────────────

const PLACEHOLDER = '__EXTREME__'

type Extreme = { label: string; text: string; tooDeep: boolean }

const deepExtremes = (depths: number[]): Extreme[] =>
  depths.flatMap((depth) => [
    { label: `${depth} arrays`, text: `${'['.repeat(depth)}0${']'.repeat(depth)}`, tooDeep: depth > 31 },
    { label: `${depth} objects`, text: `${'{"k":'.repeat(depth)}0${'}'.repeat(depth)}`, tooDeep: depth > 31 },
  ])

const HUGE: Extreme[] = [
  { label: '900 KB string', text: JSON.stringify('x'.repeat(900 * 1024)), tooDeep: false },
  { label: '10⁵-element array', text: `[${Array.from({ length: 100_000 }, () => '0').join(',')}]`, tooDeep: false },
  { label: '5·10⁴-key object', text: `{${Array.from({ length: 50_000 }, (_, i) => `"k${i}":0`).join(',')}}`, tooDeep: false },
]

/**
 * The frames of a template with one extreme value: at each of up to `paths` places in the
 * payload (or as an unknown payload member when it has none), and with `beside` also as an
 * unknown member of the payload and of the frame.
 */
const extremeFrames = (
  [action, payload]: Template,
  extreme: Extreme,
  paths: number,
  beside: boolean,
): Array<{ text: string; requestId: string; inPayload: boolean }> => {
  const places: Array<Array<string | number>> = pathsOf(payload).slice(0, paths).map((path) => ['payload', ...path])
  if (places.length === 0 || beside) places.push(['payload', 'extra'])
  if (beside) places.push(['extra'])
  const frames = places.map((path) => {
    const requestId = uniqueId()
    const frame = setAt({ request_id: requestId, action, payload }, path, () => PLACEHOLDER)
    return { text: JSON.stringify(frame).replace(`"${PLACEHOLDER}"`, extreme.text), requestId, inPayload: path[0] === 'payload' }
  })
  return frames
}

describe('fuzz', () => {
  const uncaught: unknown[] = []
  const onUncaught = (error: unknown): void => {
    uncaught.push(error)
  }
  beforeEach(() => {
    process.on('uncaughtException', onUncaught)
    process.on('unhandledRejection', onUncaught)
  })
  afterEach(() => {
    process.off('uncaughtException', onUncaught)
    process.off('unhandledRejection', onUncaught)
  })

  it('answers thousands of random and malformed frames, never crashes, and keeps serving a well-behaved client', async () => {
    const loggedErrors: string[] = []
    const storage = new SqliteStorage(':memory:')
    const h = await startServer({
      storage,
      loginTimeoutMs: false,
      idleTimeoutMs: false,
      logger: { info: () => {}, warn: () => {}, error: (message, error) => loggedErrors.push(`${message}: ${String(error)}`) },
    })
    try {
      // the well-behaved pair: a customer chatting with the bot
      const bot = await h.agent(BOT.id)
      const good = await h.customer()
      const goodChat = await good.socket.ok<{ chat_id: string; thread_id: string }>('start_chat', {
        chat: { thread: { events: [{ type: 'message', text: 'hello' }] } },
      })
      await bot.push('incoming_chat')
      let round = 0
      const goodRoundTrip = async (): Promise<void> => {
        round += 1
        const text = `still here ${round}`
        const sent = await good.socket.ok<{ event_id: string }>('send_event', { chat_id: goodChat.chat_id, event: { type: 'message', text } })
        const own = await good.socket.push<{ event: { id: string; text: string } }>('incoming_event', (f) => f.payload.event.text === text)
        expect(own.payload.event.id).toBe(sent.event_id)
        const seen = await bot.push<{ event: { text: string } }>('incoming_event', (f) => f.payload.event.text === text)
        expect(seen.payload.event.text).toBe(text)
        good.socket.buffer.length = 0
      }

      // a logged-in customer with a chat, a thread and an event of its own
      const victim = await h.customer()
      const own = await victim.socket.ok<{ chat_id: string; thread_id: string; event_ids: string[] }>('start_chat', {
        chat: { thread: { events: [{ type: 'message', text: 'mine' }] } },
      })
      const ids = { chat_id: own.chat_id, thread_id: own.thread_id, event_id: own.event_ids[0] ?? '' }
      // an anonymous socket (never logs in), one that logs in halfway, and a logged-in agent
      const anonymous = await h.open('customer')
      const late = await h.open('customer')
      const lateToken = await h.token()
      const agent = await h.agent('agent@test', { accepting: false })

      const tally: Tally = { frames: 0, successes: 0, errors: new Map() }
      const templates = customerTemplates(ids)
      await fire(anonymous, shotsFor(templates, FRAMES_PER_SOCKET, SEED), tally, goodRoundTrip)
      await fire(late, shotsFor(templates, FRAMES_PER_SOCKET / 2, SEED + 1), tally, goodRoundTrip)
      await late.ok('login', { token: `Bearer ${lateToken.access_token}` })
      await fire(late, shotsFor(templates, FRAMES_PER_SOCKET / 2, SEED + 2), tally, goodRoundTrip)
      await fire(victim.socket, shotsFor(templates, FRAMES_PER_SOCKET, SEED + 3), tally, goodRoundTrip)
      await fire(agent, shotsFor([...agentTemplates(goodChat.chat_id, goodChat.thread_id), ...templates], FRAMES_PER_SOCKET, SEED + 4), tally, goodRoundTrip)

      if (process.env.FUZZ_DEBUG) console.log(tally.frames, tally.successes, [...tally.errors])
      expect(tally.frames).toBeGreaterThanOrEqual(FRAMES_PER_SOCKET * 4)
      // both outcomes were exercised, with a spread of documented errors
      expect(tally.successes).toBeGreaterThan(50)
      expect(tally.errors.get('validation') ?? 0).toBeGreaterThan(500)
      expect(tally.errors.get('authentication') ?? 0).toBeGreaterThan(50)
      expect(tally.errors.get('not_found') ?? 0).toBeGreaterThan(10)

      // the server is healthy, the good pair still chats, nothing was thrown or logged
      await goodRoundTrip()
      expect((await fetch(`${h.server.url}/healthz`)).status).toBe(200)
      expect(h.server.admin.health().ok).toBe(true)
      expect(uncaught).toEqual([])
      expect(loggedErrors).toEqual([])
    } finally {
      await h.server.close()
      storage.close()
    }
  }, 30_000)

  it('answers deep nesting (10 to 10⁵ levels, arrays and objects) and huge fields in every action with documented errors only', async () => {
    const loggedErrors: string[] = []
    const h = await startServer({
      loginTimeoutMs: false,
      idleTimeoutMs: false,
      logger: { info: () => {}, warn: () => {}, error: (message, error) => loggedErrors.push(`${message}: ${String(error)}`) },
    })
    try {
      const bot = await h.agent(BOT.id)
      const victim = await h.customer()
      const own = await victim.socket.ok<{ chat_id: string; thread_id: string; event_ids: string[] }>('start_chat', {
        chat: { thread: { events: [{ type: 'message', text: 'mine' }] } },
      })
      await bot.push('incoming_chat')
      const ids = { chat_id: own.chat_id, thread_id: own.thread_id, event_id: own.event_ids[0] ?? '' }
      const anonymous = await h.open('customer')
      const agent = await h.agent('agent@test', { accepting: false })

      const tally: Tally = { frames: 0, successes: 0, errors: new Map() }
      /** Sends one frame and checks its one response; a rate-limited frame waits and goes again. */
      const shoot = async (socket: TestSocket, frame: { text: string; requestId: string }, mustBe: string | undefined, label: string): Promise<void> => {
        let response: ResponseFrame
        for (let attempt = 0; ; attempt += 1) {
          socket.sendRaw(frame.text)
          response = await socket.response(frame.requestId)
          const type = (response.payload as { error?: { type?: string } } | undefined)?.error?.type
          if (response.success || type !== 'too_many_requests' || attempt >= 100) break
          await new Promise((resolve) => setTimeout(resolve, 50))
        }
        tally.frames += 1
        if (response.success) {
          expect(mustBe, `${label}: answered success`).toBeUndefined()
          tally.successes += 1
          return
        }
        const type = (response.payload as { error?: { type?: unknown } } | undefined)?.error?.type
        expect(typeof type === 'string' && DOCUMENTED.has(type), `${label}: documented error type, got ${String(type)}`).toBe(true)
        expect(type, label).not.toBe('internal')
        if (mustBe !== undefined) expect(type, label).toBe(mustBe)
        tally.errors.set(String(type), (tally.errors.get(String(type)) ?? 0) + 1)
      }

      const sides: Array<[TestSocket, Template[]]> = [
        [victim.socket, customerTemplates(ids)],
        [anonymous, customerTemplates(ids).slice(0, 6)],
        [agent, agentTemplates(own.chat_id, own.thread_id)],
      ]
      for (const [socket, templates] of sides) {
        for (const [index, template] of templates.entries()) {
          for (const extreme of [...deepExtremes([10, 100]), ...deepExtremes([10_000, 100_000]), ...HUGE]) {
            // the large values (up to 900 KB a frame) go into one place per template, and beside the payload once per socket
            const large = extreme.text.length > 10_000
            for (const frame of extremeFrames(template, extreme, large ? 1 : 3, !large || index === 0)) {
              const label = `${template[0]} with ${extreme.label}${frame.inPayload ? ' in the payload' : ' beside it'}`
              await shoot(socket, frame, extreme.tooDeep && frame.inPayload ? 'validation' : undefined, label)
            }
          }
        }
        expect(socket.isOpen, 'the socket stays open').toBe(true)
      }

      if (process.env.FUZZ_DEBUG) console.log(tally.frames, tally.successes, [...tally.errors])
      expect(tally.errors.get('validation') ?? 0).toBeGreaterThan(500)
      // the chat goes on and the server is healthy; nothing was thrown or logged
      await victim.socket.ok('send_event', { chat_id: own.chat_id, event: { type: 'message', text: 'after the storm' } }).catch(() => undefined)
      const fresh = await h.customer()
      const chat = await fresh.socket.ok<{ chat_id: string }>('start_chat', { chat: { thread: { events: [{ type: 'message', text: 'hello' }] } } })
      expect(chat.chat_id).toEqual(expect.any(String))
      expect((await fetch(`${h.server.url}/healthz`)).status).toBe(200)
      expect(uncaught).toEqual([])
      expect(loggedErrors).toEqual([])
    } finally {
      await h.server.close()
    }
  }, 120_000)

  it('isWellFormedRequestText agrees with the server: malformed text is always a validation error', async () => {
    const h = await startServer()
    const socket = await h.open('customer')
    const texts = fc.sample(malformedFrameArb, { numRuns: 300, seed: SEED + 5 })
    for (const text of texts) socket.ws.send(text)
    await waitFor(() => responsesOf(socket).length >= texts.length, 'responses to malformed text')
    const responses = responsesOf(socket)
    expect(texts.every((t) => !isWellFormedRequestText(t))).toBe(true)
    for (const response of responses) {
      expect(response.success).toBe(false)
      expect((response.payload as { error: { type: string } }).error.type).toBe('validation')
    }
  })
})

// ── limits: huge fields and a slow reader ───────────────────────────────────────

describe('fuzz: limits', () => {
  /** A string of at least `length` UTF-16 units (and more than that many JSON characters) of one of a few units. */
  const longStringArb: fc.Arbitrary<string> = fc
    .tuple(fc.constantFrom('x', 'é', '😀', '"\\', ' .', 'javascript:'), fc.integer({ min: 70_000, max: 200_000 }))
    .map(([unit, length]) => unit.repeat(Math.ceil(length / unit.length)))

  it('every field of every customer request, made longer than any limit, is refused with validation (and nothing is stored)', async () => {
    const h = await startServer({ loginTimeoutMs: false, idleTimeoutMs: false })
    const victim = await h.customer()
    const own = await victim.socket.ok<{ chat_id: string; thread_id: string; event_ids: string[] }>('start_chat', {
      chat: { thread: { events: [{ type: 'message', text: 'mine' }] } },
    })
    const ids = { chat_id: own.chat_id, thread_id: own.thread_id, event_id: own.event_ids[0] ?? '' }
    const shots = customerTemplates(ids).flatMap(([action, payload]) => pathsOf(payload).map((path) => ({ action, payload, path })))
    const huge = fc.sample(longStringArb, { numRuns: shots.length, seed: SEED + 7 })
    const before = await victim.socket.ok<{ thread: { events: unknown[] } }>('get_chat', { chat_id: ids.chat_id })
    let sent = 0
    for (const [index, { action, payload, path }] of shots.entries()) {
      // a container's leaves are covered on their own: replace leaves only
      const value = path.reduce<Json>((node, key) => (node !== null && typeof node === 'object' ? ((node as Record<string, Json>)[key] ?? null) : null), payload)
      if (value !== null && typeof value === 'object') continue
      const mutated = setAt(payload, path, () => huge[index] ?? 'x'.repeat(70_000))
      const response = await victim.socket.request(action, mutated)
      sent += 1
      const type = response.success ? 'success' : (response.payload as { error?: { type?: string } }).error?.type
      expect(type, `${action} with ${path.join('.')} huge`).toBe('validation')
    }
    expect(sent).toBeGreaterThan(50)
    const after = await victim.socket.ok<{ thread: { events: unknown[] } }>('get_chat', { chat_id: ids.chat_id })
    expect(after.thread.events).toHaveLength(before.thread.events.length)
  }, 60_000)

  it('a slow reader flooding random large requests is paused and closed, with its buffer bounded, while a customer and the bot keep chatting', async () => {
    const highWater = 128 * 1024
    const hardCap = 512 * 1024
    const h = await startServer({ limits: { outgoingHighWaterBytes: highWater, outgoingHardCapBytes: hardCap, slowReaderTimeoutMs: 500, requestsPerSecond: 0 } })
    const bot = await h.agent(BOT.id)
    const good = await h.customer()
    const goodChat = await good.socket.ok<{ chat_id: string }>('start_chat', { chat: { thread: { events: [{ type: 'message', text: 'hello' }] } } })
    await bot.push('incoming_chat')

    // the slow reader's chat holds ~16 KB × 12 of events over several threads
    const slowCustomer = await h.customer()
    const chat = await slowCustomer.socket.ok<{ chat_id: string; thread_id: string }>('start_chat', { chat: { thread: { events: [{ type: 'message', text: 'x' }] } } })
    for (let i = 0; i < 12; i += 1) {
      await slowCustomer.socket.ok('send_event', { chat_id: chat.chat_id, event: { type: 'message', text: 'y'.repeat(16_000) } })
      if (i % 4 === 3) {
        await slowCustomer.socket.ok('deactivate_chat', { id: chat.chat_id })
        await slowCustomer.socket.ok('resume_chat', { chat: { id: chat.chat_id } })
      }
    }
    const large: Template[] = [
      ['get_chat', { chat_id: chat.chat_id }],
      ['list_threads', { chat_id: chat.chat_id, limit: 100 }],
      ['list_threads', { chat_id: chat.chat_id, min_events_count: 100 }],
      ['list_chats', { limit: 25 }],
      ['get_customer', {}],
    ]
    const flood = fc.sample(fc.array(fc.constantFrom(...large), { minLength: 300, maxLength: 600 }), { numRuns: 1, seed: SEED + 8 })[0] ?? []
    // ws's own pause: the client stops reading its TCP socket (and ws does not resume it on its own)
    slowCustomer.socket.ws.pause()
    for (const [action, payload] of flood) slowCustomer.socket.send({ request_id: uniqueId(), action, payload })

    let round = 0
    while (h.server.traffic().slowReadersClosed === 0) {
      round += 1
      // bounded by the test's timeout: the close comes after slowReaderTimeoutMs of pause
      if (round > 1_000_000) throw new Error(`the slow reader was never closed: ${JSON.stringify(h.server.traffic())}`)
      const text = `round ${round}`
      await good.socket.ok('send_event', { chat_id: goodChat.chat_id, event: { type: 'message', text } })
      await bot.push<{ event: { text: string } }>('incoming_event', (f) => f.payload.event.text === text)
      good.socket.buffer.length = 0
    }
    const traffic = h.server.traffic()
    expect(round).toBeGreaterThan(0)
    expect(traffic.readersPaused).toBeGreaterThanOrEqual(1)
    // the largest answer here is a list_threads of every event (~200 KB): paused before the hard cap
    expect(traffic.maxBufferedBytes).toBeLessThan(hardCap)
    await bot.ok('send_event', { chat_id: goodChat.chat_id, event: { type: 'message', text: 'after' } })
    await good.socket.push<{ event: { text: string } }>('incoming_event', (f) => f.payload.event.text === 'after')
  }, 60_000)
})
