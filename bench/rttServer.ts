/**
 * The local server (`@rapport/server`, memory storage) for the round-trip benchmark, in
 * its own process (forked by rtt.ts): `node rttServer.ts`. Tells the parent
 * `{type:'ready', url}` and runs until the parent goes.
 *
 * The per-socket request rate is raised (1,000 sequential sends take well under the 10 s
 * the default 100/s sustains), and so is the number of new customers per address (every
 * client of every repetition is a new customer): the benchmark measures the round trip,
 * not the limiters. Every other setting is the server's default.
 */
import { startTestServer } from '@rapport/e2e'

const server = await startTestServer({ limits: { requestsPerSecond: 1_000_000, requestBurst: 1_000_000, customersPerAddress: 1_000_000 } })
process.send?.({ type: 'ready', url: server.url })
process.on('disconnect', () => {
  void server.stop().finally(() => process.exit(0))
})
