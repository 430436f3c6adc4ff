import { once } from 'node:events'
import { createServer } from 'node:net'

/**
 * `preferred` if it is free on 127.0.0.1, else any free port: the demo keeps the same
 * URLs from run to run (the browser keeps its customer, the store keeps the chats) without
 * failing when something else holds them. `0` means any free port.
 */
export const availablePort = async (preferred: number): Promise<number> => {
  const probe = async (port: number): Promise<number | null> => {
    const server = createServer()
    server.listen(port, '127.0.0.1')
    try {
      await once(server, 'listening')
    } catch {
      return null
    }
    const address = server.address()
    server.close()
    await once(server, 'close')
    return typeof address === 'object' && address ? address.port : null
  }
  const port = (preferred !== 0 && (await probe(preferred))) || (await probe(0))
  if (port === null) throw new Error('no free port on 127.0.0.1')
  return port
}
