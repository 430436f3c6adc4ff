import { describe, expect, it } from 'vitest'
import { createDefaultEnv } from '../env'

describe('createDefaultEnv', () => {
  it('without a WebSocket (Node before 22), fails at once and points Node programs to @rapport/node', () => {
    expect(() => createDefaultEnv({})).toThrow(/createNodeEnv\(\) from @rapport\/node/)
  })

  it('with a WebSocket, sockets are made with it', () => {
    const urls: string[] = []
    class FakeWebSocket {
      readyState = 0
      onopen = null
      onclose = null
      onerror = null
      onmessage = null
      constructor(url: string) {
        urls.push(url)
      }
      send() {}
      close() {}
    }
    createDefaultEnv({ WebSocket: FakeWebSocket }).createSocket('wss://example.test/rtm')
    expect(urls).toEqual(['wss://example.test/rtm'])
  })

  it('clients of one platform share its functions; each keeps its own storage (memory where there is no localStorage)', () => {
    class FakeWebSocket {
      readyState = 0
      onopen = null
      onclose = null
      onerror = null
      onmessage = null
      send() {}
      close() {}
    }
    const a = createDefaultEnv({ WebSocket: FakeWebSocket })
    const b = createDefaultEnv({ WebSocket: FakeWebSocket })
    expect(a.createSocket).toBe(b.createSocket)
    expect(a.clock).toBe(b.clock)
    a.storage.setItem('token', 'a')
    expect(b.storage.getItem('token')).toBeNull()
    expect(a.storage.getItem('token')).toBe('a')
  })
})
