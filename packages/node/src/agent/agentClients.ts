/**
 * The agent client with one typed API over two transports (agent-rtm.md, bots-and-crm.md):
 *
 * - `createAgentRtmClient`: the RTM WebSocket (agents, agent apps, and bots on the local
 *   server) — core's agent client, its messages through the ordered, idempotent outbox;
 * - `createAgentWebClient`: the Agent Chat Web API for requests and webhooks for events
 *   (bots on the platform, and on the local server the same way).
 *
 * Both are an `AgentApiClient`: the methods of `AgentMethods`, `request` for any action,
 * `events$`/`on` with the same `AgentEvent`s, and the `transport` underneath.
 */
import { type AgentClientConfig, createEmitter } from '@rapport/core'
import type { AgentActionMap, AgentEventMap } from '@rapport/protocol'
import { createAgentClient } from '../clients'
import type { AgentAction, AgentTransport } from './agentTransport'
import { rtmTransport } from './agentTransport'
import { type AgentMethods, createAgentMethods } from './agentMethods'
import { type BotTokenSource, type Credential, type HttpOptions, postAgentAction } from './webApi'
import { type WebhookReceiver, type WebhookReceiverOptions, createWebhookReceiver } from './webhookReceiver'

export interface AgentApiClient extends AgentMethods {
  readonly transport: AgentTransport
  readonly events$: AgentTransport['events$']
  readonly on: AgentTransport['on']
  /** Any agent action, typed by `AgentActionMap`. */
  request<A extends AgentAction>(action: A, payload: AgentActionMap[A]['request']): Promise<AgentActionMap[A]['response']>
  /** Stops the client (closes the socket, or stops emitting webhook events). Idempotent. */
  close(): void
}

const clientOver = (transport: AgentTransport, methods: AgentMethods): AgentApiClient => ({
  ...methods,
  transport,
  events$: transport.events$,
  on: transport.on,
  request: transport.request,
  close: transport.close,
})

/** The RTM agent client (core's, on the Node Env) behind the shared API. Messages go through its outbox. */
export const createAgentRtmClient = (config: AgentClientConfig): AgentApiClient & { readonly rtm: ReturnType<typeof createAgentClient> } => {
  const rtm = createAgentClient(config)
  const transport = rtmTransport(rtm)
  const methods = createAgentMethods(transport)
  return {
    ...clientOver(transport, {
      ...methods,
      // ordered, waits while offline, resent with its custom id after an ambiguous failure
      sendEvent: (params) => (params.event.type === 'message' ? rtm.sendEvent({ ...params, event: params.event }) : methods.sendEvent(params)),
    }),
    rtm,
  }
}

export interface AgentWebClientConfig extends HttpOptions {
  /** The server's origin: the platform's API by default; the local server e.g. `http://127.0.0.1:8080`. */
  baseUrl?: string
  /**
   * The bot's (or agent's) token, or a source that renews it (`createBotTokenSource`), or
   * Basic `credentials` (a personal access token).
   */
  token?: string | (() => Promise<string>) | BotTokenSource
  credentials?: { login: string; password: string }
}

export interface AgentWebClient extends AgentApiClient {
  /**
   * A webhook receiver whose events this client emits, filling gaps with `get_chat`.
   * Mount its `listener` (or call `handle`) where the webhooks were registered.
   */
  createWebhookReceiver(options: Omit<WebhookReceiverOptions, 'onEvent' | 'fillGap'> & Partial<Pick<WebhookReceiverOptions, 'fillGap'>>): WebhookReceiver
}

const isTokenSource = (token: AgentWebClientConfig['token']): token is BotTokenSource => typeof token === 'function' && 'invalidate' in token

/** The Web API + webhooks agent client. */
export const createAgentWebClient = (config: AgentWebClientConfig): AgentWebClient => {
  const credential: Credential =
    config.token !== undefined ? { token: config.token } : config.credentials ? { basic: config.credentials } : missingCredential()
  const events = createEmitter<AgentEventMap>()
  let closed = false
  const send = async <A extends AgentAction>(action: A, payload: AgentActionMap[A]['request']): Promise<AgentActionMap[A]['response']> =>
    // the one place a Web API answer becomes its action's response type (as the RTM client's responses do)
    (await postAgentAction(action, payload, credential, config)) as AgentActionMap[A]['response']
  const transport: AgentTransport = {
    kind: 'web',
    request: async (action, payload) => {
      try {
        return await send(action, payload)
      } catch (error) {
        // a renewable token refused: issue a new one and try once more
        if (isTokenSource(config.token) && error instanceof Error && 'code' in error && error.code === 'AUTHENTICATION') {
          config.token.invalidate()
          return send(action, payload)
        }
        throw error
      }
    },
    events$: events.events$,
    on: events.on,
    close: () => {
      if (closed) return
      closed = true
      events.complete()
    },
  }
  const methods = createAgentMethods(transport)
  return {
    ...clientOver(transport, methods),
    createWebhookReceiver: (options) =>
      createWebhookReceiver({
        ...options,
        onEvent: (event) => {
          if (!closed) events.emit(event)
        },
        fillGap:
          options.fillGap ??
          (async ({ chatId, threadId }) => (await methods.getChat({ chatId, threadId })).thread?.events ?? []),
      }),
  }
}

function missingCredential(): never {
  throw new TypeError('createAgentWebClient needs a token or credentials')
}
