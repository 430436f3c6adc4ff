/** Group-related customer actions (customer-rtm §5.5–5.6): statuses, forms, predicted agent, welcome message. */
import { DEFAULT_WELCOME_MESSAGE } from '../../domain/groupDirectory'
import { groupStatus } from '../../domain/groups'
import { predictAgent, predictedAgentView } from '../../domain/prediction'
import { shortId } from '../../util/ids'
import { RtmError } from '../rtmError'
import { customerSchemas as s } from '../schemas'
import { action, type CustomerActionTable } from './common'

export const groupActions: CustomerActionTable = {
  /** `{groups_status: {"<id>": status}}`; unknown ids are left out. */
  list_group_statuses: action(s.list_group_statuses, (request, payload) => {
    const { ctx, connection } = request
    const ids = payload.all === true ? ctx.groups.ids() : (payload.group_ids ?? []).filter((id) => ctx.groups.has(id))
    return { groups_status: Object.fromEntries(ids.map((id) => [String(id), groupStatus(ctx, connection.organizationId, id)])) }
  }),

  get_form: action(s.get_form, (request, payload) => {
    const { ctx } = request
    if (!ctx.groups.has(payload.group_id)) throw new RtmError('group_not_found', `Group ${payload.group_id} not found`)
    const form = ctx.groups.form(payload.group_id, payload.type)
    return form ? { enabled: true, form } : { enabled: false }
  }),

  get_predicted_agent: action(s.get_predicted_agent, (request, payload) => {
    const { ctx, connection, session } = request
    const { agent, queue } = predictAgent(ctx, connection.organizationId, payload.group_id ?? session.groupId)
    return { agent: predictedAgentView(agent), queue }
  }),

  /**
   * Predicts the agent and sends the welcome message to the requesting connection
   * (`incoming_welcome_message`). A known `id` (a welcome message this customer received)
   * is answered with the same message again; an unknown one gets a new message.
   */
  request_welcome_message: action(s.request_welcome_message, (request, payload) => {
    const { ctx, connection, requestId, session } = request
    const previous = payload.id === undefined ? undefined : ctx.platform.welcomeMessage(connection.organizationId, session.customerId, payload.id)
    const groupId = payload.group_id ?? previous?.group_id ?? session.groupId
    const { agent, queue } = predictAgent(ctx, connection.organizationId, groupId)
    const message =
      previous && previous.group_id === groupId
        ? previous
        : {
            id: shortId(),
            organization_id: connection.organizationId,
            customer_id: session.customerId,
            group_id: groupId,
            agent_id: agent.id,
            event: {
              created_at: ctx.clock.timestamp(),
              type: 'message' as const,
              text: ctx.groups.get(groupId)?.welcomeMessage ?? DEFAULT_WELCOME_MESSAGE,
              author_id: agent.id,
            },
          }
    ctx.platform.putWelcomeMessage(message)
    request.afterResponse(() => connection.push('incoming_welcome_message', { id: message.id, event: message.event }, requestId))
    return { id: message.id, predicted_agent: predictedAgentView(ctx.agents.get(message.agent_id) ?? agent), queue }
  }),
}
