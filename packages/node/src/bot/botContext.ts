/**
 * The one context object every handler and middleware receives: what happened (`event`,
 * `chat`, `message`), the conversation's `state`, and what the bot can do in that chat
 * (`reply`, `typing`, `thinking`, `ask`, `handoff`, `customer`).
 */
import type { AgentCustomer, AgentEventMap, MessageEvent, Recipients } from '@rapport/protocol'
import type { AgentMethods } from '../agent/agentMethods'
import type { BotLogger } from './botLogger'
import type { BotMessage } from './botMessage'

/** The events a bot handles: the agent events that concern chats. */
export type BotEventName = Exclude<keyof AgentEventMap, 'connected' | 'disconnected' | 'connection_unstable' | 'connection_recovered'>

/** The event of type `K` (a mapped type, so that a context of one event type is a context of any). */
export type BotEventOf<K extends BotEventName> = { [P in K]: { type: P; payload: AgentEventMap[P] } }[K]

/** Any event a bot handles. */
export type BotEvent = BotEventOf<BotEventName>

/** What the bot knows of a chat without asking the server. */
export interface BotChat {
  id: string
  /** The current thread, when known. */
  threadId: string | null
  /** The chat's customer, when known (from `incoming_chat`, or read with `get_chat`). */
  customerId: string | null
}

export interface AskOptions {
  /** How long to wait for the customer's answer; default 5 minutes. Then `ask` resolves `null`. */
  timeoutMs?: number
}

export interface BotContext<S = Record<string, unknown>, K extends BotEventName = BotEventName> {
  /** The event being handled, tagged by its type. */
  readonly event: BotEventOf<K>
  readonly chat: BotChat
  /** The customer's message, for a message (`bot.message`, or `incoming_event` carrying one from the customer). */
  readonly message: MessageEvent | undefined
  /** The message's text, or `undefined`. */
  readonly text: string | undefined
  /** The match of `bot.message(/pattern/)` or `bot.postback(/pattern/)`; `null` otherwise. */
  match: RegExpExecArray | null
  /** The postback of `incoming_rich_message_postback`, or `undefined`. */
  readonly postback: AgentEventMap['incoming_rich_message_postback']['postback'] | undefined
  /** This chat's conversation state (read before the handler runs, written after it). */
  state: S
  /** Aborted when the handler timed out or the bot is stopping. */
  readonly signal: AbortSignal
  readonly log: BotLogger
  /** The agent API (through the bot's throttle). */
  readonly api: AgentMethods
  /** Sends a message (or rich message) to the chat; stops the typing indicator if it was on. */
  reply(message: BotMessage, options?: { visibility?: Recipients }): Promise<{ eventId: string }>
  /** Shows (or hides, with `false`) the bot typing. */
  typing(isTyping?: boolean): Promise<void>
  /** Shows the thinking indicator (3.6), e.g. while a slow lookup runs. */
  thinking(options?: { title?: string; description?: string }): Promise<void>
  /**
   * Sends `question` (unless `null`) and resolves with the customer's next message in this
   * chat, or `null` when none comes within `timeoutMs`, the chat ends, or the bot stops.
   * The answer goes to this handler only, never to other handlers; time spent waiting does
   * not count against the handler's timeout.
   */
  ask(question: BotMessage | null, options?: AskOptions): Promise<MessageEvent | null>
  /** Transfers the chat to a group of humans (queued if none is free), after an optional message. */
  handoff(options: { groupId: number; message?: BotMessage }): Promise<void>
  /** The agent-side Customer record (`get_customer`), read on first use. */
  readonly customer: Promise<AgentCustomer>
}

/** A message context: `message` and `text` are set. */
export type MessageContext<S = Record<string, unknown>> = BotContext<S, 'incoming_event'> & { readonly message: MessageEvent; readonly text: string }

export type PostbackContext<S = Record<string, unknown>> = BotContext<S, 'incoming_rich_message_postback'> & {
  readonly postback: AgentEventMap['incoming_rich_message_postback']['postback']
}

export type Next = () => Promise<void>
export type Middleware<S, C = BotContext<S>> = (ctx: C, next: Next) => unknown

/** Koa-style composition: each middleware may run code before and after `next()`. */
export const compose =
  <S>(stack: ReadonlyArray<Middleware<S>>) =>
  (ctx: BotContext<S>): Promise<void> => {
    let last = -1
    const run = async (i: number): Promise<void> => {
      if (i <= last) throw new Error('next() called more than once')
      last = i
      const middleware = stack[i]
      if (middleware) await middleware(ctx, () => run(i + 1))
    }
    return run(0)
  }
