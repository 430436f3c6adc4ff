/** Greeting actions (customer-rtm §5.6): accept, cancel, button clicks. */
import { customerGreeting } from '../../domain/greetings'
import { RtmError } from '../rtmError'
import { customerSchemas as s } from '../schemas'
import { action, requireCustomer, type CustomerActionTable } from './common'

export const greetingActions: CustomerActionTable = {
  /** `greeting_not_found` also when `greeting_id` is not the greeting's template id. */
  accept_greeting: action(s.accept_greeting, (request, payload) => {
    const { ctx, connection, requestId, session } = request
    const greeting = customerGreeting(ctx, connection.organizationId, session.customerId, payload.unique_id)
    if (greeting.id !== payload.greeting_id) throw new RtmError('greeting_not_found', 'Greeting not found')
    ctx.storage.putGreeting({ ...greeting, status: 'accepted' })
    const customer = requireCustomer(request)
    ctx.storage.putCustomer({ ...customer, statistics: { ...customer.statistics, greetings_accepted_count: customer.statistics.greetings_accepted_count + 1 } })
    request.afterResponse(() =>
      ctx.publisher.toCustomer(connection.organizationId, session.customerId, 'greeting_accepted', { unique_id: greeting.unique_id }, { requester: connection, ...(requestId === undefined ? {} : { requestId }) }),
    )
    return {}
  }),

  cancel_greeting: action(s.cancel_greeting, (request, payload) => {
    const { ctx, connection, requestId, session } = request
    const greeting = customerGreeting(ctx, connection.organizationId, session.customerId, payload.unique_id)
    ctx.storage.putGreeting({ ...greeting, status: 'canceled' })
    request.afterResponse(() =>
      ctx.publisher.toCustomer(connection.organizationId, session.customerId, 'greeting_canceled', { unique_id: greeting.unique_id }, { requester: connection, ...(requestId === undefined ? {} : { requestId }) }),
    )
    return {}
  }),

  /** Records the click (any greeting of the customer, pending or not); no push. */
  send_greeting_button_clicked: action(s.send_greeting_button_clicked, (request, payload) => {
    const { ctx, connection, session } = request
    const greeting = customerGreeting(ctx, connection.organizationId, session.customerId, payload.greeting_unique_id, true)
    ctx.storage.putGreeting({ ...greeting, clicked_buttons: [...greeting.clicked_buttons, payload.button_id] })
    return {}
  }),
}
