/**
 * `env.upload` for Node: the multipart body is streamed to the server as the file is
 * read, so a large file is never held in memory, and progress follows what the request
 * has taken. It takes Blobs and streams of bytes (Node readable streams, any async
 * iterable of Uint8Array); a stream fails with `TOO_BIG_FILE` as soon as it passes
 * its `maxBytes`.
 */
import { randomBytes } from 'node:crypto'
import { stat } from 'node:fs/promises'
import { basename } from 'node:path'
import { ChatError, type HttpResponse, type UploadRequest } from '@rapport/core'

const encoder = new TextEncoder()

const tooBig = (maxBytes: number): ChatError => new ChatError('TOO_BIG_FILE', `The maximum file size is ${Math.round(maxBytes / 1024 / 1024)} MB`)

/** What a file stream (`fs.createReadStream`) exposes: the file it reads and the range. */
interface FileStreamLike {
  path?: unknown
  start?: unknown
  end?: unknown
  bytesRead?: unknown
}

/** The size a stream will yield, when it is a file stream not yet read from; otherwise `undefined`. */
const knownSize = async (stream: AsyncIterable<Uint8Array>): Promise<number | undefined> => {
  const { path, start, end, bytesRead } = stream as FileStreamLike
  if ((typeof path !== 'string' && !Buffer.isBuffer(path)) || (typeof bytesRead === 'number' && bytesRead > 0)) return undefined
  try {
    const info = await stat(path)
    if (!info.isFile()) return undefined
    const from = typeof start === 'number' ? start : 0
    const to = typeof end === 'number' && Number.isFinite(end) ? Math.min(end + 1, info.size) : info.size
    return Math.max(0, to - from)
  } catch {
    return undefined
  }
}

const nameOf = (stream: AsyncIterable<Uint8Array>): string | undefined => {
  const { path } = stream as FileStreamLike
  return typeof path === 'string' ? basename(path) : undefined
}

/** The file name as a browser's FormData writes it in a part header. */
const quoted = (name: string): string => name.replace(/\r/g, '%0D').replace(/\n/g, '%0A').replace(/"/g, '%22')

interface Source {
  chunks: AsyncIterable<Uint8Array | string>
  name: string
  type: string
  size: number | undefined
  maxBytes: number
}

const sourceOf = async (request: UploadRequest): Promise<Source> => {
  const { body } = request
  if (body.kind === 'native') throw new Error('A React Native file ({uri}) cannot be uploaded from Node: pass a Blob, bytes or a stream')
  if (body.kind === 'blob')
    return {
      chunks: body.blob.stream() as unknown as AsyncIterable<Uint8Array>,
      name: body.name,
      type: body.blob.type || 'application/octet-stream',
      size: body.blob.size,
      maxBytes: Number.POSITIVE_INFINITY,
    }
  const size = await knownSize(body.stream)
  if (size !== undefined && size > body.maxBytes) {
    ;(body.stream as { destroy?: () => void }).destroy?.()
    throw tooBig(body.maxBytes)
  }
  return { chunks: body.stream, name: body.name ?? nameOf(body.stream) ?? 'file', type: 'application/octet-stream', size, maxBytes: body.maxBytes }
}

/**
 * Posts `request.body` as multipart/form-data with one part named `file`, streaming it.
 * Progress is `(bytes of the file taken, file size)`; the size is `0` when unknown (a
 * stream other than a file stream), in which case `uploadFile` reports 0 until the end.
 */
export const uploadWithStream = async (request: UploadRequest): Promise<HttpResponse> => {
  const source = await sourceOf(request)
  const boundary = `----RapportFormBoundary${randomBytes(12).toString('hex')}`
  const head = encoder.encode(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${quoted(source.name)}"\r\nContent-Type: ${source.type}\r\n\r\n`,
  )
  const tail = encoder.encode(`\r\n--${boundary}--\r\n`)
  const iterator = source.chunks[Symbol.asyncIterator]()
  let loaded = 0
  let failure: ChatError | undefined
  // where the body is: the part header, the file, or finished (ended, failed or canceled)
  let stage = 'head' as 'head' | 'file' | 'done'
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (stage === 'head') {
        stage = 'file'
        controller.enqueue(head)
        return
      }
      if (stage === 'done') return
      const next = await iterator.next()
      if (next.done) {
        stage = 'done'
        controller.enqueue(tail)
        controller.close()
        return
      }
      const chunk = typeof next.value === 'string' ? encoder.encode(next.value) : next.value
      loaded += chunk.byteLength
      if (loaded > source.maxBytes) {
        stage = 'done'
        failure = tooBig(source.maxBytes)
        await iterator.return?.()
        controller.error(failure)
        return
      }
      controller.enqueue(chunk)
      request.onProgress?.(loaded, source.size ?? 0)
    },
    async cancel() {
      stage = 'done'
      await iterator.return?.()
    },
  })
  const length = source.size !== undefined ? head.byteLength + source.size + tail.byteLength : undefined
  try {
    const response = await fetch(request.url, {
      method: 'POST',
      headers: {
        ...request.headers,
        'Content-Type': `multipart/form-data; boundary=${boundary}`,
        ...(length !== undefined && { 'Content-Length': String(length) }),
      },
      body,
      signal: request.signal,
      duplex: 'half',
    } as RequestInit & { duplex: 'half' })
    return { status: response.status, body: await response.text() }
  } catch (error) {
    if (failure) throw failure
    throw error
  } finally {
    if (stage !== 'done') await iterator.return?.()
  }
}
