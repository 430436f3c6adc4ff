/**
 * Webhooks (bots-and-crm §2–3): what `register_webhook` registers, and their delivery. Every
 * agent-side push the publisher sends also goes to the organization's webhooks registered
 * for that action (and whose filters let it through), as the documented body
 * `{webhook_id, secret_key, action, organization_id, payload, additional_data}` POSTed to
 * the webhook's URL.
 *
 * The server calls loopback URLs only (`http(s)://127.x.x.x | localhost | [::1]`): another URL
 * is refused at registration, and redirects are never followed, so the server never calls
 * out to an arbitrary host. Deliveries to one webhook leave in order; a failed one (no
 * answer within `timeoutMs`, or a status other than 2xx) is retried after `backoffMs`,
 * doubling, `maxAttempts` times in all, then dropped. Every attempt is recorded in a bounded
 * in-memory log (`deliveries()`).
 */
import type { WireRegisterWebhookRequest, WireWebhook, WireWebhookAdditionalData } from '@rapport/protocol'
import { agentCanAccess } from '../domain/access'
import type { AgentDirectory } from '../domain/agentDirectory'
import type { Logger, WebhookDeliveryOptions } from '../options'
import { RtmError } from '../rtm/rtmError'
import type { ChatRecord } from '../storage/storage'
import { secret } from '../util/ids'

/** At most this many webhooks per action and owner client (the platform's limit). */
export const MAX_WEBHOOKS_PER_ACTION = 3

export interface WebhookDelivery {
  /** Increases with every attempt. */
  seq: number
  webhookId: string
  organizationId: string
  action: string
  url: string
  /** 1 for the first attempt. */
  attempt: number
  at: string
  outcome: 'delivered' | 'failed'
  /** The receiver's HTTP status, when it answered. */
  status?: number
  error?: string
  /** Whether this was the last attempt for that body (delivered, or out of attempts). */
  final: boolean
}

interface Registered extends WireWebhook {
  organizationId: string
}

const LOOPBACK_NAMES = new Set(['localhost', '[::1]', '::1'])

/** Whether a URL is http(s) on a loopback address: the only ones the server calls. */
export const isLoopbackUrl = (text: string): boolean => {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return false
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false
  if (url.username !== '' || url.password !== '') return false
  const host = url.hostname.toLowerCase()
  return LOOPBACK_NAMES.has(host) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
}

export type Fetch = (url: string, init: RequestInit) => Promise<Response>

export class Webhooks {
  private readonly hooks = new Map<string, Registered>()
  private readonly log: WebhookDelivery[] = []
  private readonly queues = new Map<string, Promise<void>>()
  private readonly inFlight = new Set<Promise<void>>()
  private readonly stop = new AbortController()
  private seq = 0

  constructor(
    private readonly options: WebhookDeliveryOptions,
    private readonly agents: AgentDirectory,
    private readonly logger: Logger,
    private readonly now: () => string,
    private readonly fetcher: Fetch = (url, init) => fetch(url, init),
  ) {}

  register(organizationId: string, request: WireRegisterWebhookRequest): WireWebhook {
    if (!isLoopbackUrl(request.url)) {
      throw new RtmError('validation', 'The local server delivers webhooks to loopback URLs only (http://127.0.0.1, http://localhost, http://[::1])')
    }
    const same = [...this.hooks.values()].filter(
      (h) => h.organizationId === organizationId && h.owner_client_id === request.owner_client_id && h.action === request.action,
    )
    if (same.length >= MAX_WEBHOOKS_PER_ACTION) throw new RtmError('limit_reached', `At most ${MAX_WEBHOOKS_PER_ACTION} webhooks per action`)
    const webhook: WireWebhook = { ...request, id: secret().slice(0, 32) }
    this.hooks.set(webhook.id, { ...webhook, organizationId })
    return webhook
  }

  list(organizationId: string, ownerClientId: string): WireWebhook[] {
    return [...this.hooks.values()]
      .filter((h) => h.organizationId === organizationId && h.owner_client_id === ownerClientId)
      .map(({ organizationId: _, ...webhook }) => webhook)
  }

  unregister(organizationId: string, id: string, ownerClientId: string): void {
    const hook = this.hooks.get(id)
    if (!hook || hook.organizationId !== organizationId || hook.owner_client_id !== ownerClientId) throw new RtmError('not_found', 'Webhook not found')
    this.hooks.delete(id)
  }

  /** The delivery log, oldest first (a copy). */
  deliveries(): WebhookDelivery[] {
    return [...this.log]
  }

