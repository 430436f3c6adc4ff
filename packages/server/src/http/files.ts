/**
 * `POST /v3.6/customer/action/upload_file?organization_id=…` (http.md §4) and the file
 * URLs it returns.
 *
 * - multipart form (parsed with busboy), one part named `file`; other parts are ignored;
 * - `Authorization: Bearer <customer access token>` of that organization, else 401
 *   `authentication`;
 * - a file of up to 10 MiB (`LIMITS.uploadBytes`, 10 × 1024 × 1024 bytes) is accepted, one
 *   byte more → 413 `entity_too_large` (the body is drained, nothing is stored; a body far
 *   over the limit gets the answer and a closed connection);
 * - per customer, at most `limits.uploadsPerWindow` attempts and `limits.uploadBytesPerWindow`
 *   bytes per `limits.uploadWindowMs` → 429 `too_many_requests` (an upload whose declared
 *   length does not fit the remaining bytes is refused before its body is read);
 * - the file name is normalized once (`normalizeUploadName`: NFC, no path, no control
 *   characters, no trailing spaces or dots, …) before every check, and stored so;
 * - executables (by extension of the normalized name, or magic bytes) and a missing `file`
 *   part → 400 `validation`;
 * - answer `{url: "<origin>/files/<id>/<name>"}`, where origin is the request's `Host`.
 *
 * `GET /files/:id/:name` serves the bytes with CORS (`*`, or the request's Origin), the
 * stored content type, `nosniff`, and a sandboxing CSP; non-images are served as
 * attachments so an uploaded page never runs on the server's origin.
 */
import type { IncomingMessage } from 'node:http'
import busboy from 'busboy'
import { LIMITS } from '@rapport/protocol'
import type { ServerContext } from '../context'
import { fileUrl, isExecutable, normalizeUploadName, storeFile } from '../domain/files'
import { sendJson } from './httpUtil'
import type { RouteContext } from './router'

const fail = (route: RouteContext, status: number, type: string, message: string, close = false): void => {
  sendJson(route.res, status, { error: { type, message } }, close ? { Connection: 'close' } : {})
}

interface Upload {
  name: string
  mimeType: string
  data: Buffer
  truncated: boolean
}

/**
 * Reads the multipart body; resolves once busboy has consumed it all. A file of exactly
 * `limit` bytes is whole (busboy marks a file truncated as soon as it reaches its limit, so
 * it is given one byte more); `truncated` means more than `limit` bytes.
 */
const readUpload = (req: IncomingMessage, limit: number): Promise<{ upload: Upload | undefined; rawBytes: number }> =>
  new Promise((resolve, reject) => {
    let parser: busboy.Busboy
    try {
      // file names arrive as UTF-8 (browsers, undici), not busboy's default latin1
      parser = busboy({ headers: req.headers, defParamCharset: 'utf8', limits: { fileSize: limit + 1, files: 1, fields: 20, parts: 25, headerPairs: 50 } })
    } catch (error) {
      reject(error)
      return
    }
    let upload: Upload | undefined
    let rawBytes = 0
    req.on('data', (chunk: Buffer) => {
      rawBytes += chunk.length
    })
    parser.on('file', (field, stream, info) => {
      if (field !== 'file' || upload) {
        stream.resume()
        return
      }
      const chunks: Buffer[] = []
      const current: Upload = { name: info.filename || 'file', mimeType: info.mimeType, data: Buffer.alloc(0), truncated: false }
      upload = current
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('limit', () => {
        current.truncated = true
        chunks.length = 0
      })
      stream.on('end', () => {
        current.data = current.truncated ? Buffer.alloc(0) : Buffer.concat(chunks)
      })
    })
    parser.on('close', () => resolve({ upload, rawBytes }))
    parser.on('error', reject)
    req.on('error', reject)
    req.pipe(parser)
  })

