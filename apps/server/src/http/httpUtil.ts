import type { IncomingMessage, ServerResponse } from 'node:http'

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

/** Parses a body as JSON whatever its content type; an empty body is `{}`; `undefined` when malformed. */
export const parseJsonBody = (text: string): unknown => {
  if (text.trim() === '') return {}
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

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

const ALLOWED_HEADERS = 'Content-Type, Authorization, X-Rapport-Customer-Id, X-API-Version, X-Region'

/**
 * Credentialed CORS: echoes the request's Origin (http.md §2.4). Returns true when the
 * request was a preflight and has been answered.
 */
export const applyCors = (req: IncomingMessage, res: ServerResponse): boolean => {
  const origin = req.headers.origin
  if (origin) {
    res.setHeader('Access-Control-Allow-Origin', origin)
    res.setHeader('Access-Control-Allow-Credentials', 'true')
    res.setHeader('Vary', 'Origin')
  }
  if (req.method !== 'OPTIONS') return false
  const requested = req.headers['access-control-request-headers']
  res.writeHead(204, {
    'Access-Control-Allow-Methods': 'GET, POST, DELETE, OPTIONS',
    'Access-Control-Allow-Headers': typeof requested === 'string' && requested.length > 0 ? requested : ALLOWED_HEADERS,
    'Access-Control-Max-Age': '600',
  })
  res.end()
  return true
}
