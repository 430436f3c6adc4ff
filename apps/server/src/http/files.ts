/**
 * `POST /v3.6/customer/action/upload_file?organization_id=…` (http.md §4) and the file
 * URLs it returns.
 *
 * - multipart form (parsed with busboy), one part named `file`; other parts are ignored;
 * - `Authorization: Bearer <customer access token>` of that organization, else 401
 *   `authentication`;
 * - over 10 MB → 413 `entity_too_large` (the body is drained, nothing is stored; a body far
 *   over the limit gets the answer and a closed connection);
 * - executables (by extension or magic bytes) and a missing `file` part → 400 `validation`;
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
import { fileUrl, isExecutable, storeFile } from '../domain/files'
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

/** Reads the multipart body; resolves once busboy has consumed it all. */
const readUpload = (req: IncomingMessage, limit: number): Promise<{ upload: Upload | undefined; rawBytes: number }> =>
  new Promise((resolve, reject) => {
    let parser: busboy.Busboy
    try {
      parser = busboy({ headers: req.headers, limits: { fileSize: limit, files: 1, fields: 20, parts: 25, headerPairs: 50 } })
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
        current.data = Buffer.concat(chunks)
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
    let result: Awaited<ReturnType<typeof readUpload>>
    try {
      result = await readUpload(req, LIMITS.uploadBytes)
    } catch {
      return fail(route, 400, 'validation', 'Expected a multipart/form-data body')
    }
    const upload = result.upload
    if (!upload) return fail(route, 400, 'validation', 'A part named `file` is required')
    if (upload.truncated) return fail(route, 413, 'entity_too_large', `Files are limited to ${LIMITS.uploadBytes} bytes`)
    if (isExecutable(upload.name, upload.data)) return fail(route, 400, 'validation', 'Executable files are not allowed')
    const file = storeFile(ctx, { organizationId, ownerId: token.entity_id, name: upload.name, data: upload.data, declaredType: upload.mimeType })
    const host = req.headers.host && /^[\w.:[\]-]+$/.test(req.headers.host) ? req.headers.host : new URL(ctx.options.host.includes(':') ? `http://[${ctx.options.host}]` : `http://${ctx.options.host}`).host
    sendJson(route.res, 200, { url: fileUrl(`http://${host}`, file) })
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
      'Content-Disposition': `${image ? 'inline' : 'attachment'}; filename="${file.name.replace(/"/g, '')}"`,
      ...(req.headers.origin ? {} : { 'Access-Control-Allow-Origin': '*' }),
    })
    res.end(req.method === 'HEAD' ? undefined : file.data)
  }
