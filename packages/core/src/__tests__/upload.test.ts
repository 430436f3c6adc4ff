import { FakeEnv } from '@rapport/testing'
import { ChatError } from '../chatError'
import { describe, expect, it } from 'vitest'
import { completeLogin, setup } from './helpers'

describe('uploadFile', () => {
  it('uploads with the token, reports progress from 0 to 1 and resolves with the URL', async () => {
    const { env, client } = setup()
    await completeLogin(env)
    const progress: number[] = []
    const { promise } = client.uploadFile({ file: new Blob(['hello']), name: 'hello.txt', onProgress: (p) => progress.push(p) })
    await expect(promise).resolves.toEqual({ url: 'https://files.example/hello.txt' })
    expect(progress[0]).toBe(0)
    expect(progress.at(-1)).toBe(1)
    expect([...progress].sort((a, b) => a - b)).toEqual(progress)
    const request = env.uploads[0]
    expect(request?.url).toBe('https://api.livechatinc.com/v3.6/customer/action/upload_file?organization_id=org')
    expect(request?.headers).toEqual({ Authorization: 'Bearer dal:test' })
    client.destroy()
  })

  it('accepts a Node Buffer / Uint8Array', async () => {
    const { env, client } = setup()
    const { promise } = client.uploadFile({ file: new Uint8Array([1, 2, 3]), name: 'bytes.bin' })
    await expect(promise).resolves.toEqual({ url: 'https://files.example/bytes.bin' })
    const body = env.uploads[0]?.body
    expect(body?.kind === 'blob' && body.blob.size).toBe(3)
    client.destroy()
  })

  it('refuses files over 10 MB with TOO_BIG_FILE before sending anything', async () => {
    const { env, client } = setup()
    const { promise } = client.uploadFile({ file: new Uint8Array(10 * 1024 * 1024 + 1) })
    await expect(promise).rejects.toMatchObject({ code: 'TOO_BIG_FILE' })
    expect(env.uploads).toHaveLength(0)
    client.destroy()
  })

  it('cancel() rejects with UPLOAD_CANCELED, before or during the request; it is idempotent', async () => {
    let release: () => void = () => {}
    const env = new FakeEnv({
      upload: (request) =>
        new Promise((_, reject) => {
          release = () => reject(new Error('aborted'))
          request.signal.addEventListener('abort', () => release())
        }),
    })
    const { client } = setup({}, env)
    const early = client.uploadFile({ file: new Blob(['x']) })
    early.cancel()
    await expect(early.promise).rejects.toMatchObject({ code: 'UPLOAD_CANCELED' })
    const late = client.uploadFile({ file: new Blob(['x']) })
    await new Promise((resolve) => setTimeout(resolve, 0))
    late.cancel()
    late.cancel()
    await expect(late.promise).rejects.toMatchObject({ code: 'UPLOAD_CANCELED' })
    client.destroy()
  })

  it('maps a JSON error answer to its code, and a network failure to UPLOAD_FAILED', async () => {
    const answers = [
      { status: 413, body: JSON.stringify({ error: { type: 'entity_too_large', message: 'too large' } }) },
      { status: 502, body: 'bad gateway' },
    ]
    const env = new FakeEnv({ upload: () => answers.shift() ?? Promise.reject(new Error('socket hang up')) })
    const { client } = setup({}, env)
    await expect(client.uploadFile({ file: new Blob(['x']) }).promise).rejects.toMatchObject({ code: 'ENTITY_TOO_LARGE', message: 'too large' })
    await expect(client.uploadFile({ file: new Blob(['x']) }).promise).rejects.toMatchObject({ code: 'UPLOAD_FAILED' })
    await expect(client.uploadFile({ file: new Blob(['x']) }).promise).rejects.toMatchObject({ code: 'UPLOAD_FAILED' })
    client.destroy()
  })
})

describe('uploadFile with a stream', () => {
  // the core never reads a stream: the Env streams it (createNodeEnv() in @rapport/node,
  // whose tests cover reading Node streams, progress and the 10 MB stop)
  it('hands the stream to the Env unread, with its name and the 10 MB limit', async () => {
    const { env, client } = setup()
    let read = false
    const stream = (async function* () {
      read = true
      yield new Uint8Array([1, 2, 3])
    })()
    const { promise } = client.uploadFile({ file: stream, name: 'stream.bin' })
    await expect(promise).resolves.toEqual({ url: 'https://files.example/stream.bin' })
    expect(env.uploads[0]?.body).toEqual({ kind: 'stream', stream, name: 'stream.bin', maxBytes: 10 * 1024 * 1024 })
    expect(read).toBe(false)
    client.destroy()
  })

  it('rejects with the ChatError the Env fails with (TOO_BIG_FILE while streaming)', async () => {
    const env = new FakeEnv({ upload: () => Promise.reject(new ChatError('TOO_BIG_FILE', 'The maximum file size is 10 MB')) })
    const { client } = setup({}, env)
    const stream = (async function* () {
      yield new Uint8Array(1)
    })()
    await expect(client.uploadFile({ file: stream }).promise).rejects.toMatchObject({ code: 'TOO_BIG_FILE' })
    client.destroy()
  })
})
