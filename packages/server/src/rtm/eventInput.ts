import type { NewEvent } from '../domain/chats'
import type { Side } from '../domain/ports'
import type { EventPayload } from './schemas'

/**
 * A validated event payload → the event to append, with the side's visibility field
 * resolved (customers write `recipients`, agents `visibility`; either is accepted).
 */
export const toNewEvent = (event: EventPayload, side: Side): NewEvent => {
  const { recipients, visibility, ...rest } = event
  const resolved = side === 'customer' ? (recipients ?? visibility) : (visibility ?? recipients)
  return { ...rest, visibility: resolved ?? 'all' }
}
