/**
 * `get_url_info` (customer-rtm §5.6, http.md §5). The local server is never an open
 * proxy: it fetches only from hosts listed in the `urlInfoAllowedHosts` option (`host`
 * or `host:port`, exact, case-insensitive; empty by default). Rules:
 *
 * - not an absolute `http:`/`https:` URL → `validation`;
 * - host not allowed → `not_found` (nothing is fetched);
 * - redirects are followed by hand (at most 3), each target checked against the allow-list
 *   (a redirect to another host → `not_found`);
 * - 5 s per fetch, at most 512 KB of HTML read and 2 MB of image; failures, non-2xx
 *   answers and timeouts → `not_found`;
 * - from the HTML: `title` (`og:title`, else `<title>`), `description` (`og:description`,
 *   else `description`), `image_url`/`image_original_url` (`og:image`, absolute); the image
 *   is fetched for `image_width`/`image_height` only when its host is allowed too.
 */
import type { WireUrlInfo } from '@rapport/protocol'
import { imageSize } from 'image-size'
import { DomainError } from './errors'

/** What `get_url_info` answers: the protocol's wire type, one definition for client and server. */
export type UrlInfo = WireUrlInfo

const FETCH_TIMEOUT_MS = 5000
const MAX_HTML_BYTES = 512 * 1024
const MAX_IMAGE_BYTES = 2 * 1024 * 1024
const MAX_REDIRECTS = 3

const unavailable = (why: string): DomainError => new DomainError('not_found', `URL info unavailable: ${why}`)

export const isHostAllowed = (allowed: ReadonlySet<string>, url: URL): boolean =>
  allowed.has(url.host.toLowerCase()) || allowed.has(url.hostname.toLowerCase())

const parseUrl = (text: string, base?: URL): URL | undefined => {
  try {
    const url = new URL(text, base)
    return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined
  } catch {
    return undefined
  }
}

/** Reads at most `limit` bytes of a body (the rest is dropped). */
const readLimited = async (response: Response, limit: number): Promise<Buffer> => {
  const reader = response.body?.getReader()
  if (!reader) return Buffer.alloc(0)
  const chunks: Buffer[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    chunks.push(Buffer.from(value))
    size += value.length
    if (size >= limit) {
      await reader.cancel().catch(() => {})
      break
    }
  }
  return Buffer.concat(chunks).subarray(0, limit)
}

/** GET with manual, allow-listed redirects. */
const fetchAllowed = async (allowed: ReadonlySet<string>, start: URL, limit: number): Promise<{ url: URL; type: string; body: Buffer }> => {
  let url = start
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    if (!isHostAllowed(allowed, url)) throw unavailable(`host ${url.host} is not allowed`)
    let response: Response
    try {
      response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), headers: { accept: 'text/html,image/*;q=0.8,*/*;q=0.5' } })
    } catch {
      throw unavailable('fetch failed')
    }
    if (response.status >= 300 && response.status < 400) {
      await response.body?.cancel().catch(() => {})
      const next = parseUrl(response.headers.get('location') ?? '', url)
      if (!next) throw unavailable('bad redirect')
      url = next
      continue
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => {})
      throw unavailable(`status ${response.status}`)
    }
    try {
      return { url, type: response.headers.get('content-type') ?? '', body: await readLimited(response, limit) }
    } catch {
      throw unavailable('fetch failed')
    }
  }
  throw unavailable('too many redirects')
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'", nbsp: ' ' }
const decodeEntities = (text: string): string =>
  text
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(Number.parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number.parseInt(dec, 10)))
    .replace(/&(amp|lt|gt|quot|apos|nbsp);/g, (_, name: string) => ENTITIES[name] ?? '')
    .replace(/\s+/g, ' ')
    .trim()

const metaTags = (html: string): Map<string, string> => {
  const tags = new Map<string, string>()
  for (const [tag] of html.matchAll(/<meta\b[^>]*>/gi)) {
    const attributes = new Map<string, string>()
    for (const match of tag.matchAll(/([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/g)) {
      attributes.set((match[1] ?? '').toLowerCase(), match[2] ?? match[3] ?? match[4] ?? '')
    }
    const name = (attributes.get('property') ?? attributes.get('name'))?.toLowerCase()
    const content = attributes.get('content')
    if (name && content !== undefined && !tags.has(name)) tags.set(name, decodeEntities(content))
  }
  return tags
}

export const getUrlInfo = async (allowed: ReadonlySet<string>, text: string): Promise<UrlInfo> => {
  const url = parseUrl(text)
  if (!url) throw new DomainError('validation', '`url` must be an absolute http(s) URL')
  if (!isHostAllowed(allowed, url)) throw unavailable(`host ${url.host} is not allowed`)
  const page = await fetchAllowed(allowed, url, MAX_HTML_BYTES)
  const info: UrlInfo = { url: text }
  if (!/html/i.test(page.type)) return info
  const html = page.body.toString('utf8')
  const tags = metaTags(html)
  const titleTag = /<title\b[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1]
  const title = tags.get('og:title') ?? (titleTag === undefined ? undefined : decodeEntities(titleTag))
  const description = tags.get('og:description') ?? tags.get('description')
  if (title) info.title = title
  if (description) info.description = description
  const imageTag = tags.get('og:image') ?? tags.get('twitter:image')
  const image = imageTag ? parseUrl(imageTag, page.url) : undefined
  if (image) {
    info.image_url = image.href
    info.image_original_url = image.href
    if (isHostAllowed(allowed, image)) {
      try {
        const fetched = await fetchAllowed(allowed, image, MAX_IMAGE_BYTES)
        const size = imageSize(fetched.body)
        info.image_width = size.width
        info.image_height = size.height
      } catch {
        // dimensions are optional
      }
    }
  }
  return info
}
