/**
 * Chaos soak: many customers and a few bots chat through a fault proxy that drops,
 * stalls and slows the network at random, with one server restart half-way. At the end
 * the network is healed, everyone catches up, and the run prints what was sent,
 * delivered, lost and duplicated in each direction, and how often clients reconnected.
 *
 *   pnpm test:chaos                                  (60 s, 50 customers, 3 bots)
 *   CHAOS_SECONDS=20 CHAOS_CUSTOMERS=20 CHAOS_BOTS=2 CHAOS_SEED=7 pnpm test:chaos
 *
 * Figures, not a pass/fail test; it exits 1 only when something acknowledged was lost,
 * anything was duplicated or an exception went uncaught, so it can gate a nightly job.
 *
 * Counting: an event is "required" when its send was acknowledged or the customer's
 * outbox still holds it as pending at the end. Customer → agent events are delivered when
 * they are in the server's store (and we also count those a bot saw live); agent →
 * customer events (bot replies) are delivered when they are in the customer's final state,
 * as its own reconnection and recovery left it (no refetch).
 */
import { type AgentClient, type CustomerClient, chatEvents, tableValues } from '@rapport/core'
import { FAST_CONNECTION, startTestServer } from '@rapport/e2e'
import { createAgentClient, createCustomerClient } from '@rapport/node'
import { createFaultProxy } from '@rapport/testing/node'

const SECONDS = Number(process.env.CHAOS_SECONDS ?? 60)
const CUSTOMERS = Number(process.env.CHAOS_CUSTOMERS ?? 50)
const BOTS = Number(process.env.CHAOS_BOTS ?? 3)
let seed = Number(process.env.CHAOS_SEED ?? Date.now() % 100_000)
const SEED = seed
const ORG = 'chaos-org'

/** mulberry32: a seeded random for the fault schedule and the customers' pace. */
const random = (): number => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = seed
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}
const between = (min: number, max: number): number => min + Math.floor(random() * (max - min + 1))
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))
const within = <T>(promise: Promise<T>, ms: number): Promise<T | undefined> =>
  Promise.race([promise, sleep(ms).then(() => undefined)])

interface Send {
  customId: string
  outcome: 'inflight' | 'acked' | 'rejected'
  error?: string
  settled: Promise<void>
}

const track = (customId: string, promise: Promise<unknown>): Send => {
  const send: Send = { customId, outcome: 'inflight', settled: Promise.resolve() }
  send.settled = promise.then(
    () => void (send.outcome = 'acked'),
    (error: unknown) => {
      send.outcome = 'rejected'
      send.error = String((error as { code?: unknown }).code ?? error)
    },
  )
  return send
}

/** Uncaught exceptions during the run: counted and reported, not fatal (a soak must finish to give figures). */
const uncaught = new Map<string, number>()
process.on('uncaughtException', (error: Error) => uncaught.set(error.message, (uncaught.get(error.message) ?? 0) + 1))

