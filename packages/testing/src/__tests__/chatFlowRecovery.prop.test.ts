import { describe, it } from 'vitest'
import { chatFlowCommands, runChatFlow } from '../server/chatFlows'

/**
 * The strict form of the delivery policy: the customer's state is checked exactly as the
 * client's own reconnection left it — no `getChat` from the test. It holds only when the
 * core recovers missed events after every reconnect (agent messages sent while the
 * customer was offline, threads opened meanwhile) and its outbox delivers the events it
 * kept pending, once each (custom id deduplication on resend).
 */
describe('chat flows through the fault proxy, no help from the test', () => {
  it("the customer's own state catches up: every acknowledged or pending event once, in the store's order, without getChat", async () => {
    await runChatFlow(chatFlowCommands({ maxRestarts: 1, maxStallMs: 1_200 }), { numRuns: 15, maxCommands: 12, refetchCustomer: false })
  }, 180_000)
})