  /** Resolves once every delivery started so far has ended (delivered or given up). */
  async settled(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight])
  }

  /** Stops retrying and delivering (the server is closing). */
  close(): void {
    this.stop.abort()
  }

  /** An agent-side push: delivered to the organization's webhooks for that action whose filters let it through. */
  push(organizationId: string, action: string, payload: unknown, chat?: ChatRecord): void {
    if (this.stop.signal.aborted) return
    for (const hook of this.hooks.values()) {
      if (hook.organizationId !== organizationId || hook.action !== action) continue
      if (!this.matches(hook, payload, chat)) continue
      const body = JSON.stringify({
        webhook_id: hook.id,
        secret_key: hook.secret_key,
        action,
        organization_id: organizationId,
        payload,
        additional_data: this.additionalData(hook, chat),
      })
      this.enqueue(hook, body)
    }
  }

  private matches(hook: Registered, payload: unknown, chat: ChatRecord | undefined): boolean {
    const ownBots = this.agents.agents.filter((a) => a.type === 'bot' && a.ownerClientId === hook.owner_client_id)
    if (chat && hook.type === 'bot' && !ownBots.some((bot) => agentCanAccess({ agents: this.agents }, bot, chat))) return false
    const filters = hook.filters
    if (!filters) return true
    if (filters.author_type !== undefined) {
      const authorId = authorOf(payload)
      if (authorId === undefined) return false
      const isAgent = this.agents.get(authorId) !== undefined
      if ((filters.author_type === 'agent') !== isAgent) return false
    }
    if (chat) {
      const userIds = chat.users.filter((u) => u.type === 'agent' && u.present).map((u) => u.id)
      if ((filters.only_my_chats === true || filters.chat_presence?.my_bots === true) && !ownBots.some((bot) => userIds.includes(bot.id))) return false
      const wanted = filters.chat_presence?.user_ids?.values
      if (wanted && !wanted.some((id) => userIds.includes(id) || chat.customer_id === id)) return false
      const excluded = filters.chat_presence?.user_ids?.exclude_values
      if (excluded?.some((id) => userIds.includes(id))) return false
    }
    return true
  }

  private additionalData(hook: Registered, chat: ChatRecord | undefined): WireWebhookAdditionalData {
    if (!chat) return {}
    const wanted = new Set(hook.additional_data ?? [])
    return {
      ...(wanted.has('chat_properties') ? { chat_properties: chat.properties } : {}),
      ...(wanted.has('chat_presence_user_ids') ? { chat_presence_user_ids: chat.users.filter((u) => u.present || u.type === 'customer').map((u) => u.id) } : {}),
    }
  }

  private enqueue(hook: Registered, body: string): void {
    const previous = this.queues.get(hook.id) ?? Promise.resolve()
    const next = previous.then(() => this.deliver(hook, body))
    this.queues.set(hook.id, next)
    this.inFlight.add(next)
    void next.finally(() => {
      this.inFlight.delete(next)
      if (this.queues.get(hook.id) === next) this.queues.delete(hook.id)
    })
  }

  private async deliver(hook: Registered, body: string): Promise<void> {
    const { maxAttempts, backoffMs, timeoutMs } = this.options
    for (let attempt = 1; attempt <= maxAttempts && !this.stop.signal.aborted; attempt++) {
      let status: number | undefined
      let error: string | undefined
      try {
        const response = await this.fetcher(hook.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          redirect: 'manual',
          signal: AbortSignal.any([this.stop.signal, AbortSignal.timeout(timeoutMs)]),
        })
        status = response.status
        await response.body?.cancel()
      } catch (failure) {
        error = failure instanceof Error ? failure.message : String(failure)
      }
      const delivered = status !== undefined && status >= 200 && status < 300
      const final = delivered || attempt === maxAttempts
      this.record({
        webhookId: hook.id,
        organizationId: hook.organizationId,
        action: hook.action,
        url: hook.url,
        attempt,
        outcome: delivered ? 'delivered' : 'failed',
        ...(status === undefined ? {} : { status }),
        ...(error === undefined ? {} : { error }),
        final,
      })
      if (delivered) return
      if (final) {
        this.logger.warn(`webhook ${hook.id} (${hook.action}) gave up after ${attempt} attempts`)
        return
      }
      await sleep(backoffMs * 2 ** (attempt - 1), this.stop.signal)
    }
  }

  private record(entry: Omit<WebhookDelivery, 'seq' | 'at'>): void {
    this.log.push({ seq: ++this.seq, at: this.now(), ...entry })
    if (this.log.length > this.options.logSize) this.log.splice(0, this.log.length - this.options.logSize)
  }
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(done, ms)
    timer.unref()
    signal.addEventListener('abort', done, { once: true })
    function done(): void {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
  })

/** The author of the event a push carries (`incoming_event`, `event_updated`), if any. */
const authorOf = (payload: unknown): string | undefined => {
  if (typeof payload !== 'object' || payload === null || !('event' in payload)) return undefined
  const event: unknown = payload.event
  if (typeof event !== 'object' || event === null || !('author_id' in event)) return undefined
  return typeof event.author_id === 'string' ? event.author_id : undefined
}
