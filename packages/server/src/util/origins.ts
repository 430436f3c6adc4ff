/**
 * Web origins the server trusts with credentialed CORS (`corsOrigins`): exact origins
 * (`https://shop.example`, `http://localhost:5173`) or an origin with any port
 * (`http://localhost:*`). Never a wildcard host, never `*`.
 */

/** The loopback origins on any port: the default of `corsOrigins` (local development only). */
export const LOOPBACK_ORIGINS: readonly string[] = ['http://localhost:*', 'http://127.0.0.1:*', 'http://[::1]:*']

const PATTERN = /^(https?):\/\/([a-z0-9.-]+|\[[0-9a-f:.]+\])(?::(\d{1,5}|\*))?$/

interface OriginRule {
  scheme: string
  host: string
  /** `undefined`: the scheme's default port; `'*'`: any port. */
  port: string | undefined
}

const parseRule = (entry: string): OriginRule => {
  const match = PATTERN.exec(entry.trim().toLowerCase())
  if (!match?.[1] || !match[2]) {
    throw new Error(`corsOrigins: "${entry}" is not an origin such as https://shop.example, http://localhost:5173 or http://localhost:*`)
  }
  const defaultPort = match[1] === 'https' ? '443' : '80'
  return { scheme: match[1], host: match[2], port: match[3] === defaultPort ? undefined : match[3] }
}

/** The set of trusted origins; `allows` takes a request's `Origin` header. */
export class OriginList {
  private readonly rules: readonly OriginRule[]

  constructor(entries: readonly string[]) {
    this.rules = entries.map(parseRule)
  }

  get size(): number {
    return this.rules.length
  }

  allows(origin: string | undefined): boolean {
    if (origin === undefined) return false
    const match = PATTERN.exec(origin.toLowerCase())
    if (!match?.[1] || !match[2] || match[3] === '*') return false
    const defaultPort = match[1] === 'https' ? '443' : '80'
    const port = match[3] === defaultPort ? undefined : match[3]
    return this.rules.some((rule) => rule.scheme === match[1] && rule.host === match[2] && (rule.port === '*' || rule.port === port))
  }
}

/** `RAPPORT_CORS_ORIGINS`: comma- or space-separated origins; an empty value means none. */
export const parseOriginList = (text: string): string[] => text.split(/[\s,]+/).filter((entry) => entry.length > 0)
