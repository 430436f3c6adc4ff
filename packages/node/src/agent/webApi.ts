/**
 * HTTP calls of the agent Web API and the Configuration API (bots-and-crm §1, http.md §7):
 * `POST <baseUrl>/v3.6/<api>/action/<action>` with a JSON body and an `Authorization`
 * header; a 2xx answer's body is the response payload, any other carries
 * `{error: {type, message, data?}}` and rejects with the matching `ChatError`.
 */
import { ChatError } from '@rapport/core'
import {
  BOT_TOKEN_LIFETIME_MS,
  type ConfigurationActionMap,
  type WireCreateBotRequest,
  type WireRegisterWebhookRequest,
  type WireWebhook,
  agentActionPath,
  configurationActionPath,
  readWireError,
  toErrorCode,
} from '@rapport/protocol'

/** The platform's API origin; the local server is e.g. `http://127.0.0.1:8080`. */
export const PLATFORM_API_URL = 'https://api.livechatinc.com'

export type Fetch = (input: string, init: RequestInit) => Promise<Response>

/** How requests are authorised: a bearer token (or a function giving the current one), or Basic credentials (a personal access token). */
export type Credential =
  | { token: string | (() => Promise<string>) }
  | { basic: { login: string; password: string } }

export interface HttpOptions {
  baseUrl?: string
  fetch?: Fetch
  /** Per request; default 15 s (the server's own request timeout). */
  timeoutMs?: number
}

const authorization = async (credential: Credential): Promise<string> => {
  if ('basic' in credential) return `Basic ${Buffer.from(`${credential.basic.login}:${credential.basic.password}`).toString('base64')}`
  const token = typeof credential.token === 'string' ? credential.token : await credential.token()
  return `Bearer ${token}`
}

/** One JSON POST; the parsed body of a 2xx answer, or a `ChatError` (HTTP failures: `CONNECTION_LOST` / `REQUEST_TIMEOUT`). */
export const postAction = async (path: string, body: unknown, credential: Credential, options: HttpOptions = {}): Promise<unknown> => {
  const fetcher = options.fetch ?? ((input, init) => fetch(input, init))
  let response: Response
  try {
    response = await fetcher(`${(options.baseUrl ?? PLATFORM_API_URL).replace(/\/$/, '')}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: await authorization(credential) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
    })
  } catch (error) {
    const timedOut = error instanceof Error && error.name === 'TimeoutError'
    throw new ChatError(timedOut ? 'REQUEST_TIMEOUT' : 'CONNECTION_LOST', error instanceof Error ? error.message : String(error))
  }
  const text = await response.text()
  let parsed: unknown
  try {
    parsed = text === '' ? {} : JSON.parse(text)
  } catch {
    throw new ChatError('INTERNAL', `The server answered ${response.status} with a body that is not JSON`)
  }
  if (response.ok) return parsed
  const error = readWireError(parsed)
  throw new ChatError(toErrorCode(error.type), error.message, { status: response.status, ...error.data })
}

// ---------------------------------------------------------------- configuration API

export interface ConfigurationClient {
  request<A extends keyof ConfigurationActionMap>(action: A, payload: ConfigurationActionMap[A]['request']): Promise<ConfigurationActionMap[A]['response']>
}

/**
 * The Configuration API with an agent credential (a personal access token as Basic, or an
 * agent's bearer token). Its answers are typed by `ConfigurationActionMap` (what the
 * documented server answers; not checked field by field).
 */
export const createConfigurationClient = (credential: Credential, options: HttpOptions = {}): ConfigurationClient => ({
  request: async <A extends keyof ConfigurationActionMap>(action: A, payload: ConfigurationActionMap[A]['request']) =>
    (await postAction(configurationActionPath(action), payload, credential, options)) as ConfigurationActionMap[A]['response'],
})

/**
 * `create_bot`: a bot and its secret (for `issue_bot_token`).
 */
export const createBotAccount = (config: ConfigurationClient, bot: WireCreateBotRequest): Promise<{ id: string; secret: string }> =>
  config.request('create_bot', bot)

/** `register_webhook`: the webhook's id. */
export const registerWebhook = (config: ConfigurationClient, webhook: WireRegisterWebhookRequest): Promise<{ id: string }> =>
  config.request('register_webhook', webhook)

export const listWebhooks = (config: ConfigurationClient, ownerClientId: string): Promise<WireWebhook[]> =>
  config.request('list_webhooks', { owner_client_id: ownerClientId })

export const unregisterWebhook = async (config: ConfigurationClient, id: string, ownerClientId: string): Promise<void> =>
  void (await config.request('unregister_webhook', { id, owner_client_id: ownerClientId }))

export interface BotCredentials {
  botId: string
  clientId: string
  botSecret: string
  organizationId: string
}

/** `issue_bot_token`: a 24 h token for the bot, and when it expires (epoch ms, by `now`). */
export const issueBotToken = async (
  config: ConfigurationClient,
  bot: BotCredentials,
  now: () => number = Date.now,
): Promise<{ token: string; expiresAt: number }> => {
  const issuedAt = now()
  const { token } = await config.request('issue_bot_token', {
    bot_id: bot.botId,
    client_id: bot.clientId,
    bot_secret: bot.botSecret,
    organization_id: bot.organizationId,
  })
  return { token, expiresAt: issuedAt + BOT_TOKEN_LIFETIME_MS }
}

export interface BotTokenSource {
  /** The current token, renewed first when it expires within `renewBeforeMs`. Concurrent calls share one renewal. */
  (): Promise<string>
  /** Forgets the token (e.g. after a 401): the next call issues a new one. */
  invalidate(): void
}

/**
 * A bot's token, issued on first use and renewed `renewBeforeMs` (default 1 h) before its
 * 24 h expiry, so requests never carry an expired token.
 */
export const createBotTokenSource = (
  config: ConfigurationClient,
  bot: BotCredentials,
  options: { renewBeforeMs?: number; now?: () => number } = {},
): BotTokenSource => {
  const now = options.now ?? Date.now
  const renewBeforeMs = options.renewBeforeMs ?? 60 * 60 * 1000
  let current: { token: string; expiresAt: number } | undefined
  let renewing: Promise<string> | undefined
  const source = (async () => {
    if (current && now() < current.expiresAt - renewBeforeMs) return current.token
    renewing ??= issueBotToken(config, bot, now)
      .then((issued) => {
        current = issued
        return issued.token
      })
      .finally(() => {
        renewing = undefined
      })
    return renewing
  }) as BotTokenSource
  source.invalidate = () => {
    current = undefined
  }
  return source
}

/** Sends one agent action to the Web API. */
export const postAgentAction = (action: string, payload: unknown, credential: Credential, options: HttpOptions = {}): Promise<unknown> =>
  postAction(agentActionPath(action), payload, credential, options)
