/**
 * Chat, thread and event properties (customer-rtm §5.3): `{namespace: {name: value}}`
 * updates and `{namespace: [name]}` deletions, with their pushes carrying only the keys
 * of the request (deletions: only names that existed), to everyone in the chat who can
 * see the target. A change of a thread's `rating` adds a system message
 * (`rating.chat_rated`, `rating.chat_commented`, `rating.chat_rating_canceled`).
 *
 * Customer writes: the `rating` namespace (`score` 0|1, `comment` string) always; other
 * namespaces unless the server was given `customerPropertyNamespaces`, which then lists
 * the only other namespaces a customer may write (`authorization` otherwise).
 */
import type { Properties, PropertyNames } from '@rapport/protocol'
import type { ChatRecord, EventRecord, ThreadRecord } from '../storage/storage'
import { appendEvent, pushIncomingEvent } from './chats'
import type { DomainContext } from './context'
import { DomainError } from './errors'
import type { PushOrigin, Side } from './ports'
import { visibleTo } from './views'

export type PropertyTarget =
  | { kind: 'chat'; chat: ChatRecord }
  | { kind: 'thread'; chat: ChatRecord; thread: ThreadRecord }
  | { kind: 'event'; chat: ChatRecord; thread: ThreadRecord; event: EventRecord }

export interface PropertyOrigin extends PushOrigin {
  side: Side
}

const RATING_KEYS = new Set(['score', 'comment'])

/** Checks what a customer may write; throws `validation` / `authorization`. */
export const checkCustomerWrite = (ctx: DomainContext, namespaces: Record<string, unknown>, values?: Properties): void => {
  for (const namespace of Object.keys(namespaces)) {
    if (namespace === 'rating') continue
    const allowed = ctx.options.customerPropertyNamespaces
    if (allowed && !allowed.has(namespace)) throw new DomainError('authorization', `Customers cannot write properties of namespace \`${namespace}\``)
  }
  const rating = values?.rating
  if (!rating) return
  for (const [name, value] of Object.entries(rating)) {
    if (!RATING_KEYS.has(name)) throw new DomainError('validation', `Unknown property \`rating.${name}\``)
    if (name === 'score' && value !== 0 && value !== 1) throw new DomainError('validation', '`rating.score` must be 0 or 1')
    if (name === 'comment' && typeof value !== 'string') throw new DomainError('validation', '`rating.comment` must be a string')
  }
}

export const checkCustomerDelete = (ctx: DomainContext, names: PropertyNames): void => {
  checkCustomerWrite(ctx, names)
  for (const name of names.rating ?? []) if (!RATING_KEYS.has(name)) throw new DomainError('validation', `Unknown property \`rating.${name}\``)
}

const current = (target: PropertyTarget): Properties =>
  target.kind === 'chat' ? target.chat.properties : target.kind === 'thread' ? target.thread.properties : (target.event.properties ?? {})

const store = (ctx: DomainContext, target: PropertyTarget, properties: Properties): void => {
  if (target.kind === 'chat') {
    target.chat.properties = properties
    ctx.storage.putChat(target.chat)
  } else if (target.kind === 'thread') {
    target.thread.properties = properties
    ctx.storage.putThread(target.thread)
  } else {
    const event = { ...target.event }
    if (Object.keys(properties).length > 0) event.properties = properties
    else delete event.properties
    target.event = event
    ctx.storage.updateEvent(target.chat.organization_id, target.thread.id, event)
  }
}

const ids = (target: PropertyTarget): Record<string, string> =>
  target.kind === 'chat'
    ? { chat_id: target.chat.id }
    : target.kind === 'thread'
      ? { chat_id: target.chat.id, thread_id: target.thread.id }
      : { chat_id: target.chat.id, thread_id: target.thread.id, event_id: target.event.id }

const push = (ctx: DomainContext, target: PropertyTarget, action: string, properties: unknown, origin: PropertyOrigin): void => {
  const payload = { ...ids(target), properties }
  ctx.publisher.toChat(target.chat, action, (side) => (target.kind === 'event' && !visibleTo(target.event, side) ? undefined : payload), {
    ...(origin.requester ? { requester: origin.requester } : {}),
    ...(origin.requestId === undefined ? {} : { requestId: origin.requestId }),
  })
}

const ratingMessages = (before: Properties, after: Properties): Array<{ type: string; text: string; vars: Record<string, string> }> => {
  const messages: Array<{ type: string; text: string; vars: Record<string, string> }> = []
  const score = after.rating?.score
  if (score !== undefined && score !== before.rating?.score) {
    const label = score === 1 ? 'good' : 'bad'
    messages.push({ type: 'rating.chat_rated', text: `Customer rated the chat as ${label}`, vars: { score: label } })
  }
  if (before.rating?.score !== undefined && score === undefined) {
    messages.push({ type: 'rating.chat_rating_canceled', text: 'Customer canceled the chat rating', vars: {} })
  }
  const comment = after.rating?.comment
  if (typeof comment === 'string' && comment !== before.rating?.comment) {
    messages.push({ type: 'rating.chat_commented', text: `Customer left the following comment: ${comment}`, vars: { comment } })
  }
  return messages
}

/** Applies an update; returns the pushes to send after the response. */
export const updateProperties = (ctx: DomainContext, target: PropertyTarget, update: Properties, origin: PropertyOrigin): (() => void) => {
  const before = current(target)
  const after: Properties = { ...before }
  for (const [namespace, values] of Object.entries(update)) after[namespace] = { ...after[namespace], ...values }
  store(ctx, target, after)
  return finishChange(ctx, target, before, after, 'updated', update, origin)
}

/** Applies a deletion; returns the pushes to send after the response. */
export const deleteProperties = (ctx: DomainContext, target: PropertyTarget, names: PropertyNames, origin: PropertyOrigin): (() => void) => {
  const before = current(target)
  const after: Properties = { ...before }
  const removed: PropertyNames = {}
  for (const [namespace, list] of Object.entries(names)) {
    const values = after[namespace]
    if (!values) continue
    const next = { ...values }
    const gone = list.filter((name) => Object.hasOwn(next, name))
    for (const name of gone) delete next[name]
    if (gone.length > 0) removed[namespace] = gone
    if (Object.keys(next).length > 0) after[namespace] = next
    else delete after[namespace]
  }
  store(ctx, target, after)
  return finishChange(ctx, target, before, after, 'deleted', removed, origin)
}

const finishChange = (
  ctx: DomainContext,
  target: PropertyTarget,
  before: Properties,
  after: Properties,
  change: 'updated' | 'deleted',
  pushed: Properties | PropertyNames,
  origin: PropertyOrigin,
): (() => void) => {
  const system =
    target.kind === 'thread'
      ? ratingMessages(before, after).map((message) =>
          appendEvent(
            ctx,
            target.thread,
            { type: 'system_message', visibility: 'all', text: message.text, system_message_type: message.type, ...(Object.keys(message.vars).length > 0 ? { text_vars: message.vars } : {}) },
            undefined,
          ),
        )
      : []
  return () => {
    if (Object.keys(pushed).length > 0) push(ctx, target, `${target.kind}_properties_${change}`, pushed, origin)
    if (target.kind === 'thread') for (const event of system) pushIncomingEvent(ctx, target.chat, target.thread, event)
  }
}
