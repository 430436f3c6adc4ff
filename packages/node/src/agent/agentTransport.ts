/**
 * The seam between an agent client's typed methods and the wire: one `AgentTransport`
 * interface, two implementations. RTM (`rtmTransport`: the WebSocket agent client of
 * `@rapport/core`, for agents and the local server) and the Web API + webhooks
 * (`createAgentWebClient`: HTTP requests out, webhook deliveries in, for bots on the
 * platform). Both take the same action names and payloads (`AgentActionMap`) and emit the
 * same `AgentEvent`s, so code above them — the methods of `agentMethods.ts`, a bot
 * framework — runs unchanged on either.
 */
import type { AgentClient } from '@rapport/core'
import type { AgentActionMap, AgentEvent, AgentEventMap, AgentEventName } from '@rapport/protocol'
import type { Observable } from 'rxjs'

export type AgentAction = Exclude<keyof AgentActionMap, 'login' | 'ping'>

export interface AgentTransport {
  /** Which wire this is: `rtm` (WebSocket) or `web` (Web API requests, webhook events). */
  readonly kind: 'rtm' | 'web'
  /** Sends one agent action; resolves with the response payload, rejects with a `ChatError`. */
  request<A extends AgentAction>(action: A, payload: AgentActionMap[A]['request']): Promise<AgentActionMap[A]['response']>
  /** Every agent event, each once. */
  readonly events$: Observable<AgentEvent>
  /** A listener for one event; returns its removal. */
  on<K extends AgentEventName>(name: K, listener: (payload: AgentEventMap[K]) => void): () => void
  /** Stops the transport (closes the socket; a Web API transport stops emitting). Idempotent. */
  close(): void
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null

/** The `incoming_event` push that settles an RTM `send_event` (it carries the request id). */
const isEventPush = (value: unknown): value is { event: { id: string } } =>
  isRecord(value) && isRecord(value.event) && typeof value.event.id === 'string' && !('event_id' in value)

/**
 * The RTM agent client of `@rapport/core` as an `AgentTransport`. RTM may settle
 * `send_event` with the `incoming_event` push instead of the response; the transport
 * answers `{event_id}` either way, as the Web API does.
 */
export const rtmTransport = (client: AgentClient): AgentTransport => ({
  kind: 'rtm',
  request: async <A extends AgentAction>(action: A, payload: AgentActionMap[A]['request']) => {
    const answer = await client.request(action, payload)
    // the generic result type of an indirect action, brought back to the map's response type
    return (isEventPush(answer) ? { event_id: answer.event.id } : answer) as AgentActionMap[A]['response']
  },
  events$: client.events$,
  on: (name, listener) => client.on(name, listener),
  close: () => client.destroy(),
})
