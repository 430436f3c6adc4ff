import type { EventPayload } from '../rtm/schemas'
import type { NewEvent } from './chats'

/** A validated event payload → the event to append, with the side's visibility field resolved. */
export const toNewEvent = (event: EventPayload, side: 'customer' | 'agent'): NewEvent => {
  const { recipients, visibility, ...rest } = event
  const resolved = side === 'customer' ? (recipients ?? visibility) : (visibility ?? recipients)
  return { ...rest, visibility: resolved ?? 'all' }
}
