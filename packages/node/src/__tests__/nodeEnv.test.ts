import { once } from 'node:events'
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createMemoryStorage } from '@rapport/core'
import { afterEach, describe, expect, it } from 'vitest'
import { WebSocketServer } from 'ws'
import { createNodeEnv } from '../nodeEnv'

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

describe('createNodeEnv', () => {
  it('opens a real WebSocket (ws) and exchanges text frames through the SocketLike handlers', async () => {
    const server = new WebSocketServer({ port: 0, host: '127.0.0.1' })
    cleanups.push(() => new Promise((resolve) => server.close(resolve)))
    await once(server, 'listening')
    const seenPaths: string[] = []
    server.on('connection', (socket, request) => {
      seenPaths.push(request.url ?? '')
      socket.on('message', (data) => socket.send(`echo:${String(data)}`))
    })
    const env = createNodeEnv()
    const socket = env.createSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}/v3.6/customer/rtm/ws?organization_id=org`)
    const received: unknown[] = []
    const closed = new Promise<{ code?: number }>((resolve) => {
      socket.onclose = (event) => resolve(event)
    })
    await new Promise<void>((resolve, reject) => {
      socket.onopen = () => resolve()
      socket.onerror = reject
    })
    expect(socket.readyState).toBe(1)
    const answered = new Promise<void>((resolve) => {
      socket.onmessage = (event) => {
        received.push(event.data)
        resolve()
      }
    })
    socket.send('{"action":"ping"}')
    await answered
    expect(received.map(String)).toEqual(['echo:{"action":"ping"}'])
    expect(seenPaths).toEqual(['/v3.6/customer/rtm/ws?organization_id=org'])
    socket.close(1000)
    expect((await closed).code).toBe(1000)
  })

  it('keeps the identity cookies of credentialed requests and sends them back, in its storage', async () => {
    const cookies: Array<string | undefined> = []
    const server = createServer((request: IncomingMessage, response: ServerResponse) => {
      cookies.push(request.headers.cookie)
      response.setHeader('Set-Cookie', ['__lc_cid=abc; HttpOnly', '__lc_cst=def'])
      response.end('{}')
    }).listen(0, '127.0.0.1')
    cleanups.push(() => new Promise((resolve) => server.close(resolve)))
    await once(server, 'listening')
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v2/customer/token`
    const storage = createMemoryStorage()
    const env = createNodeEnv({ storage })
    expect(await env.http({ method: 'POST', url, body: '{}', credentials: true })).toEqual({ status: 200, body: '{}' })
    await env.http({ method: 'POST', url, body: '{}', credentials: true })
    // requests without credentials neither send nor keep cookies
    await env.http({ method: 'GET', url })
    // a new env on the same storage is the same customer
    await createNodeEnv({ storage }).http({ method: 'POST', url, credentials: true })
    expect(cookies).toEqual([undefined, '__lc_cid=abc; __lc_cst=def', undefined, '__lc_cid=abc; __lc_cst=def'])
  })

  it('has no page and no network signals: always visible, nothing to watch', () => {
    const env = createNodeEnv()
    const signals: string[] = []
    const stop = env.watchSignals((signal) => signals.push(signal))
    expect(env.isVisible()).toBe(true)
    stop()
    expect(signals).toEqual([])
  })
})
