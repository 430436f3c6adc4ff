import { type AddressInfo, type Server, type Socket, connect, createServer } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { type FaultProxy, createFaultProxy } from '../faultProxy'

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** An echo server that also records what it received and its live sockets. */
const echoServer = async (): Promise<{ port: number; received: () => string; sockets: Set<Socket>; server: Server }> => {
  let received = ''
  const sockets = new Set<Socket>()
  const server = createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => {})
    socket.on('data', (data) => {
      received += data.toString()
      socket.write(data)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())))
  cleanups.push(() => {
    for (const socket of sockets) socket.destroy()
  })
  return { port: (server.address() as AddressInfo).port, received: () => received, sockets, server }
}

const startProxy = async (port: number): Promise<FaultProxy> => {
  const proxy = await createFaultProxy({ target: { host: '127.0.0.1', port } })
  cleanups.push(() => proxy.close())
  return proxy
}

interface Client {
  socket: Socket
  text: () => string
  closed: Promise<{ error: string | undefined }>
}

const dial = async (port: number): Promise<Client> => {
  const socket = connect({ host: '127.0.0.1', port })
  let text = ''
  let error: string | undefined
  socket.on('data', (data) => (text += data.toString()))
  socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message))
  const closed = new Promise<{ error: string | undefined }>((resolve) => socket.on('close', () => resolve({ error })))
  cleanups.push(() => socket.destroy())
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve)
    socket.once('error', reject)
  })
  return { socket, text: () => text, closed }
}

const until = async (check: () => boolean, timeoutMs = 2000): Promise<void> => {
  const start = Date.now()
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out')
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('createFaultProxy', () => {
  it('forwards both ways and counts connections and bytes', async () => {
    const echo = await echoServer()
    const proxy = await startProxy(echo.port)
    expect(proxy.url).toBe(`http://127.0.0.1:${proxy.port}`)
    const a = await dial(proxy.port)
    const b = await dial(proxy.port)
    a.socket.write('hello ')
    b.socket.write('world')
    await until(() => a.text() === 'hello ' && b.text() === 'world')
    expect(proxy.connections).toBe(2)
    expect(proxy.stats).toMatchObject({ accepted: 2, bytesUp: 11, bytesDown: 11 })
    a.socket.end()
    await a.closed
    await until(() => proxy.connections === 1)
  })

  it('passes HTTP through (the token endpoint goes through it too)', async () => {
    const { createServer: createHttp } = await import('node:http')
    const http = createHttp((_, res) => res.end('ok'))
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
    cleanups.push(() => new Promise<void>((resolve) => http.close(() => resolve())))
    http.unref()
    const proxy = await startProxy((http.address() as AddressInfo).port)
    const response = await fetch(`${proxy.url}/anything`, { headers: { connection: 'close' } })
    expect(await response.text()).toBe('ok')
  })

  it('stall holds bytes both ways with the sockets open, then delivers them', async () => {
    const echo = await echoServer()
    const proxy = await startProxy(echo.port)
    const client = await dial(proxy.port)
    proxy.stall(true)
    expect(proxy.mode).toBe('stalled')
    client.socket.write('held')
    await sleep(80)
    expect(echo.received()).toBe('')
    expect(client.text()).toBe('')
    expect(client.socket.destroyed).toBe(false)
    expect(proxy.connections).toBe(1)
    proxy.stall(false)
    await until(() => client.text() === 'held')
    expect(echo.received()).toBe('held')
  })

  it('halfOpen stops only server → client', async () => {
    const echo = await echoServer()
    const proxy = await startProxy(echo.port)
    const client = await dial(proxy.port)
    proxy.halfOpen(true)
    client.socket.write('one-way')
    await until(() => echo.received() === 'one-way')
    await sleep(50)
    expect(client.text()).toBe('')
    proxy.halfOpen(false)
    await until(() => client.text() === 'one-way')
  })

  it('delay adds latency per chunk and keeps order, also when the delay shrinks', async () => {
    const echo = await echoServer()
    const proxy = await startProxy(echo.port)
    const client = await dial(proxy.port)
    proxy.delay(60)
    const start = Date.now()
    client.socket.write('a')
    await sleep(5)
    proxy.delay(0)
    for (const part of ['b', 'c', 'd']) {
      client.socket.write(part)
      await sleep(2)
    }
    await until(() => client.text().length === 4)
    expect(client.text()).toBe('abcd')
    expect(Date.now() - start).toBeGreaterThanOrEqual(55)
  })

  it('dropAll resets every live connection on both sides', async () => {
    const echo = await echoServer()
    const proxy = await startProxy(echo.port)
    const a = await dial(proxy.port)
    const b = await dial(proxy.port)
    a.socket.write('x')
    b.socket.write('y')
    await until(() => echo.sockets.size === 2 && a.text() === 'x' && b.text() === 'y')
    expect(proxy.dropAll()).toBe(2)
    const [closedA, closedB] = await Promise.all([a.closed, b.closed])
    expect(closedA.error).toBe('ECONNRESET')
    expect(closedB.error).toBe('ECONNRESET')
    await until(() => echo.sockets.size === 0)
    expect(proxy.connections).toBe(0)
    expect(proxy.stats.dropped).toBe(2)
    // the proxy keeps accepting
    const c = await dial(proxy.port)
    c.socket.write('again')
    await until(() => c.text() === 'again')
  })

  it('refuse resets new connections and keeps live ones; resetAll heals', async () => {
    const echo = await echoServer()
    const proxy = await startProxy(echo.port)
    const live = await dial(proxy.port)
    proxy.refuse(true)
    const refused = connect({ host: '127.0.0.1', port: proxy.port })
    let error: string | undefined
    refused.on('error', (e: NodeJS.ErrnoException) => (error = e.code))
    await new Promise((resolve) => refused.on('close', resolve))
    expect(error).toBe('ECONNRESET')
    expect(proxy.stats.refused).toBe(1)
    live.socket.write('still')
    await until(() => live.text() === 'still')
    proxy.resetAll()
    const after = await dial(proxy.port)
    after.socket.write('ok')
    await until(() => after.text() === 'ok')
  })

  it("mode 'down' drops live connections and refuses new ones; 'normal' heals", async () => {
    const echo = await echoServer()
    const proxy = await startProxy(echo.port)
    const live = await dial(proxy.port)
    proxy.setMode('down')
    await live.closed
    expect(proxy.connections).toBe(0)
    proxy.setMode('normal')
    const after = await dial(proxy.port)
    after.socket.write('up')
    await until(() => after.text() === 'up')
  })

  it('a target that refuses resets the client', async () => {
    const echo = await echoServer()
    await new Promise<void>((resolve) => echo.server.close(() => resolve()))
    const proxy = await startProxy(echo.port)
    const client = await dial(proxy.port)
    await client.closed
    await until(() => proxy.connections === 0)
  })
})
