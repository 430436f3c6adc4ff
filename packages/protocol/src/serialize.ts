/**
 * SDK (camelCase) → wire (snake_case). `serializeOutgoingEvent` and the payload
 * builders produce request payloads (sdk-mapping §8); the `*ToWire` functions write
 * whole structures back to the wire shape (what a server sends), the inverse of
 * `parse.ts` for the fields the SDK keeps.
 */
import type * as S from './sdk'
import type * as W from './wire'
import { renameGroupChooserKey as mapGroupChooser } from './forms'

const defined = <T extends object>(value: T): T => {
  const out: Record<string, unknown> = {}
  for (const [key, v] of Object.entries(value)) if (v !== undefined) out[key] = v
  return out as T
}

export const serializeSessionFields = (fields: S.SessionFields): W.WireSessionFields =>
  Object.entries(fields).map(([key, value]) => ({ [key]: value }))

const postbackToWire = (p: S.Postback): W.WirePostback =>
  defined({ id: p.id, thread_id: p.threadId, event_id: p.eventId, type: p.type, value: p.value })

/** The event of a `send_event` request or of `start_chat`'s initial thread. */
export const serializeOutgoingEvent = (event: S.OutgoingEvent): W.WireOutgoingEvent => {
  const base = defined({
    custom_id: typeof event.customId === 'string' ? event.customId : undefined,
    properties: typeof event.properties === 'object' && event.properties !== null ? event.properties : undefined,
  })
  switch (event.type) {
    case 'message':
      return { ...base, type: 'message', text: event.text, ...(event.postback && { postback: postbackToWire(event.postback) }) }
    case 'file':
      return defined({ ...base, type: 'file' as const, url: event.url, alternative_text: event.alternativeText })
    case 'filled_form':
      return defined({
        ...base,
        type: 'filled_form' as const,
        form_id: event.formId,
        form_type: event.formType,
        fields: mapGroupChooser(event.fields, 'groupId', 'group_id'),
      })
    case 'system_message':
      return defined({
        ...base,
        type: 'system_message' as const,
        text: event.text,
        system_message_type: event.systemMessageType,
        recipients: event.recipients,
      })
    case 'custom':
      return defined({ ...base, type: 'custom' as const, content: event.content })
  }
}

export interface StartChatParams {
  active?: boolean
  continuous?: boolean
  welcomeMessageId?: string
  chat?: {
    access?: { groupIds?: number[] }
    properties?: S.Properties
    thread?: { events?: S.OutgoingEvent[]; properties?: S.Properties }
  }
}

export interface ResumeChatParams extends StartChatParams {
  chat: NonNullable<StartChatParams['chat']> & { id: string }
}

/** The `start_chat` payload the builder writes: `active` and `chat` are always present (sdk-mapping §8.1). */
export type BuiltStartChatPayload = W.WireStartChatRequest & { active: boolean; chat: W.WireChatInput & { id?: string } }

/** The `resume_chat` payload the builder writes. */
export type BuiltResumeChatPayload = W.WireResumeChatRequest & { active: boolean }

/** `start_chat` / `resume_chat` payload (sdk-mapping §8.1). */
export function buildStartChatPayload(params: ResumeChatParams): BuiltResumeChatPayload
export function buildStartChatPayload(params?: StartChatParams): BuiltStartChatPayload
export function buildStartChatPayload(params: StartChatParams | ResumeChatParams = {}): BuiltStartChatPayload {
  const chat = params.chat ?? {}
  const thread = chat.thread
  return defined({
    active: params.active ?? true,
    continuous: typeof params.continuous === 'boolean' ? params.continuous : undefined,
    welcome_message_id: params.welcomeMessageId,
    chat: defined({
      id: 'id' in chat ? (chat as { id: string }).id : undefined,
      access: chat.access?.groupIds !== undefined ? { group_ids: chat.access.groupIds } : undefined,
      properties: chat.properties,
      thread: thread
        ? defined({ events: thread.events?.map(serializeOutgoingEvent), properties: thread.properties })
        : undefined,
    }),
  })
}

// ---------------------------------------------------------------- whole structures

export const customerToWire = (c: S.Customer): W.WireCustomer =>
  defined({
    id: c.id,
    type: 'customer' as const,
    name: c.name,
    email: c.email,
    avatar: c.avatar,
    session_fields: Object.keys(c.sessionFields).length ? serializeSessionFields(c.sessionFields) : undefined,
    statistics: {
      chats_count: c.statistics.chatsCount,
      threads_count: c.statistics.threadsCount,
      visits_count: c.statistics.visitsCount,
      page_views_count: c.statistics.pageViewsCount,
      greetings_shown_count: c.statistics.greetingsShownCount,
      greetings_accepted_count: c.statistics.greetingsAcceptedCount,
    },
    email_verified: c.emailVerified,
    phone_number: c.phoneNumber,
    address: c.address
      ? defined({
          address: c.address.address,
          city: c.address.city,
          country: c.address.country,
          state: c.address.state,
          postal_code: c.address.postalCode,
        })
      : undefined,
  })

