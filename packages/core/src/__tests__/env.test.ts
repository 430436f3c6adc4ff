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
})
