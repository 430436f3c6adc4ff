import type { AgentClient, Env } from '@rapport/core'
import { createAgentClient } from '@rapport/node'
import type { ChatEvent } from '@rapport/protocol'

export interface EchoBotOptions {
  serverUrl: string
  organizationId: string
  accessToken: string
  /** What the bot answers to a customer's message. */
  reply?: (text: string) => string
  /** Simulated typing time before each answer, in ms. */
  typingMs?: number
  environment?: Env
}

export const defaultReply = (text: string): string => {
  const t = text.toLowerCase()
  if (/\b(hi|hello|hey)\b/.test(t)) return 'Hello! I am the Rapport bot. What can I do for you?'
  if (t.includes('?')) return `Good question. You asked: "${text}". A human would know; I only echo.`
  if (/\b(thanks|thank you|bye)\b/.test(t)) return 'You are welcome. Have a good day!'
  return `You said: "${text}"`
}

/**
 * A bot that accepts chats and answers every customer message: typing indicator on,
 * a short pause, the answer, typing indicator off.
 */
export const startEchoBot = (options: EchoBotOptions): { client: AgentClient; stop(): void } => {
  const reply = options.reply ?? defaultReply
  const client = createAgentClient({
    organizationId: options.organizationId,
    accessToken: options.accessToken,
    serverUrl: options.serverUrl,
    routingStatus: 'accepting_chats',
    ...(options.environment && { environment: options.environment }),
  })
  const timers = new Set<ReturnType<typeof setTimeout>>()
  const answer = (chatId: string, text: string): void => {
    void client.sendTypingIndicator({ chatId, isTyping: true }).catch(() => {})
    const timer = setTimeout(() => {
      timers.delete(timer)
      void client
        .sendEvent({ chatId, event: { type: 'message', text: reply(text) } })
        .then(() => client.sendTypingIndicator({ chatId, isTyping: false }))
        .catch(() => {})
    }, options.typingMs ?? 0)
    timers.add(timer)
  }
  const fromCustomer = (event: ChatEvent): event is Extract<ChatEvent, { type: 'message' }> =>
    event.type === 'message' && event.authorId !== client.profile?.id && event.authorId !== 'system'
  /** The question of a filled prechat form (the widget starts a chat with the form alone). */
  const prechatQuestion = (event: ChatEvent): string | null => {
    if (event.type !== 'filled_form' || event.authorId === client.profile?.id) return null
    const answer = event.fields.find((field) => field.type === 'question')?.answer
    return typeof answer === 'string' && answer.trim() !== '' ? answer : null
  }
  // a chat that starts with a message (or a prechat form) arrives whole, in `incoming_chat`
  client.on('incoming_chat', ({ chat }) => {
    const last = chat.thread?.events.at(-1)
    if (!last) return
    if (fromCustomer(last)) answer(chat.id, last.text)
    else {
      const question = prechatQuestion(last)
      if (question !== null) answer(chat.id, question)
    }
  })
  client.on('incoming_event', ({ chatId, event }) => {
    if (fromCustomer(event)) answer(chatId, event.text)
  })
  return {
    client,
    stop: () => {
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
      client.destroy()
    },
  }
}