export const uploadFileRoute =
  (ctx: ServerContext) =>
  async (route: RouteContext): Promise<void> => {
    const { req, url } = route
    const organizationId = url.searchParams.get('organization_id')
    if (!organizationId) return fail(route, 400, 'validation', '`organization_id` is required')
    const token = ctx.tokens.verify(req.headers.authorization ?? '', 'customer', organizationId)
    if (!token) {
      req.resume()
      return fail(route, 401, 'authentication', 'Invalid access token')
    }
    const declared = Number.parseInt(req.headers['content-length'] ?? '', 10)
    if (!Number.isNaN(declared) && declared > LIMITS.uploadBytes * 2) {
      fail(route, 413, 'entity_too_large', `Files are limited to ${LIMITS.uploadBytes} bytes`, true)
      req.socket.destroySoon()
      return
    }
    // The quota: one attempt, and the declared length (at most a whole file) against the bytes left.
    const quotaKey = `${organizationId}\u0000${token.entity_id}`
    const expected = Number.isNaN(declared) ? LIMITS.uploadBytes : Math.min(declared, LIMITS.uploadBytes)
    const slot = ctx.limiters.uploads.take(quotaKey, expected)
    if (!slot) {
      fail(route, 429, 'too_many_requests', 'Upload quota of this customer reached: try again later', true)
      req.socket.destroySoon()
      return
    }
    let result: Awaited<ReturnType<typeof readUpload>>
    try {
      result = await readUpload(req, LIMITS.uploadBytes)
    } catch {
      ctx.limiters.uploads.settle(quotaKey, slot, 0)
      return fail(route, 400, 'validation', 'Expected a multipart/form-data body')
    }
    const upload = result.upload
    const size = upload && !upload.truncated ? upload.data.length : 0
    // what is really stored counts, not what was declared (which was reserved, so it fits)
    if (!ctx.limiters.uploads.settle(quotaKey, slot, size)) {
      return fail(route, 429, 'too_many_requests', 'Upload quota of this customer reached: try again later')
    }
    if (!upload) return fail(route, 400, 'validation', 'A part named `file` is required')
    if (upload.truncated) return fail(route, 413, 'entity_too_large', `Files are limited to ${LIMITS.uploadBytes} bytes`)
    const name = normalizeUploadName(upload.name)
    if (isExecutable(name, upload.data)) {
      ctx.limiters.uploads.settle(quotaKey, slot, 0)
      return fail(route, 400, 'validation', 'Executable files are not allowed')
    }
    const file = storeFile(ctx, { organizationId, ownerId: token.entity_id, name, data: upload.data, declaredType: upload.mimeType })
    const host = req.headers.host && /^[\w.:[\]-]+$/.test(req.headers.host) ? req.headers.host : new URL(ctx.options.host.includes(':') ? `http://[${ctx.options.host}]` : `http://${ctx.options.host}`).host
    sendJson(route.res, 200, { url: fileUrl(`http://${host}`, file) })
  }

/** A `Content-Disposition` header: an ASCII `filename` and, for other names, the RFC 6266 `filename*`. */
const contentDisposition = (kind: 'inline' | 'attachment', name: string): string => {
  const ascii = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_')
  return ascii === name ? `${kind}; filename="${ascii}"` : `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`
}

export const serveFileRoute =
  (ctx: ServerContext) =>
  ({ req, res, params }: RouteContext): void => {
    const file = ctx.storage.getFile(params.id ?? '')
    if (!file || file.name !== params.name) {
      sendJson(res, 404, { error: { type: 'not_found', message: 'File not found' } })
      return
    }
    const image = file.width !== undefined
    res.writeHead(200, {
      'Content-Type': file.content_type,
      'Content-Length': file.size,
      'Cache-Control': 'private, max-age=86400',
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; sandbox",
      'Content-Disposition': contentDisposition(image ? 'inline' : 'attachment', file.name),
      ...(req.headers.origin ? {} : { 'Access-Control-Allow-Origin': '*' }),
    })
    res.end(req.method === 'HEAD' ? undefined : file.data)
  }
