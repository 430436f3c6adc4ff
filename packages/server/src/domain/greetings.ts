/**
 * Greetings (customer-rtm §5.6, §7): the platform (here: the admin interface) shows a
 * greeting to a customer with `incoming_greeting`; a newer greeting replaces a pending
 * one (`greeting_canceled` for the old one). The customer accepts (`accept_greeting` →
 * `greeting_accepted`) or cancels it (`cancel_greeting` → `greeting_canceled`); a pending
 * greeting is repeated in the `login` response (`displayed_first_time: false` after the
 * first display). Unknown, foreign or no longer pending greetings → `greeting_not_found`.
 */
import type { WireGreeting } from '@rapport/protocol'
import type { EventRecord, GreetingRecord } from '../storage/storage'
import { shortId } from '../util/ids'
import type { DomainContext } from './context'
import { DomainError } from './errors'
import { eventView } from './views'

export interface GreetingInput {
  /** Greeting template id (default 1). */
  id?: number
  /** The agent (or bot) the greeting comes from; default: the first configured agent. */
  agentId?: string
  /** Text of a message greeting (default "Hello! Can I help you?"). */
  text?: string
  /** A rich message greeting instead: `{template_id, elements}`. */
  richMessage?: { template_id: string; elements: Array<Record<string, unknown>> }
  subtype?: string
  isExitIntent?: boolean
}

export const pendingGreeting = (ctx: DomainContext, organizationId: string, customerId: string): GreetingRecord | undefined =>
  [...ctx.storage.listGreetings(organizationId, customerId)].reverse().find((g) => g.status === 'pending')

export const greetingView = (ctx: DomainContext, greeting: GreetingRecord): WireGreeting => {
  const agent = ctx.agents.get(greeting.agent_id)
  return {
    id: greeting.id,
    unique_id: greeting.unique_id,
    displayed_first_time: !greeting.displayed,
    ...(greeting.subtype === undefined ? {} : { subtype: greeting.subtype }),
    is_exit_intent: greeting.is_exit_intent,
    event: eventView(greeting.event, 'customer'),
    agent: {
      id: greeting.agent_id,
      name: agent?.name ?? greeting.agent_id,
      avatar: agent?.avatar ?? '',
      job_title: agent?.jobTitle ?? (agent?.type === 'bot' ? 'Bot' : 'Support Agent'),
      is_bot: agent?.type === 'bot',
    },
  }
}

/** Shows a greeting to a customer; returns it. Throws `Error` for an unknown agent. */
export const sendGreeting = (ctx: DomainContext, organizationId: string, customerId: string, input: GreetingInput): GreetingRecord => {
  const agent = input.agentId === undefined ? ctx.agents.agents[0] : ctx.agents.get(input.agentId)
  if (!agent) throw new Error(`Unknown agent ${input.agentId ?? ''}`)
  const customer = ctx.storage.getCustomer(organizationId, customerId)
  if (!customer) throw new Error(`Unknown customer ${customerId}`)
  const uniqueId = shortId()
  const base = { id: `${uniqueId}_1`, created_at: ctx.clock.timestamp(), author_id: agent.id, visibility: 'all' as const }
  const event: EventRecord = input.richMessage
    ? { ...base, type: 'rich_message', template_id: input.richMessage.template_id, elements: input.richMessage.elements }
    : { ...base, type: 'message', text: input.text ?? 'Hello! Can I help you?' }
  const replaced = pendingGreeting(ctx, organizationId, customerId)
  if (replaced) {
    ctx.storage.putGreeting({ ...replaced, status: 'canceled' })
    ctx.publisher.toCustomer(organizationId, customerId, 'greeting_canceled', { unique_id: replaced.unique_id })
  }
  const connected = ctx.presence.isCustomerConnected(organizationId, customerId)
  const greeting: GreetingRecord = {
    id: input.id ?? 1,
    unique_id: uniqueId,
    organization_id: organizationId,
    customer_id: customerId,
    agent_id: agent.id,
    created_at: base.created_at,
    ...(input.subtype === undefined ? {} : { subtype: input.subtype }),
    is_exit_intent: input.isExitIntent ?? false,
    event,
    status: 'pending',
    displayed: false,
    clicked_buttons: [],
  }
  const view = greetingView(ctx, greeting)
  ctx.storage.putGreeting({ ...greeting, displayed: connected })
  ctx.storage.putCustomer({ ...customer, statistics: { ...customer.statistics, greetings_shown_count: customer.statistics.greetings_shown_count + 1 } })
  ctx.publisher.toCustomer(organizationId, customerId, 'incoming_greeting', view)
  return greeting
}

/** The customer's greeting by unique id, pending unless `anyStatus`; `greeting_not_found` otherwise. */
export const customerGreeting = (
  ctx: DomainContext,
  organizationId: string,
  customerId: string,
  uniqueId: string,
  anyStatus = false,
): GreetingRecord => {
  const greeting = ctx.storage.getGreeting(organizationId, uniqueId)
  if (!greeting || greeting.customer_id !== customerId || (!anyStatus && greeting.status !== 'pending')) {
    throw new DomainError('greeting_not_found', 'Greeting not found')
  }
  return greeting
}
