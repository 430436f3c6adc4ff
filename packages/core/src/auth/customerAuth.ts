import {
  type Endpoints,
  customerTokenUrl,
  isObject,
  readTokenResponse,
} from '@rapport/protocol'
import { ChatError } from '../chatError'
import type { Env } from '../env'

/** A customer access token, as the documentation's CustomerAuth contract gives it. */
export interface Token {
  accessToken: string
  entityId: string
  /** Lifetime in milliseconds. */
  expiresIn: number
  tokenType: string
  /** Epoch milliseconds when the token was issued. */
  creationDate: number
  organizationId: string
}

/** The documented CustomerAuth contract (`identityProvider` returns one). */
export interface CustomerAuth {
  getToken(): Promise<Token>
  getFreshToken(): Promise<Token>
  hasToken(): Promise<boolean>
  invalidate(): Promise<void>
}

export interface CookieAuthOptions {
  organizationId: string
  clientId: string
  endpoints: Endpoints
  uniqueGroups?: boolean
  groupId?: number
  redirectUri?: string
  /** Storage key prefix for the cached token. */
  tokenStoragePrefix?: string
  /** A token request not answered within this fails (and the next call asks again). */
  requestTimeoutMs?: number
}

export const tokenStorageKey = (options: Pick<CookieAuthOptions, 'organizationId' | 'uniqueGroups' | 'groupId' | 'tokenStoragePrefix'>): string =>
  `${options.tokenStoragePrefix ?? '@@lc_auth_token:'}${options.organizationId}${options.uniqueGroups ? `:${options.groupId ?? 0}` : ''}`

const MARGIN_MS = 60 * 60 * 1000

/** A failed fetch, with what lies under it when there is something (Node: `fetch failed` caused by `ECONNREFUSED`, `ENOTFOUND`). */
const describeNetworkError = (error: unknown): string => {
  const text = String(error)
  const cause = error instanceof Error && isObject(error.cause) ? error.cause : undefined
  const detail = cause && typeof cause.code === 'string' ? cause.code : cause && typeof cause.message === 'string' ? cause.message : undefined
  return detail ? `${text}: ${detail}` : text
}

/** Rejects with `temporarily_unavailable` when `promise` takes longer than `ms` (a token endpoint that never answers). */
const withTimeout = <T>(env: Env, ms: number, promise: Promise<T>): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const timer = env.clock.setTimeout(() => reject(new ChatError('SSO_OAUTH_EXCEPTION', 'temporarily_unavailable', { cause: 'timeout' })), ms)
    promise.then(
      (value) => {
        env.clock.clearTimeout(timer)
        resolve(value)
      },
      (error: unknown) => {
        env.clock.clearTimeout(timer)
        reject(error)
      },
    )
  })

/**
 * The built-in identity: the accounts service's cookie grant (http.md §2.1). The
 * token is cached in storage and reused while it stays valid for a while longer;
 * concurrent requests share one fetch.
 */
export const createCookieAuth = (env: Env, options: CookieAuthOptions): CustomerAuth => {
  const key = tokenStorageKey(options)
  let inflight: Promise<Token> | null = null

  const read = (): Token | null => {
    try {
      const raw = env.storage.getItem(key)
      const token = raw ? (JSON.parse(raw) as Token) : null
      return token && typeof token.accessToken === 'string' ? token : null
    } catch {
      return null
    }
  }
  const isFresh = (token: Token): boolean =>
    env.now() < token.creationDate + token.expiresIn - Math.min(MARGIN_MS, token.expiresIn / 2)

  const fetchToken = (): Promise<Token> => {
    inflight ??= (async () => {
      const response = await withTimeout(env, options.requestTimeoutMs ?? 10_000, env
        .http({
          method: 'POST',
          url: customerTokenUrl(options.endpoints, options),
          body: JSON.stringify({
            grant_type: 'cookie',
            response_type: 'token',
            client_id: options.clientId,
            organization_id: options.organizationId,
            ...(options.redirectUri !== undefined && { redirect_uri: options.redirectUri }),
          }),
          credentials: true,
        })
        .catch((error: unknown) => {
          throw new ChatError('SSO_OAUTH_EXCEPTION', 'temporarily_unavailable', { cause: describeNetworkError(error) })
        }))
      // the HTTP status goes with every error, so that a wrong endpoint (404) is told from a refusal (401)
      const status = { status: response.status }
      let body: unknown
      try {
        body = JSON.parse(response.body)
      } catch {
        throw new ChatError('SSO_OAUTH_EXCEPTION', response.status >= 500 ? 'server_error' : 'invalid_request', status)
      }
      if (isObject(body) && typeof body.identity_exception === 'string') throw new ChatError('SSO_IDENTITY_EXCEPTION', body.identity_exception, status)
      if (isObject(body) && typeof body.oauth_exception === 'string') throw new ChatError('SSO_OAUTH_EXCEPTION', body.oauth_exception, status)
      const wire = readTokenResponse(body)
      if (!wire) throw new ChatError('SSO_OAUTH_EXCEPTION', 'server_error', status)
      const token: Token = {
        accessToken: wire.access_token.replace(/%3A/gi, ':'),
        entityId: wire.entity_id,
        expiresIn: wire.expires_in * 1000,
        tokenType: wire.token_type,
        creationDate: env.now(),
        organizationId: wire.organization_id || options.organizationId,
      }
      env.storage.setItem(key, JSON.stringify(token))
      return token
    })().finally(() => {
      inflight = null
    })
    return inflight
  }

  return {
    getToken: async () => {
      const cached = read()
      return cached && isFresh(cached) ? cached : fetchToken()
    },
    getFreshToken: () => fetchToken(),
    hasToken: async () => read() !== null,
    invalidate: async () => env.storage.removeItem(key),
  }
}
