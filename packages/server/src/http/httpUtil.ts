import type { IncomingMessage, ServerResponse } from 'node:http'
import { exceedsDepth } from '../util/jsonDepth'
import type { OriginList } from '../util/origins'

const MAX_BODY_BYTES = 1024 * 1024

export class BodyTooLargeError extends Error {}

export const readBody = (req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) {
        reject(new BodyTooLargeError('Body too large'))
        req.destroy()
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })

export type JsonBody = { ok: true; value: unknown } | { ok: false; message: string }

/**
 * Parses a body as JSON whatever its content type (the token endpoint's browser clients
 * send `text/plain`); an empty body is `{}`. Malformed JSON, or objects/arrays nested
 * deeper than `maxDepth` (the body itself is level 1), are refused with a message.
 */
export const parseJsonBody = (text: string, maxDepth: number): JsonBody => {
  if (text.trim() === '') return { ok: true, value: {} }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return { ok: false, message: 'Body must be JSON' }
  }
  if (exceedsDepth(value, maxDepth)) return { ok: false, message: `The body is nested deeper than ${maxDepth} levels` }
  return { ok: true, value }
}

/** Whether the request declares a JSON body (`application/json`, parameters allowed). */
export const isJsonContentType = (req: IncomingMessage): boolean =>
  (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() === 'application/json'

export const sendJson = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string | string[]> = {}): void => {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  })
  res.end(text)
}

const ALLOWED_HEADERS = 'Content-Type, Authorization, X-API-Version, X-Region'

/**
 * Credentialed CORS for the customer routes (http.md §2.4), to the trusted origins only
 * (`corsOrigins`): a trusted `Origin` is echoed with `Access-Control-Allow-Credentials`;
 * any other gets no CORS header at all (the browser keeps the response from the page),
 * and its preflight is refused with 403. Returns true when the request was a preflight
 * and has been answered. Never used for the admin routes.
 */
export const applyCors = (req: IncomingMessage, res: ServerResponse, trusted: OriginList): boolean => {
  const origin = req.headers.origin
  const allowed = origin !== undefined && trusted.allows(origin)
  if (origin !== undefined) res.setHeader('Vary', 'Origin')
  if (allowed) {
    res.setHeader('Access-Control-Allow-Origin', origin)
    res.setHeader('Access-Control-Allow-Credentials', 'true')
  }
  if (req.method !== 'OPTIONS') return false
  if (origin !== undefined && !allowed) {
    sendJson(res, 403, { error: { type: 'authorization', message: 'Origin not allowed' } })
    return true
  }
  res.writeHead(204, {
    ...(allowed
      ? { 'Access-Control-Allow-Methods': 'GET, POST, DELETE, OPTIONS', 'Access-Control-Allow-Headers': ALLOWED_HEADERS, 'Access-Control-Max-Age': '600' }
      : {}),
  })
  res.end()
  return true
}
