import { once } from 'node:events'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createReadStream } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { uploadFile } from '@rapport/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createNodeEnv } from '../nodeEnv'

const MB = 1024 * 1024

interface Received {
  contentType: string | undefined
  contentLength: string | undefined
  authorization: string | undefined
  /** Body bytes the server read (the whole multipart body). */
  bytes: number
  /** The file part's header and a count of its content bytes. */
  partHeader: string
  fileBytes: number
  complete: boolean
}

let origin = ''
let received: Received[] = []
let close: () => Promise<void> = async () => {}
const dirs: string[] = []

/** A tiny upload endpoint: reads the whole body, counts its bytes, answers with a file URL. */
beforeEach(async () => {
  received = []
  const server = createServer((request, response) => {
    const entry: Received = {
      contentType: request.headers['content-type'],
      contentLength: request.headers['content-length'],
      authorization: request.headers.authorization,
      bytes: 0,
      partHeader: '',
      fileBytes: 0,
      complete: false,
    }
    received.push(entry)
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => {
      entry.bytes += chunk.length
      chunks.push(chunk)
    })
    request.on('end', () => {
      entry.complete = true
      const body = Buffer.concat(chunks)
      const boundary = /boundary=(.+)$/.exec(entry.contentType ?? '')?.[1] ?? ''
      const headerEnd = body.indexOf('\r\n\r\n')
      entry.partHeader = body.subarray(0, headerEnd).toString()
      const tail = Buffer.from(`\r\n--${boundary}--\r\n`)
      entry.fileBytes = body.length - (headerEnd + 4) - tail.length
      const ok = body.subarray(body.length - tail.length).equals(tail)
      response.setHeader('Content-Type', 'application/json')
      response.end(JSON.stringify(ok ? { url: `${origin}/files/1/upload` } : { error: { type: 'validation', message: 'bad multipart' } }))
    })
    request.on('error', () => {})
  }).listen(0, '127.0.0.1')
  await once(server, 'listening')
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  close = () =>
    new Promise((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    })
})
afterEach(async () => {
  await close()
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

const upload = (params: Parameters<typeof uploadFile>[2]) =>
  uploadFile(createNodeEnv(), { endpoints: { api: origin, accounts: origin }, organizationId: 'org', getAuthorization: async () => 'Bearer dal:x' }, params)

const chunks = (count: number, size: number) => Readable.from(Array.from({ length: count }, (_, i) => new Uint8Array(size).fill(i % 256)))

describe('uploads from Node (createNodeEnv + uploadFile)', () => {
  it('streams a file stream as multipart: its size known, Content-Length set, progress from 0 to 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rapport-upload-'))
    dirs.push(dir)
    const path = join(dir, 'report "final".pdf')
    writeFileSync(path, Buffer.alloc(3 * MB + 17, 7))
    const progress: number[] = []
    const { promise } = upload({ file: createReadStream(path, { highWaterMark: 256 * 1024 }), onProgress: (p) => progress.push(p) })
    await expect(promise).resolves.toEqual({ url: `${origin}/files/1/upload` })
    const [request] = received
    expect(request?.authorization).toBe('Bearer dal:x')
    expect(request?.contentType).toMatch(/^multipart\/form-data; boundary=/)
    expect(request?.fileBytes).toBe(3 * MB + 17)
    expect(Number(request?.contentLength)).toBe(request?.bytes)
    expect(request?.partHeader).toContain('Content-Disposition: form-data; name="file"; filename="report %22final%22.pdf"')
    expect(progress[0]).toBe(0)
    expect(progress.at(-1)).toBe(1)
    expect(progress.length).toBeGreaterThan(5) // intermediate steps, one per chunk taken
    expect([...progress].sort((a, b) => a - b)).toEqual(progress)
  })

  it('streams any async iterable of bytes, named by the caller; without a size, progress is 0 until done', async () => {
    const progress: number[] = []
    const { promise } = upload({ file: chunks(4, 64 * 1024), name: 'data.bin', onProgress: (p) => progress.push(p) })
    await expect(promise).resolves.toEqual({ url: `${origin}/files/1/upload` })
    expect(received[0]?.fileBytes).toBe(4 * 64 * 1024)
    expect(received[0]?.contentLength).toBeUndefined() // chunked
    expect(received[0]?.partHeader).toContain('filename="data.bin"')
    expect(new Set(progress.slice(0, -1))).toEqual(new Set([0]))
    expect(progress.at(-1)).toBe(1)
  })

  it('stops a stream with TOO_BIG_FILE as soon as it passes 10 MB, without reading the rest', async () => {
    let pulled = 0
    const endless = Readable.from(
      (function* () {
        for (;;) {
          pulled++
          yield new Uint8Array(MB)
        }
      })(),
    )
    const { promise } = upload({ file: endless })
    await expect(promise).rejects.toMatchObject({ code: 'TOO_BIG_FILE' })
    expect(pulled).toBeLessThan(14)
    expect(endless.destroyed).toBe(true)
    expect(received.every((r) => r.fileBytes <= 10 * MB)).toBe(true)
  })

  it('refuses a file stream over 10 MB before sending anything', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rapport-upload-'))
    dirs.push(dir)
    const path = join(dir, 'big.bin')
    writeFileSync(path, Buffer.alloc(10 * MB + 1))
    const stream = createReadStream(path)
    const closed = new Promise<void>((resolve) => stream.once('close', () => resolve()))
    await expect(upload({ file: stream }).promise).rejects.toMatchObject({ code: 'TOO_BIG_FILE' })
    expect(received).toEqual([])
    expect(stream.destroyed).toBe(true)
    // the file is opened asynchronously: let the destroyed stream finish before its folder is removed
    await closed
  })

  it('uploads Blobs and bytes the same way, with progress', async () => {
    const progress: number[] = []
    await expect(upload({ file: new Blob([new Uint8Array(200_000)], { type: 'image/png' }), name: 'a.png', onProgress: (p) => progress.push(p) }).promise).resolves.toBeDefined()
    await expect(upload({ file: new Uint8Array([1, 2, 3]), name: 'b.bin' }).promise).resolves.toBeDefined()
    expect(received.map((r) => r.fileBytes)).toEqual([200_000, 3])
    expect(received[0]?.partHeader).toContain('Content-Type: image/png')
    expect(progress.at(-1)).toBe(1)
  })

  it('cancel() aborts a stream upload with UPLOAD_CANCELED', async () => {
    const slow = Readable.from(
      (async function* () {
        for (let i = 0; i < 100; i++) {
          await new Promise((resolve) => setTimeout(resolve, 20))
          yield new Uint8Array(1024)
        }
      })(),
    )
    const handle = upload({ file: slow })
    await new Promise((resolve) => setTimeout(resolve, 60))
    handle.cancel()
    await expect(handle.promise).rejects.toMatchObject({ code: 'UPLOAD_CANCELED' })
  })
})
