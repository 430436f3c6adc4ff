/**
 * What a bot sends with `ctx.reply`: a string (a message), any event a customer could send,
 * or a rich message (quick replies, cards) whose buttons carry postback ids the bot then
 * handles with `bot.postback(id, …)`.
 */
import {
  type OutgoingEvent,
  type Recipients,
  type WireAgentOutgoingEvent,
  type WireButtonType,
  type WireRichMessageButton,
  type WireRichMessageElement,
  serializeOutgoingEvent,
} from '@rapport/protocol'

export interface BotButton {
  text: string
  /** What `incoming_rich_message_postback` carries back, and `bot.postback()` matches. */
  postbackId: string
  /** `message` (default): the customer's click also posts the button's text as a message. */
  type?: WireButtonType
  /** The URL, phone number or text, by `type`. Default: `text`. */
  value?: string
  role?: 'default' | 'primary' | 'danger'
  /** Who may click; default everyone. */
  userIds?: string[]
}

export interface BotRichElement {
  title?: string
  subtitle?: string
  image?: { url: string; name?: string; alternativeText?: string }
  buttons?: BotButton[]
}

export interface BotRichMessage {
  type: 'rich_message'
  template: 'quick_replies' | 'cards' | 'sticker'
  elements: BotRichElement[]
  customId?: string
}

export type BotMessage = string | OutgoingEvent | BotRichMessage

/** A quick-replies rich message: a title and one button per choice. */
export const quickReplies = (title: string, choices: Array<{ text: string; postbackId: string }>): BotRichMessage => ({
  type: 'rich_message',
  template: 'quick_replies',
  elements: [{ title, buttons: choices.map((choice) => ({ ...choice, type: 'message' })) }],
})

const buttonToWire = (b: BotButton): WireRichMessageButton => ({
  text: b.text,
  type: b.type ?? 'message',
  value: b.value ?? b.text,
  postback_id: b.postbackId,
  user_ids: b.userIds ?? [],
  ...(b.role !== undefined && { role: b.role }),
})

const elementToWire = (e: BotRichElement): WireRichMessageElement => ({
  ...(e.title !== undefined && { title: e.title }),
  ...(e.subtitle !== undefined && { subtitle: e.subtitle }),
  ...(e.image !== undefined && {
    image: { url: e.image.url, ...(e.image.name !== undefined && { name: e.image.name }), ...(e.image.alternativeText !== undefined && { alternative_text: e.image.alternativeText }) },
  }),
  ...(e.buttons !== undefined && { buttons: e.buttons.map(buttonToWire) }),
})

/** The `event` of a `send_event` request for a bot's message. */
export const botMessageToWire = (message: BotMessage, visibility: Recipients = 'all'): WireAgentOutgoingEvent => {
  if (typeof message === 'string') return { type: 'message', text: message, visibility }
  if (message.type === 'rich_message') {
    return {
      type: 'rich_message',
      template_id: message.template,
      elements: message.elements.map(elementToWire),
      ...(message.customId !== undefined && { custom_id: message.customId }),
      visibility,
    }
  }
  const { recipients: _recipients, ...rest } = { recipients: undefined, ...serializeOutgoingEvent(message) }
  return { ...rest, visibility }
}

/** A short text of a message for logs and transcripts. */
export const describeBotMessage = (message: BotMessage): string =>
  typeof message === 'string' ? message : message.type === 'message' ? message.text : message.type === 'rich_message' ? (message.elements[0]?.title ?? message.template) : message.type
