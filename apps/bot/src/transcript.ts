import type { ChatEvent, ChatUser } from '@rapport/protocol'

/** One line of a chat transcript, as the demo prints it. */
export const formatLine = (event: ChatEvent, users: Record<string, ChatUser | undefined>): string => {
  const time = event.createdAt.slice(11, 19)
  const author = event.authorId === 'system' ? 'system' : (users[event.authorId]?.name ?? (users[event.authorId]?.type === 'customer' ? 'Customer' : event.authorId))
  switch (event.type) {
    case 'message':
      return `[${time}] ${author}: ${event.text}`
    case 'system_message':
      return `[${time}] * ${event.text}`
    default:
      return `[${time}] ${author} sent a ${event.type} event`
  }
}
