// The parse helpers of @livechat/customer-sdk 4.0.2, with its names, arguments and
// results: wire (snake_case) objects of the Customer Chat API in, SDK objects out. Each is
// a thin adapter over @rapport/protocol's parsers, the ones the client itself uses.
import {
  type ChatEvent,
  type FormField,
  type Greeting,
  type WireEvent,
  type WireForm,
  type WireGreeting,
  parseEvent as parseWireEvent,
  parseForm as parseFormResponse,
  parseGreeting as parseWireGreeting,
} from '@rapport/protocol'

type EventOf<T extends ChatEvent['type']> = Extract<ChatEvent, { type: T }>
type WireEventOf<T extends ChatEvent['type']> = Extract<WireEvent, { type: T }>

const isOfType = <T extends ChatEvent['type']>(event: ChatEvent, type: T): event is EventOf<T> => event.type === type

/**
 * Parses one event of a thread (`threadId`; `null` for a greeting's event). As in 4.0.2,
 * an event of a type the SDK does not know (or a rich message of an unknown template)
 * gives `null`.
 */
export const parseEvent = (threadId: string | null, event: WireEvent): ChatEvent | null => parseWireEvent(event, threadId)

const parserOf =
  <T extends Exclude<ChatEvent['type'], 'rich_message'>>(type: T) =>
  (threadId: string | null, event: WireEventOf<T>): EventOf<T> => {
    const parsed = parseWireEvent(event, threadId)
    if (parsed === null || !isOfType(parsed, type)) throw new TypeError(`Expected an event of type "${type}"`)
    return parsed
  }

/** A `message` event. */
export const parseMessage = /* @__PURE__ */ parserOf('message')
/** A `file` event; an image (width and height given) gets its thumbnails' sizes. */
export const parseFile = /* @__PURE__ */ parserOf('file')
/** A `filled_form` event (a group chooser's `group_id` answer becomes `groupId`). */
export const parseFilledForm = /* @__PURE__ */ parserOf('filled_form')
/** A `system_message` event (its author is `system`). */
export const parseSystemMessage = /* @__PURE__ */ parserOf('system_message')
/** A `custom` event. */
export const parseCustomEvent = /* @__PURE__ */ parserOf('custom')

/** A `rich_message` event; `null` for a template the SDK does not know, as in 4.0.2. */
export const parseRichMessage = (threadId: string | null, event: WireEventOf<'rich_message'>): EventOf<'rich_message'> | null => {
  const parsed = parseWireEvent(event, threadId)
  return parsed !== null && isOfType(parsed, 'rich_message') ? parsed : null
}

/**
 * A form definition, as `getForm` gives it in 4.0.2 (`{ id, fields }`): a ticket form's
 * fields get their index as `id`, group chooser options `groupId`, rating fields `commentLabel`.
 */
export const parseForm = (form: WireForm): { id: string; fields: FormField[] } =>
  parseFormResponse({ enabled: true, form }).form ?? { id: form.id, fields: [] }

/** A greeting (`incoming_greeting`, the login's greeting). */
export const parseGreeting = (greeting: WireGreeting): Greeting => parseWireGreeting(greeting)
