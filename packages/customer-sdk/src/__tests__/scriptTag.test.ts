import { runInNewContext } from 'node:vm'
import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'

/**
 * The script-tag build as tsup produces it (IIFE, global `CustomerSDK`, browser
 * platform, every dependency bundled), evaluated in a bare context with only the
 * browser globals it needs.
 */
const bundle = async (): Promise<string> => {
  const result = await build({
    entryPoints: [new URL('../index.ts', import.meta.url).pathname],
    bundle: true,
    format: 'iife',
    globalName: 'CustomerSDK',
    platform: 'browser',
    conditions: ['@rapport/source'],
    write: false,
    target: 'es2020',
  })
  return result.outputFiles[0]?.text ?? ''
}

describe('script-tag build', () => {
  it('defines window.CustomerSDK with init(), and never pulls in Node-only modules', async () => {
    const code = await bundle()
    expect(code).not.toMatch(/require\(["'](ws|node:|net|tls|http)/)
    const opened: string[] = []
    class FakeWebSocket {
      readyState = 0
      onopen = null
      onclose = null
      onerror = null
      onmessage = null
      constructor(url: string) {
        opened.push(url)
      }
      send() {}
      close() {}
    }
    const window: Record<string, unknown> = {
      WebSocket: FakeWebSocket,
      fetch: async () => ({ status: 200, text: async () => JSON.stringify({ access_token: 'dal:x', entity_id: 'c1', expires_in: 28800, token_type: 'Bearer', organization_id: 'org' }) }),
      setTimeout,
      clearTimeout,
      queueMicrotask,
      TextEncoder,
      AbortController,
      addEventListener: () => {},
      removeEventListener: () => {},
    }
    window.window = window
    window.self = window
    window.globalThis = window
    runInNewContext(code, window)
    const sdk = (window.CustomerSDK as { init: (config: object) => { destroy(): void; on: unknown; sendEvent: unknown } }).init({ organizationId: 'org', clientId: 'client' })
    expect(typeof sdk.on).toBe('function')
    expect(typeof sdk.sendEvent).toBe('function')
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(opened).toEqual(['wss://api.livechatinc.com/v3.6/customer/rtm/ws?organization_id=org'])
    sdk.destroy()
  })
})