export const chatUserToWire = (u: S.ChatUser, seenUpTo?: string | null): W.WireUser =>
  u.type === 'customer'
    ? defined({
        id: u.id,
        type: 'customer' as const,
        name: u.name,
        email: u.email,
        avatar: u.avatar,
        session_fields: Object.keys(u.sessionFields).length ? serializeSessionFields(u.sessionFields) : undefined,
        present: u.present,
        events_seen_up_to: seenUpTo ?? undefined,
      })
    : defined({
        id: u.id,
        type: 'agent' as const,
        name: u.name,
        avatar: u.avatar,
        job_title: u.jobTitle,
        present: u.present,
        events_seen_up_to: seenUpTo ?? undefined,
      })

const buttonToWire = (b: S.RichMessageButton): W.WireRichMessageButton =>
  defined({
    text: b.text,
    postback_id: b.postbackId,
    user_ids: b.userIds,
    role: b.role,
    type: 'type' in b ? b.type : undefined,
    value: 'value' in b ? b.value : undefined,
    target: 'target' in b ? b.target : undefined,
    webview_height: 'webviewHeight' in b ? b.webviewHeight : undefined,
  })

const ecommerceToWire = (e: S.Ecommerce): W.WireEcommerce =>
  defined({
    view_type: e.viewType,
    product_id: e.productId,
    label: e.label,
    options: e.options?.map((o) =>
      defined({
        option_id: o.optionId,
        label: o.label,
        price: o.price,
        regular_price: o.regularPrice,
        currency: o.currency,
        color: o.color,
        image_url: o.imageUrl,
        image_thumbnail_url: o.imageThumbnailUrl,
        available: o.available,
        selected: o.selected,
      }),
    ),
    addons: e.addons?.map((a) =>
      defined({ addon_type: a.addonType, range_from: a.rangeFrom, range_to: a.rangeTo, currency: a.currency }),
    ),
  })

export const eventToWire = (e: S.ChatEvent): W.WireEvent => {
  const base = defined({
    id: e.id,
    custom_id: e.customId,
    created_at: e.createdAt,
    author_id: e.authorId === 'system' ? undefined : e.authorId,
    properties: Object.keys(e.properties).length ? e.properties : undefined,
  })
  switch (e.type) {
    case 'message':
      return { ...base, type: 'message', text: e.text, ...(e.postback && { postback: postbackToWire(e.postback) }) }
    case 'file':
      return defined({
        ...base,
        type: 'file' as const,
        url: e.url,
        name: e.name,
        content_type: e.contentType,
        width: e.width,
        height: e.height,
        thumbnail_url: e.thumbnails?.default.url,
        thumbnail2x_url: e.thumbnails?.high.url,
        alternative_text: e.alternativeText,
      })
    case 'form':
      return defined({ ...base, type: 'form' as const, form_id: e.formId, form_type: e.formType, fields: e.fields })
    case 'filled_form':
      return defined({
        ...base,
        type: 'filled_form' as const,
        form_id: e.formId,
        form_type: e.formType,
        fields: mapGroupChooser(e.fields, 'groupId', 'group_id'),
      })
    case 'rich_message':
      return {
        ...base,
        type: 'rich_message',
        template_id: e.template,
        elements: e.elements.map((el) =>
          defined({
            title: el.title,
            subtitle: el.subtitle,
            image: el.image
              ? defined({ url: el.image.url, name: el.image.name, alternative_text: el.image.alternativeText })
              : undefined,
            buttons: el.buttons?.map(buttonToWire),
            ecommerce: el.ecommerce ? ecommerceToWire(el.ecommerce) : undefined,
          }),
        ),
      }
    case 'system_message':
      return defined({
        ...base,
        type: 'system_message' as const,
        text: e.text,
        system_message_type: e.systemMessageType,
        text_vars: e.textVars,
      })
    case 'custom':
      return defined({ ...base, type: 'custom' as const, content: e.content })
  }
}

export const threadToWire = (t: S.Thread): W.WireThread =>
  defined({
    id: t.id,
    active: t.active,
    user_ids: t.userIds,
    events: t.events.map(eventToWire),
    properties: t.properties,
    access: t.access.groupIds !== undefined ? { group_ids: t.access.groupIds } : undefined,
    queue: t.queue
      ? defined({ position: t.queue.position, wait_time: t.queue.waitTime, queued_at: t.queue.queuedAt })
      : undefined,
    previous_thread_id: t.previousThreadId ?? undefined,
    next_thread_id: t.nextThreadId ?? undefined,
    created_at: t.createdAt,
  })

export const chatToWire = (c: S.Chat): W.WireChat =>
  defined({
    id: c.id,
    users: c.users.map((u) => chatUserToWire(u, c.eventsSeenUpToMap[u.id])),
    access: c.access.groupIds !== undefined ? { group_ids: c.access.groupIds } : undefined,
    properties: c.properties,
    thread: c.thread ? threadToWire(c.thread) : undefined,
  })