const main = async (): Promise<void> => {
  // each bot's fixed token is valid in the soak's organization only
  const bots = Array.from({ length: BOTS }, (_, i) => ({ id: `bot${i}@chaos.local`, name: `Bot ${i}`, type: 'bot' as const, token: `chaos-bot-${i}`, tokenOrganizationId: ORG }))
  const server = await startTestServer({ agents: bots })
  const proxy = await createFaultProxy({ target: { port: server.port } })
  // a short connect timeout on purpose: handshakes that stall must time out too
  const connection = { ...FAST_CONNECTION, connectTimeoutMs: Number(process.env.CHAOS_CONNECT_TIMEOUT_MS ?? 1_000) }
  console.log(`# chaos: ${SECONDS} s, ${CUSTOMERS} customers, ${BOTS} bots, seed ${SEED} (server ${server.url}, proxy ${proxy.url})`)

  // ---- bots: reply once to every customer message they see
  const seenByBots = new Set<string>()
  const replies: Send[] = []
  const botClients: AgentClient[] = []
  const botConnects: number[] = []
  bots.forEach((bot, i) => {
    const client = createAgentClient({ organizationId: ORG, accessToken: bot.token, serverUrl: proxy.url, routingStatus: 'accepting_chats', connection })
    botConnects[i] = 0
    client.on('connected', () => void (botConnects[i] = (botConnects[i] ?? 0) + 1))
    client.on('incoming_event', ({ chatId, event }) => {
      const customId = event.customId
      if (event.type !== 'message' || customId === undefined || !customId.startsWith('c') || seenByBots.has(customId)) return
      seenByBots.add(customId)
      const replyId = `r:${customId}`
      replies.push(track(replyId, client.sendEvent({ chatId, event: { type: 'message', text: `re ${event.text}`, customId: replyId } })))
    })
    botClients.push(client)
  })
  await Promise.all(botClients.map((b) => within(b.whenStatus('connected'), 10_000)))

  // ---- customers: start a chat, then send at a random pace without waiting for answers
  const customers: Array<{ client: CustomerClient; chatId: string | null; sends: Send[]; connects: number }> = []
  let running = true
  for (let i = 0; i < CUSTOMERS; i++) {
    const client = createCustomerClient({ organizationId: ORG, clientId: 'chaos', serverUrl: proxy.url, connection })
    const customer = { client, chatId: null as string | null, sends: [] as Send[], connects: 0 }
    client.on('connected', () => void customer.connects++)
    customers.push(customer)
    void (async () => {
      let n = 0
      while (running) {
        await sleep(between(300, 2_000))
        if (!running) break
        if (customer.chatId === null) {
          if (client.status !== 'connected') continue
          try {
            customer.chatId = (await client.startChat()).chat.id
          } catch {
            customer.chatId = (await client.listChats().catch(() => null))?.chatsSummary[0]?.id ?? null
          }
          continue
        }
        const customId = `c${i}-${n++}`
        customer.sends.push(track(customId, client.sendEvent({ chatId: customer.chatId, event: { type: 'message', text: `hello ${customId}`, customId } })))
      }
    })()
  }

  // ---- faults
  const faults = { drops: 0, adminDrops: 0, stalls: 0, delays: 0, restarts: 0 }
  const started = Date.now()
  const end = started + SECONDS * 1000
  let restarted = false
  while (Date.now() < end) {
    await sleep(between(1_000, 3_000))
    if (Date.now() >= end) break
    if (!restarted && Date.now() - started > (SECONDS * 1000) / 2) {
      restarted = true
      faults.restarts++
      await server.restart()
      continue
    }
    const roll = random()
    if (roll < 0.3) {
      faults.drops++
      proxy.dropAll()
    } else if (roll < 0.5) {
      faults.adminDrops++
      const victim = customers[between(0, customers.length - 1)]?.client.state.getSnapshot().customerId
      if (victim) server.admin.dropCustomer(victim)
    } else if (roll < 0.8) {
      faults.stalls++
      proxy.stall(true)
      await sleep(between(200, 2_000))
      proxy.stall(false)
    } else {
      faults.delays++
      proxy.delay(between(10, 150))
      await sleep(between(500, 1_500))
      proxy.delay(0)
    }
  }

  // ---- heal and let everyone catch up
  running = false
  proxy.resetAll()
  const healStart = Date.now()
  await Promise.all([...customers.map((c) => within(c.client.whenStatus('connected'), 20_000)), ...botClients.map((b) => within(b.whenStatus('connected'), 20_000))])
  await within(Promise.all([...customers.flatMap((c) => c.sends.map((s) => s.settled)), ...replies.map((s) => s.settled)]), 20_000)
  await sleep(2_000)
  const healMs = Date.now() - healStart

  // ---- count
  const stored = new Map<string, number>()
  for (const chat of server.storage.listChats(ORG))
    for (const threadId of chat.thread_ids)
      for (const event of server.storage.listEvents(ORG, threadId)) if (event.custom_id) stored.set(event.custom_id, (stored.get(event.custom_id) ?? 0) + 1)

  const pendingOf = (client: CustomerClient): Set<string> => {
    const ids = new Set<string>()
    for (const e of tableValues(client.state.getSnapshot().events)) if (e.status === 'pending' && e.customId) ids.add(e.customId)
    return ids
  }
  const inState = (client: CustomerClient): Map<string, number> => {
    const counts = new Map<string, number>()
    const state = client.state.getSnapshot()
    for (const chatId of Object.keys(state.chats))
      for (const e of chatEvents(chatId)(state)) if (e.customId && e.status === 'sent') counts.set(e.customId, (counts.get(e.customId) ?? 0) + 1)
    return counts
  }

  const up = { attempted: 0, acked: 0, rejected: 0, inflight: 0, pending: 0, required: 0, stored: 0, seenByBot: 0, lost: 0, duplicated: 0, notRequiredButStored: 0 }
  const down = { attempted: replies.length, acked: 0, rejected: 0, inflight: 0, delivered: 0, lost: 0, duplicated: 0 }
  const replyOwner = new Map<string, CustomerClient>()
  const rejections = new Map<string, number>()
  for (const customer of customers) {
    const pending = pendingOf(customer.client)
    const state = inState(customer.client)
    for (const send of customer.sends) {
      up.attempted++
      up[send.outcome]++
      if (send.error) rejections.set(`customer ${send.error}`, (rejections.get(`customer ${send.error}`) ?? 0) + 1)
      const keptPending = send.outcome !== 'acked' && pending.has(send.customId)
      if (keptPending) up.pending++
      const required = send.outcome === 'acked' || keptPending
      const count = stored.get(send.customId) ?? 0
      if (required) up.required++
      if (count > 0) up.stored++
      if (count > 1 || (state.get(send.customId) ?? 0) > 1) up.duplicated++
      if (required && count === 0) up.lost++
      if (!required && count > 0) up.notRequiredButStored++
      if (seenByBots.has(send.customId)) up.seenByBot++
      replyOwner.set(`r:${send.customId}`, customer.client)
    }
  }
  const states = new Map(customers.map((c) => [c.client, inState(c.client)]))
  for (const reply of replies) {
    down[reply.outcome]++
    if (reply.error) rejections.set(`bot ${reply.error}`, (rejections.get(`bot ${reply.error}`) ?? 0) + 1)
    const owner = replyOwner.get(reply.customId)
    const count = (owner && states.get(owner)?.get(reply.customId)) ?? 0
    const storedCount = stored.get(reply.customId) ?? 0
    if (count > 0) down.delivered++
    if (count > 1 || storedCount > 1) down.duplicated++
    if (reply.outcome === 'acked' && count === 0) down.lost++
  }

  const customerReconnects = customers.reduce((sum, c) => sum + Math.max(0, c.connects - 1), 0)
  const botReconnects = botConnects.reduce((sum, n) => sum + Math.max(0, n - 1), 0)
  const notConnected = customers.filter((c) => c.client.status !== 'connected').length
  console.log(`faults: ${faults.drops} proxy drops (all sockets), ${faults.adminDrops} single-customer drops, ${faults.stalls} stalls, ${faults.delays} latency spells, ${faults.restarts} server restart; proxy saw ${proxy.stats.accepted} connections, dropped ${proxy.stats.dropped}`)
  console.log(`customer → agent: sent ${up.attempted} (acked ${up.acked}, kept pending ${up.pending}, rejected ${up.rejected}, unsettled ${up.inflight}); delivered ${up.stored} to the store (${up.seenByBot} seen live by a bot); lost ${up.lost}; duplicated ${up.duplicated}; stored though not acknowledged ${up.notRequiredButStored}`)
  console.log(`agent → customer: sent ${down.attempted} (acked ${down.acked}, rejected ${down.rejected}, unsettled ${down.inflight}); delivered ${down.delivered} into the customer's state; lost ${down.lost} (acked, not in the state); duplicated ${down.duplicated}`)
  console.log(`reconnects: customers ${customerReconnects} (max ${Math.max(0, ...customers.map((c) => c.connects - 1))} for one), bots ${botReconnects}; not connected after healing: ${notConnected}; caught up in ${healMs} ms`)
  if (rejections.size > 0) console.log(`rejections: ${[...rejections].map(([k, n]) => `${k} ×${n}`).join(', ')}`)
  console.log(`uncaught exceptions: ${uncaught.size === 0 ? 0 : [...uncaught].map(([m, n]) => `${JSON.stringify(m)} ×${n}`).join(', ')}`)

  for (const c of customers) c.client.destroy()
  for (const b of botClients) b.destroy()
  await proxy.close()
  await server.stop()
  const failed = up.lost + up.duplicated + down.lost + down.duplicated > 0 || uncaught.size > 0
  console.log(failed ? 'chaos: FAILED (lost or duplicated events, or uncaught exceptions, above)' : 'chaos: nothing acknowledged was lost, nothing duplicated')
  process.exit(failed ? 1 : 0)
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(2)
})
