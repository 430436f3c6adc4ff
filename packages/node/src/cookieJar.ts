/**
 * The identity cookies of the accounts service, kept for runtimes without a cookie
 * store (Node's fetch has none), so that a Node customer stays the same customer across
 * token refreshes — and across restarts when the storage is a file.
 */
import type { KeyValueStorage } from '@rapport/core'

export interface CookieJar {
  /** The `Cookie` header for a request to `url` (its origin's cookies), if any. */
  header(url: string): string | undefined
  /** Keeps the `Set-Cookie` lines of a response from `url`. */
  store(url: string, headers: Headers): void
}

/** Where the jar keeps its cookies in the storage: `{ [origin]: { [name]: value } }`. */
export const COOKIE_STORAGE_KEY = '@@rapport_cookies'

type Cookies = Record<string, Record<string, string>>

const isExpired = (attributes: string[], now: number): boolean =>
  attributes.some((attribute) => {
    const index = attribute.indexOf('=')
    const name = (index < 0 ? attribute : attribute.slice(0, index)).trim().toLowerCase()
    const value = index < 0 ? '' : attribute.slice(index + 1).trim()
    if (name === 'max-age') return Number(value) <= 0
    if (name === 'expires') {
      const at = Date.parse(value)
      return Number.isFinite(at) && at <= now
    }
    return false
  })

const read = (storage: KeyValueStorage): Cookies => {
  const raw = storage.getItem(COOKIE_STORAGE_KEY)
  if (raw === null) return {}
  try {
    const parsed: unknown = JSON.parse(raw)
    return typeof parsed === 'object' && parsed !== null ? (parsed as Cookies) : {}
  } catch {
    return {}
  }
}

/**
 * A minimal per-origin cookie store: name=value pairs from `Set-Cookie`, sent back to the
 * same origin; a cookie set with `Max-Age<=0` or a past `Expires` is removed. Paths,
 * domains and future expiry are not tracked. The cookies live in `storage` (memory by
 * default), under `COOKIE_STORAGE_KEY`.
 */
export const createCookieJar = (storage: KeyValueStorage, now: () => number = Date.now): CookieJar => {
  const byOrigin = read(storage)
  return {
    header: (url) => {
      const cookies = Object.entries(byOrigin[new URL(url).origin] ?? {})
      return cookies.length > 0 ? cookies.map(([name, value]) => `${name}=${value}`).join('; ') : undefined
    },
    store: (url, headers) => {
      const setCookies = typeof headers.getSetCookie === 'function' ? headers.getSetCookie() : []
      if (setCookies.length === 0) return
      const origin = new URL(url).origin
      const cookies = { ...byOrigin[origin] }
      for (const line of setCookies) {
        const [pair = '', ...attributes] = line.split(';')
        const index = pair.indexOf('=')
        if (index <= 0) continue
        const name = pair.slice(0, index).trim()
        if (isExpired(attributes, now())) delete cookies[name]
        else cookies[name] = pair.slice(index + 1).trim()
      }
      if (Object.keys(cookies).length > 0) byOrigin[origin] = cookies
      else delete byOrigin[origin]
      storage.setItem(COOKIE_STORAGE_KEY, JSON.stringify(byOrigin))
    },
  }
}
