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
    case 'rich_message': {
      const element = event.elements[0]
      const buttons = element?.buttons?.map((b) => `[${b.text}]`).join(' ') ?? ''
      return `[${time}] ${author}: ${element?.title ?? ''}${buttons ? ` ${buttons}` : ''}`
    }
    default:
      return `[${time}] ${author} sent a ${event.type} event`
  }
}
