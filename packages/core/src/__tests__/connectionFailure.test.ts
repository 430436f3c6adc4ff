import { FakeEnv } from '@rapport/testing'
import { describe, expect, it } from 'vitest'
import { ChatError } from '../chatError'
import { resolvePolicy } from '../defaults'
import { completeLogin, flush, setup } from './helpers'

/**
 * A connection that has not logged in says why on `client.connection`: the step that
 * failed, a code, what went wrong and the URL it tried; a login clears it. The documented
 * events stay as they were (no `disconnected` for a failed attempt that reconnects).
 */
const serverUrl = 'http://localhost:9'
const socketUrl = 'ws://localhost:9/v3.6/customer/rtm/ws?organization_id=org'
const tokenUrl = 'http://localhost:9/v2/customer/token'

const start = (env = new FakeEnv()) => {
  const { client } = setup({ serverUrl }, env)
  const events: string[] = []
  for (const name of ['connected', 'disconnected'] as const) client.on(name, () => events.push(name))
  return { env, client, events }
}

describe('connection.lastError', () => {
  it('is null before anything fails and after a login', async () => {
    const { env, client } = start()
    expect(client.connection.getSnapshot().lastError).toBeNull()
    await completeLogin(env)
    expect(client.connection.getSnapshot()).toMatchObject({ status: 'connected', lastError: null })
    client.destroy()
  })

  it('a refused socket: the socket step, the close code, the error it gave and the socket URL; cleared by the next login', async () => {
    const { env, client, events } = start()
    await flush()
    const socket = env.socket
    socket.onerror?.({ message: 'connect ECONNREFUSED 127.0.0.1:9' })
    socket.drop(1006)
    await flush()
    const snapshot = client.connection.getSnapshot()
    expect(snapshot.status).toBe('reconnecting')
    expect(snapshot.lastError).toEqual({
      stage: 'socket',
      code: 'CONNECTION_LOST',
      message: 'The socket closed before it opened (close code 1006, connect ECONNREFUSED 127.0.0.1:9)',
      url: socketUrl,
    })
    // the same failure again is the same object: no notification for nothing new
    expect(client.connection.getSnapshot().lastError).toBe(snapshot.lastError)

    env.clock.advance(snapshot.nextRetryAt! - env.now())
    await completeLogin(env)
    expect(client.connection.getSnapshot()).toMatchObject({ status: 'connected', lastError: null })
    expect(events).toEqual(['connected'])
    client.destroy()
  })

  it('a socket that never opens: the connect timeout, with the socket URL', async () => {
    const { env, client, events } = start()
    await flush()
    env.clock.advance(resolvePolicy().connectTimeoutMs)
    await flush()
    expect(client.connection.getSnapshot().lastError).toMatchObject({ stage: 'socket', code: 'REQUEST_TIMEOUT', url: socketUrl })
    expect(client.connection.getSnapshot().lastError?.message).toMatch(/^No answer within \d+ ms$/)
    expect(events).toEqual([])
    client.destroy()
  })

  it('the token endpoint answers 404 (a wrong serverUrl): the token step, the HTTP status and the token URL', async () => {
    const env = new FakeEnv({ http: () => ({ status: 404, body: '<html>Not Found</html>' }) })
    const { client } = start(env)
    await flush()
    expect(client.connection.getSnapshot().lastError).toEqual({
      stage: 'token',
      code: 'SSO_OAUTH_EXCEPTION',
      message: 'invalid_request (HTTP 404)',
      url: tokenUrl,
    })
    client.destroy()
  })

  it('the token endpoint refuses (401): the exception it gave and the status', async () => {
    const env = new FakeEnv({ http: () => ({ status: 401, body: JSON.stringify({ identity_exception: 'invalid_client_id' }) }) })
    const { client } = start(env)
    await flush()
    expect(client.connection.getSnapshot().lastError).toEqual({
      stage: 'token',
      code: 'SSO_IDENTITY_EXCEPTION',
      message: 'invalid_client_id (HTTP 401)',
      url: tokenUrl,
    })
    client.destroy()
  })

  it('an unreachable host: what the network error said, while it keeps retrying', async () => {
    const env = new FakeEnv({
      http: () => {
        throw new TypeError('fetch failed', { cause: Object.assign(new Error('getaddrinfo ENOTFOUND localhost'), { code: 'ENOTFOUND' }) })
      },
    })
    const { client, events } = start(env)
    await flush()
    expect(client.connection.getSnapshot()).toMatchObject({
      status: 'reconnecting',
      lastError: { stage: 'token', code: 'SSO_OAUTH_EXCEPTION', message: 'temporarily_unavailable (TypeError: fetch failed: ENOTFOUND)', url: tokenUrl },
    })
    expect(events).toEqual([])
    client.destroy()
  })

  it('a refused login: the login step, the error code and the socket URL', async () => {
    const { env, client } = start()
    await flush()
    env.socket.open()
    await flush()
    const login = env.socket.lastSent('login')
    env.socket.receive({ request_id: login?.request_id, action: 'login', type: 'response', success: false, payload: { error: { type: 'license_expired', message: 'License expired' } } })
    await flush()
    expect(client.connection.getSnapshot().lastError).toMatchObject({ stage: 'login', code: 'LICENSE_EXPIRED', message: 'License expired', url: socketUrl })
    client.destroy()
  })

  it('a session that ends after its login is no failure', async () => {
    const { env, client } = start()
    const socket = await completeLogin(env)
    socket.drop(1006)
    await flush()
    expect(client.connection.getSnapshot()).toMatchObject({ status: 'reconnecting', lastError: null })
    client.destroy()
  })

  it('an identityProvider that fails: the token step without a URL', async () => {
    const env = new FakeEnv()
    const fail = () => Promise.reject(new ChatError('SSO_OAUTH_EXCEPTION', 'server_error'))
    const { client } = setup({ serverUrl, identityProvider: () => ({ getToken: fail, getFreshToken: fail, hasToken: async () => false, invalidate: async () => {} }) }, env)
    await flush()
    expect(client.connection.getSnapshot().lastError).toEqual({ stage: 'token', code: 'SSO_OAUTH_EXCEPTION', message: 'server_error', url: null })
    client.destroy()
  })
})
