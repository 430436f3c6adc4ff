import { createServer } from 'node:net'
import { once } from 'node:events'
import { describe, expect, it } from 'vitest'
import { createCustomerClient } from '../clients'

describe('the socket actor of core on the Node Env (ws)', () => {
  it('closing a socket still in its handshake raises nothing uncaught', async () => {
    // a TCP server that accepts and never answers the WebSocket upgrade
    const sockets: Array<import('node:net').Socket> = []
    const server = createServer((socket) => void sockets.push(socket)).listen(0, '127.0.0.1')
    await once(server, 'listening')
    const port = (server.address() as { port: number }).port
    const uncaught: unknown[] = []
    const onUncaught = (error: unknown) => uncaught.push(error)
    process.on('uncaughtException', onUncaught)
    try {
      const client = createCustomerClient({
        organizationId: 'org',
        clientId: 'client',
        serverUrl: `http://127.0.0.1:${port}`,
        identityProvider: () => ({
          getToken: async () => ({ accessToken: 'dal:x', entityId: 'c', expiresIn: 3_600_000, tokenType: 'Bearer', creationDate: Date.now(), organizationId: 'org' }),
          getFreshToken: async () => ({ accessToken: 'dal:x', entityId: 'c', expiresIn: 3_600_000, tokenType: 'Bearer', creationDate: Date.now(), organizationId: 'org' }),
          hasToken: async () => true,
          invalidate: async () => {},
        }),
      })
      await expect.poll(() => sockets.length).toBeGreaterThan(0)
      client.destroy() // the handshake is still pending
      await new Promise((resolve) => setTimeout(resolve, 50))
      expect(uncaught).toEqual([])
    } finally {
      process.off('uncaughtException', onUncaught)
      for (const socket of sockets) socket.destroy()
      server.close()
    }
  })
})
