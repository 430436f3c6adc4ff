import { createAgentClient, createCustomerClient } from '@rapport/node'
import { describe, expect, it } from 'vitest'
import {
  agentSends,
  chatFlowCommands,
  chatFlowViolations,
  checkChatFlow,
  createChatFlowWorld,
  customerSends,
  disposeChatFlowWorld,
  dropCustomerConnection,
  initialChatFlowModel,
  restartServer,
  runChatFlow,
  startChat,
  type ChatFlowModel,
  type SentEvent,
} from '../server/chatFlows'

const sent = (customId: string, by: 'customer' | 'agent', outcome: SentEvent['outcome'], keptPending = false): SentEvent => ({
  customId,
  text: customId,
  by,
  seq: 0,
  outcome,
  keptPending,
  settled: Promise.resolve(),
})
const modelOf = (...events: SentEvent[]): ChatFlowModel => ({ ...initialChatFlowModel(), chatId: 'C', sent: events })

describe('chatFlowViolations (the delivery policy)', () => {
  const model = modelOf(sent('c0', 'customer', 'acked'), sent('a1', 'agent', 'acked'), sent('c2', 'customer', 'rejected'), sent('c3', 'customer', 'rejected', true))

  it('accepts every required event once, in the same order everywhere, and a rejected one at most once', () => {
    const ok = ['c0', 'a1', 'c3']
    expect(chatFlowViolations(model, { server: ok, agent: ok, customer: ok })).toEqual([])
    const withRejected = ['c0', 'c2', 'a1', 'c3']
    expect(chatFlowViolations(model, { server: withRejected, agent: withRejected, customer: withRejected })).toEqual([])
  })

  it('reports a missing, a duplicated, an unknown and a reordered event, and views that differ', () => {
    expect(chatFlowViolations(model, { server: ['c0', 'a1'], agent: ['c0', 'a1'], customer: ['c0', 'a1'] }).join('\n')).toMatch(/c3 .*is missing/)
    expect(chatFlowViolations(model, { server: ['c0', 'a1', 'c3', 'c3'], agent: ['c0', 'a1', 'c3'], customer: ['c0', 'a1', 'c3'] }).join('\n')).toMatch(
      /server: c3 appears 2 times/,
    )
    expect(chatFlowViolations(model, { server: ['c0', 'a1', 'c3', 'x'], agent: [], customer: [] }).join('\n')).toMatch(/x was never sent/)
    expect(chatFlowViolations(model, { server: ['c3', 'a1', 'c0'], agent: ['c3', 'a1', 'c0'], customer: ['c3', 'a1', 'c0'] }).join('\n')).toMatch(
      /customer's events are out of order/,
    )
    expect(chatFlowViolations(model, { server: ['c0', 'a1', 'c3'], agent: ['c0', 'a1', 'c3'], customer: ['a1', 'c0', 'c3'] }).join('\n')).toMatch(
      /customer view .* differs from the store/,
    )
  })
})

describe('chat flows through the fault proxy', () => {
  it('a scripted flow: sends both ways around a drop and a restart, all delivered once', async () => {
    const world = await createChatFlowWorld()
    const model = initialChatFlowModel()
    try {
      for (const command of [
        startChat(),
        customerSends('hello'),
        agentSends('hi there'),
        dropCustomerConnection('proxy'),
        customerSends('still there?'),
        restartServer(),
        agentSends('yes'),
        customerSends('good'),
      ])
        if (command.check(model)) await command.run(model, world)
      const views = await checkChatFlow(model, world, { refetchCustomer: true })
      expect(views.server.length).toBeGreaterThanOrEqual(model.sent.filter((e) => e.outcome === 'acked').length)
      expect(world.connects.customer).toBeGreaterThanOrEqual(2)
    } finally {
      await disposeChatFlowWorld(world)
    }
  }, 30_000)

  it('runs on the clients the caller makes (createCustomer, createAgent), with the proxy as their server', async () => {
    const made: string[] = []
    const world = await createChatFlowWorld({
      createCustomer: (config) => {
        made.push(`customer ${config.serverUrl}`)
        return createCustomerClient({ ...config, clientId: 'my-app' })
      },
      createAgent: (config) => {
        made.push(`agent ${config.serverUrl}`)
        return createAgentClient(config)
      },
    })
    const model = initialChatFlowModel()
    try {
      expect(made).toEqual([`agent ${world.proxy.url}`, `customer ${world.proxy.url}`])
      for (const command of [startChat(), customerSends('mine'), dropCustomerConnection('proxy'), agentSends('yours')])
        if (command.check(model)) await command.run(model, world)
      const views = await checkChatFlow(model, world)
      expect(views.server).toHaveLength(2)
    } finally {
      await disposeChatFlowWorld(world)
    }
  }, 30_000)

  it('random interleavings of sends, drops, stalls and a restart: every acknowledged or pending event is in the store, the agent view and the customer chat (after getChat) once, in order', async () => {
    // each run: a fresh server whose MemoryStorage the harness keeps across the run's restart
    await runChatFlow(chatFlowCommands({ maxRestarts: 1, maxStallMs: 1_200 }), { numRuns: 15, maxCommands: 12, refetchCustomer: true })
  }, 180_000)
})
