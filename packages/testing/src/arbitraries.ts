/**
 * fast-check arbitraries for every SDK (camelCase) and wire (snake_case) structure of
 * `@rapport/protocol`, plus frame arbitraries for codec tests and server fuzzing.
 *
 * Values are realistic and canonical: the parsers reproduce every SDK value exactly
 * from its wire form (ids and RFC 3339 timestamps with microseconds as strings,
 * `authorId: 'system'` on forms and system messages, image thumbnails derived from
 * width/height with `fitThumbnail`, property bags as `{namespace: {name: json}}`,
 * no keys holding `undefined`). Wire values are built from the SDK ones with the
 * protocol's `*ToWire` functions, so `parse(toWire(x))` is expected to equal `x`.
 */
import fc from 'fast-check'
import {
  API_VERSION,
  CUSTOMER_ACTIONS,
  DISCONNECT_REASON_POLICY,
  WIRE_ERROR_TYPES,
  buildStartChatPayload,
  chatToWire,
  chatUserToWire,
  customerToWire,
  encodeFrame,
  errorFrame,
  eventToWire,
  fitThumbnail,
  isObject,
  pushFrame,
  responseFrame,
  serializeOutgoingEvent,
  threadToWire,
} from '@rapport/protocol'
import type {
  AgentUser,
  Chat,
  ChatEvent,
  ChatUser,
  CustomEvent,
  Customer,
  CustomerUser,
  Ecommerce,
  FileEvent,
  FilledFormEvent,
  FormEvent,
  FormField,
  MessageEvent,
  OutgoingEvent,
  Postback,
  Properties,
  PushFrame,
  Queue,
  RequestFrame,
  ResponseFrame,
  ResumeChatParams,
  RichMessageButton,
  RichMessageElement,
  RichMessageEvent,
  SessionFields,
  StartChatParams,
  SystemMessageEvent,
  Thread,
  WireChat,
  WireCustomer,
  WireCustomerDisconnectedPush,
  WireEvent,
  WireGreeting,
  WireSystemEvent,
  WireThread,
  WireUser,
} from '@rapport/protocol'

// ---------------------------------------------------------------- primitives

const chars = (alphabet: string, minLength: number, maxLength: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...alphabet.split('')), minLength, maxLength })

const UPPER_ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'
const LOWER_ALNUM = '0123456789abcdefghijklmnopqrstuvwxyz'
const HEX = '0123456789abcdef'

/** Identifier-like key: namespaces and names of properties, session field keys. */
export const keyArb: fc.Arbitrary<string> = fc.stringMatching(/^[a-z][a-z0-9_]{0,11}$/)

/** A chat id as the platform writes them, e.g. `RB2EZ7GVX4`. */
export const chatIdArb: fc.Arbitrary<string> = chars(UPPER_ALNUM, 10, 10)
/** A thread id, same alphabet as chat ids. */
export const threadIdArb: fc.Arbitrary<string> = chars(UPPER_ALNUM, 10, 10)
/** An event id: `<threadId>_<n>`. */
export const eventIdArb: fc.Arbitrary<string> = fc
  .tuple(threadIdArb, fc.integer({ min: 1, max: 999 }))
  .map(([thread, n]) => `${thread}_${n}`)
/** Customers are identified by a UUID. */
export const customerIdArb: fc.Arbitrary<string> = fc.uuid({ version: 4 })
/** Agents (and bots) are identified by their login e-mail. */
export const agentIdArb: fc.Arbitrary<string> = fc
  .tuple(chars('abcdefghijklmnopqrstuvwxyz', 1, 10), fc.constantFrom('example.com', 'rapport.dev', 'acme.io'))
  .map(([name, domain]) => `${name}@${domain}`)
export const userIdArb: fc.Arbitrary<string> = fc.oneof(customerIdArb, agentIdArb)
/** Request ids as `createRequestId` makes them (base 36). */
export const requestIdArb: fc.Arbitrary<string> = chars(LOWER_ALNUM, 8, 12)
export const groupIdArb: fc.Arbitrary<number> = fc.integer({ min: 0, max: 50 })

const MIN_SECONDS = Date.UTC(2017, 0, 1) / 1000
const MAX_SECONDS = Date.UTC(2035, 0, 1) / 1000

/** RFC 3339 UTC timestamp with microseconds, e.g. `2024-05-01T12:34:56.123456Z`. */
export const timestampArb: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: MIN_SECONDS, max: MAX_SECONDS }), fc.integer({ min: 0, max: 999_999 }))
  .map(([s, us]) => `${new Date(s * 1000).toISOString().slice(0, 19)}.${String(us).padStart(6, '0')}Z`)

/** A CDN file URL like the ones `upload_file` returns. */
export const fileUrlArb: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: 1, max: 99_999_999 }), chars(HEX, 32, 32), chars('abcdefghijklmnopqrstuvwxyz0123456789-', 1, 16))
  .map(([org, hash, name]) => `https://cdn.files-text.com/api/lc/att/${org}/${hash}/${name}`)
export const webUrlArb: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom('https://example.com', 'https://shop.acme.io', 'http://localhost:3000'), chars(LOWER_ALNUM, 0, 12))
  .map(([origin, path]) => `${origin}/${path}`)
const avatarUrlArb: fc.Arbitrary<string> = chars(HEX, 16, 16).map((h) => `https://cdn.livechat-files.com/api/file/avatars/${h}.png`)

/** Human text, any Unicode graphemes. */
export const textArb: fc.Arbitrary<string> = fc.string({ unit: 'grapheme', maxLength: 120 })
const shortTextArb: fc.Arbitrary<string> = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 24 })
const nameArb: fc.Arbitrary<string> = fc.constantFrom('Jane Doe', 'Zoë Ångström', 'Łukasz', '李雷', 'Bot', 'Ana María')
const emailArb: fc.Arbitrary<string> = agentIdArb

/**
 * A JSON value that survives `JSON.stringify`/`JSON.parse` unchanged (canonicalized
 * through JSON: `fc.jsonValue` can produce `-0`, which JSON turns into `0`).
 */
export const jsonValueArb: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.parse(JSON.stringify(v)) as unknown)

/** Property bag `{namespace: {name: json value}}`. */
export const propertiesArb: fc.Arbitrary<Properties> = fc.dictionary(
  keyArb,
  fc.dictionary(keyArb, jsonValueArb, { maxKeys: 3, noNullPrototype: true }),
  { maxKeys: 3, noNullPrototype: true },
)

export const sessionFieldsArb: fc.Arbitrary<SessionFields> = fc.dictionary(keyArb, fc.string({ maxLength: 40 }), {
  maxKeys: 5,
  noNullPrototype: true,
})

// ---------------------------------------------------------------- events (SDK side)

interface Base {
  id: string
  customId?: string
  authorId: string
  createdAt: string
  threadId: string
  properties: Properties
}

const baseArb = (authorId: fc.Arbitrary<string> = fc.oneof(customerIdArb, agentIdArb)): fc.Arbitrary<Base> =>
  fc
    .record(
      {
        n: fc.integer({ min: 1, max: 999 }),
        customId: fc.uuid({ version: 4 }),
        authorId,
        createdAt: timestampArb,
        threadId: threadIdArb,
        properties: propertiesArb,
      },
      { requiredKeys: ['n', 'authorId', 'createdAt', 'threadId', 'properties'] },
    )
    .map(({ n, ...rest }) => ({ id: `${rest.threadId}_${n}`, ...rest }))

export const postbackArb: fc.Arbitrary<Postback> = fc.record(
  {
    id: keyArb,
    threadId: threadIdArb,
    eventId: eventIdArb,
    type: fc.constantFrom('message', 'url', 'phone', 'webview'),
    value: fc.string({ maxLength: 30 }),
  },
  { requiredKeys: ['id', 'threadId', 'eventId'] },
)

export const messageEventArb: fc.Arbitrary<MessageEvent> = fc
  .tuple(baseArb(), textArb, fc.option(postbackArb, { nil: undefined }))
  .map(([base, text, postback]) => ({ ...base, type: 'message', text, ...(postback && { postback }) }))

/** A file that is not an image: no width, height, thumbnails or alternative text. */
export const plainFileEventArb: fc.Arbitrary<FileEvent> = fc
  .tuple(baseArb(), fileUrlArb, fc.constantFrom('report.pdf', 'notes.txt', 'archive.zip', ''), fc.constantFrom('application/pdf', 'text/plain', 'application/zip'))
  .map(([base, url, name, contentType]) => ({ ...base, type: 'file', url, name, contentType }))

/** An image: thumbnails are `fitThumbnail(width, height, 300 | 600)`, as the parser computes them. */
export const imageFileEventArb: fc.Arbitrary<FileEvent> = fc
  .tuple(
    baseArb(),
    fc.record(
      {
        url: fileUrlArb,
        name: fc.constantFrom('photo.jpg', 'screen.png', 'anim.gif'),
        contentType: fc.constantFrom('image/jpeg', 'image/png', 'image/gif'),
        width: fc.integer({ min: 1, max: 8000 }),
        height: fc.integer({ min: 1, max: 8000 }),
        thumbnail: fileUrlArb,
        thumbnail2x: fileUrlArb,
        alternativeText: textArb,
      },
      { requiredKeys: ['url', 'name', 'contentType', 'width', 'height', 'thumbnail', 'thumbnail2x'] },
    ),
  )
  .map(([base, { thumbnail, thumbnail2x, ...f }]) => ({
    ...base,
    type: 'file',
    ...f,
    thumbnails: {
      default: { url: thumbnail, ...fitThumbnail(f.width, f.height, 300) },
      high: { url: thumbnail2x, ...fitThumbnail(f.width, f.height, 600) },
    },
  }))

export const fileEventArb: fc.Arbitrary<FileEvent> = fc.oneof(plainFileEventArb, imageFileEventArb)

const optionArb = (withGroup: boolean): fc.Arbitrary<Record<string, unknown>> =>
  fc
    .tuple(chars(LOWER_ALNUM, 1, 6), shortTextArb, groupIdArb)
    .map(([id, label, group]) => (withGroup ? { id, label, group_id: group } : { id, label }))

/**
 * A form field. Unfilled (`form`) fields carry no answers; filled ones do. Group-chooser
 * answers are in the SDK shape `{id, groupId, label}` (the wire writes `group_id`).
 */
export const formFieldArb = (filled: boolean): fc.Arbitrary<FormField> => {
  const head = fc.record({ id: chars(LOWER_ALNUM, 1, 8), label: shortTextArb })
  const required = fc.boolean()
  const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => (filled ? arb : fc.constant(undefined))
  const strip = <T extends Record<string, unknown>>(field: T): FormField =>
    Object.fromEntries(Object.entries(field).filter(([, v]) => v !== undefined)) as FormField
  return fc.oneof(
    head.map((h) => ({ type: 'header', ...h })),
    fc
      .tuple(head, fc.constantFrom('name', 'email', 'question', 'textarea', 'phone'), required, maybe(textArb))
      .map(([h, type, req, answer]) => strip({ type, ...h, required: req, answer })),
    fc
      .tuple(head, fc.constantFrom('radio', 'select'), fc.array(optionArb(false), { minLength: 1, maxLength: 4 }), required)
      .chain(([h, type, options, req]) =>
        maybe(fc.constantFrom(...options)).map((answer) => strip({ type, ...h, required: req, options, answer })),
      ),
    fc
      .tuple(head, fc.array(optionArb(false), { minLength: 1, maxLength: 4 }), required)
      .chain(([h, options, req]) =>
        maybe(fc.subarray(options)).map((answers) => strip({ type: 'checkbox', ...h, required: req, options, answers })),
      ),
    fc
      .tuple(head, fc.array(optionArb(true), { minLength: 1, maxLength: 4 }), required)
      .chain(([h, options, req]) =>
        maybe(fc.constantFrom(...options)).map((option) =>
          strip({
            type: 'group_chooser',
            ...h,
            required: req,
            options,
            answer: option && { id: option.id, groupId: option.group_id, label: option.label },
          }),
        ),
      ),
    fc.tuple(head, maybe(fc.boolean())).map(([h, answer]) => strip({ type: 'checkbox_for_email', ...h, answer })),
    fc
      .tuple(head, shortTextArb, maybe(fc.constantFrom('good', 'bad')))
      .map(([h, commentLabel, answer]) => strip({ type: 'rating', ...h, comment_label: commentLabel, answer })),
  )
}

const formTypeArb = fc.constantFrom('prechat', 'postchat', 'ask_for_email', 'ticket')

/** A form sent by the system: `authorId` is always `'system'`. */
export const formEventArb: fc.Arbitrary<FormEvent> = fc
  .tuple(baseArb(fc.constant('system')), chars(LOWER_ALNUM, 6, 12), fc.option(formTypeArb, { nil: undefined }), fc.array(formFieldArb(false), { maxLength: 6 }))
  .map(([base, formId, formType, fields]) => ({
    ...base,
    type: 'form',
    formId,
    ...(formType !== undefined && { formType }),
    fields,
  }))

export const filledFormEventArb: fc.Arbitrary<FilledFormEvent> = fc
  .tuple(baseArb(), chars(LOWER_ALNUM, 6, 12), fc.option(formTypeArb, { nil: undefined }), fc.array(formFieldArb(true), { maxLength: 6 }))
  .map(([base, formId, formType, fields]) => ({
    ...base,
    type: 'filled_form',
    formId,
    ...(formType !== undefined && { formType }),
    fields,
  }))

const buttonBaseArb = fc.record({
  text: shortTextArb,
  postbackId: keyArb,
  userIds: fc.uniqueArray(userIdArb, { maxLength: 3 }),
  role: fc.constantFrom('default', 'primary', 'danger') as fc.Arbitrary<'default' | 'primary' | 'danger'>,
})

/** Every button shape: message, phone, cancel, url (± target), webview (± height), untyped. */
export const richMessageButtonArb: fc.Arbitrary<RichMessageButton> = fc.oneof(
  fc
    .tuple(buttonBaseArb, fc.constantFrom('message', 'phone') as fc.Arbitrary<'message' | 'phone'>, fc.string({ maxLength: 30 }))
    .map(([b, type, value]) => ({ ...b, type, value })),
  buttonBaseArb.map((b) => ({ ...b, type: 'cancel' as const })),
  fc
    .tuple(buttonBaseArb, webUrlArb, fc.option(fc.constantFrom('new', 'current') as fc.Arbitrary<'new' | 'current'>, { nil: undefined }))
    .map(([b, value, target]) => ({ ...b, type: 'url' as const, value, ...(target && { target }) })),
  fc
    .tuple(
      buttonBaseArb,
      webUrlArb,
      fc.option(fc.constantFrom('compact', 'full', 'tall') as fc.Arbitrary<'compact' | 'full' | 'tall'>, { nil: undefined }),
    )
    .map(([b, value, webviewHeight]) => ({ ...b, type: 'webview' as const, value, ...(webviewHeight && { webviewHeight }) })),
  buttonBaseArb,
)

const richImageArb = fc.record(
  { url: fileUrlArb, name: fc.constantFrom('card.png', 'sticker.gif'), alternativeText: textArb },
  { requiredKeys: ['url'] },
)

const priceArb = fc.integer({ min: 0, max: 1_000_000 }).map((cents) => cents / 100)

export const ecommerceArb: fc.Arbitrary<Ecommerce> = fc.record(
  {
    viewType: fc.constantFrom('tags', 'swatch', 'images', 'select') as fc.Arbitrary<'tags' | 'swatch' | 'images' | 'select'>,
    productId: chars(LOWER_ALNUM, 1, 10),
    label: shortTextArb,
    options: fc.array(
      fc.record(
        {
          optionId: chars(LOWER_ALNUM, 1, 8),
          label: shortTextArb,
          price: priceArb,
          regularPrice: priceArb,
          currency: fc.constantFrom('USD', 'EUR', 'PLN'),
          color: chars(HEX, 6, 6).map((h) => `#${h}`),
          imageUrl: fileUrlArb,
          imageThumbnailUrl: fileUrlArb,
          available: fc.boolean(),
          selected: fc.boolean(),
        },
        { requiredKeys: ['optionId'] },
      ),
      { maxLength: 4 },
    ),
    addons: fc.array(
      fc.record(
        {
          addonType: fc.constantFrom('quantity', 'range'),
          rangeFrom: fc.integer({ min: 0, max: 10 }),
          rangeTo: fc.integer({ min: 10, max: 100 }),
          currency: fc.constantFrom('USD', 'EUR'),
        },
        { requiredKeys: ['addonType'] },
      ),
      { maxLength: 2 },
    ),
  },
  { requiredKeys: [] },
)

const elementArb = (parts: { buttons?: fc.Arbitrary<RichMessageButton>; ecommerce?: boolean }): fc.Arbitrary<RichMessageElement> =>
  fc.record(
    {
      title: textArb,
      subtitle: textArb,
      image: richImageArb,
      buttons: fc.array(parts.buttons ?? richMessageButtonArb, { maxLength: 13 }),
      ...(parts.ecommerce ? { ecommerce: ecommerceArb } : {}),
    },
    { requiredKeys: [] },
  )

const quickReplyButtonArb: fc.Arbitrary<RichMessageButton> = fc
  .tuple(buttonBaseArb, fc.string({ maxLength: 30 }))
  .map(([b, value]) => ({ ...b, type: 'message' as const, value }))

/** Rich messages of each template: cards, sticker, quick_replies, ecommerce. */
export const richMessageEventArb: fc.Arbitrary<RichMessageEvent> = fc
  .tuple(
    baseArb(agentIdArb),
    fc.oneof(
      fc.record({
        template: fc.constant('cards' as const),
        elements: fc.array(elementArb({}), { minLength: 1, maxLength: 10 }),
      }),
      fc.record({
        template: fc.constant('sticker' as const),
        elements: richImageArb.map((image) => [{ image }]),
      }),
      fc.record({
        template: fc.constant('quick_replies' as const),
        elements: fc
          .tuple(textArb, fc.array(quickReplyButtonArb, { minLength: 1, maxLength: 13 }))
          .map(([title, buttons]) => [{ title, buttons }]),
      }),
      fc.record({
        template: fc.constant('ecommerce' as const),
        elements: fc.array(elementArb({ ecommerce: true }), { minLength: 1, maxLength: 10 }),
      }),
    ),
  )
  .map(([base, rich]) => ({ ...base, type: 'rich_message', ...rich }))

/** System messages: `authorId` is always `'system'`. */
export const systemMessageEventArb: fc.Arbitrary<SystemMessageEvent> = fc
  .tuple(
    baseArb(fc.constant('system')),
    textArb,
    fc.constantFrom('routing.assigned', 'routing.unassigned', 'manual_archived_customer', 'rating.chat_rated', 'transfer.manual'),
    fc.option(fc.dictionary(keyArb, fc.string({ maxLength: 20 }), { maxKeys: 3, noNullPrototype: true }), { nil: undefined }),
  )
  .map(([base, text, systemMessageType, textVars]) => ({
    ...base,
    type: 'system_message',
    text,
    systemMessageType,
    ...(textVars !== undefined && { textVars }),
  }))

export const customEventArb: fc.Arbitrary<CustomEvent> = fc
  .tuple(baseArb(), fc.option(jsonValueArb, { nil: undefined }))
  .map(([base, content]) => ({ ...base, type: 'custom', ...(content !== undefined && { content }) }))

/** One arbitrary per SDK event type (files split into plain and image). */
export const sdkEventArbs = {
  message: messageEventArb,
  file: plainFileEventArb,
  image: imageFileEventArb,
  form: formEventArb,
  filled_form: filledFormEventArb,
  rich_message: richMessageEventArb,
  system_message: systemMessageEventArb,
  custom: customEventArb,
} as const satisfies Record<string, fc.Arbitrary<ChatEvent>>

/** Any SDK event, with a `threadId` (events of greetings have `null`, see `greetingEventArb`). */
export const sdkEventArb: fc.Arbitrary<ChatEvent> = fc.oneof(...Object.values(sdkEventArbs))

// ---------------------------------------------------------------- users

export const customerUserArb: fc.Arbitrary<CustomerUser> = fc.record(
  {
    id: customerIdArb,
    type: fc.constant('customer' as const),
    name: nameArb,
    email: emailArb,
    avatar: avatarUrlArb,
    sessionFields: sessionFieldsArb,
    present: fc.boolean(),
  },
  { requiredKeys: ['id', 'type', 'sessionFields', 'present'] },
)

export const agentUserArb: fc.Arbitrary<AgentUser> = fc.record({
  id: agentIdArb,
  type: fc.constant('agent' as const),
  name: nameArb,
  avatar: fc.oneof(avatarUrlArb, fc.constant('')),
  jobTitle: fc.constantFrom('Support Agent', 'Sales', '', 'Bot'),
  present: fc.boolean(),
})

export const chatUserArb: fc.Arbitrary<ChatUser> = fc.oneof(customerUserArb, agentUserArb)

const countArb = fc.integer({ min: 0, max: 10_000 })

export const customerArb: fc.Arbitrary<Customer> = fc.record(
  {
    id: customerIdArb,
    type: fc.constant('customer' as const),
    name: nameArb,
    email: emailArb,
    avatar: avatarUrlArb,
    sessionFields: sessionFieldsArb,
    statistics: fc.record({
      chatsCount: countArb,
      threadsCount: countArb,
      visitsCount: countArb,
      pageViewsCount: countArb,
      greetingsShownCount: countArb,
      greetingsAcceptedCount: countArb,
    }),
    emailVerified: fc.boolean(),
    phoneNumber: fc.stringMatching(/^\+[1-9][0-9]{6,12}$/),
    address: fc.record(
      {
        address: fc.constantFrom('1 Main St', 'ul. Długa 5'),
        city: fc.constantFrom('Wrocław', 'Boston'),
        country: fc.constantFrom('PL', 'US'),
        state: fc.constantFrom('MA', 'DS'),
        postalCode: fc.stringMatching(/^[0-9]{2}-?[0-9]{3}$/),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: ['id', 'type', 'sessionFields', 'statistics'] },
)

// ---------------------------------------------------------------- threads and chats

export const accessArb: fc.Arbitrary<{ groupIds?: number[] }> = fc.oneof(
  fc.constant({}),
  fc.uniqueArray(groupIdArb, { maxLength: 4 }).map((groupIds) => ({ groupIds })),
)

export const queueArb: fc.Arbitrary<Queue> = fc.record(
  { position: fc.integer({ min: 1, max: 50 }), waitTime: fc.integer({ min: 0, max: 3600 }), queuedAt: timestampArb },
  { requiredKeys: ['position', 'waitTime'] },
)

/**
 * A thread of a chat. Its events belong to it (`threadId`, ids `<threadId>_<n>` in
 * order, ascending `createdAt`).
 */
export const threadArb: fc.Arbitrary<Thread> = fc
  .record({
    id: threadIdArb,
    chatId: chatIdArb,
    active: fc.boolean(),
    access: accessArb,
    createdAt: timestampArb,
    userIds: fc.uniqueArray(userIdArb, { maxLength: 4 }),
    events: fc.array(sdkEventArb, { maxLength: 6 }),
    properties: propertiesArb,
    previousThreadId: fc.option(threadIdArb, { nil: null }),
    nextThreadId: fc.option(threadIdArb, { nil: null }),
    queue: fc.option(queueArb, { nil: null }),
  })
  .map((t) => {
    const times = t.events.map((e) => e.createdAt).sort()
    return {
      ...t,
      events: t.events.map((e, i) => ({ ...e, id: `${t.id}_${i + 1}`, threadId: t.id, createdAt: times[i] ?? e.createdAt })),
    }
  })

const withChatId = (thread: Thread, chatId: string, userIds: string[]): Thread => ({ ...thread, chatId, userIds })

/** A chat (`get_chat`, `incoming_chat`): users unique by id, a seen-up-to entry per user, its thread if any. */
export const chatArb: fc.Arbitrary<Chat> = fc
  .record({
    id: chatIdArb,
    access: accessArb,
    users: fc.uniqueArray(fc.tuple(chatUserArb, fc.option(timestampArb, { nil: null })), {
      minLength: 1,
      maxLength: 4,
      selector: ([user]) => user.id,
    }),
    properties: propertiesArb,
    thread: fc.option(threadArb, { nil: null }),
  })
  .map(({ users, thread, ...chat }) => ({
    ...chat,
    users: users.map(([user]) => user),
    eventsSeenUpToMap: Object.fromEntries(users.map(([user, seen]) => [user.id, seen])),
    thread: thread && withChatId(thread, chat.id, users.map(([user]) => user.id)),
  }))

/** A chat that has a thread (the shape `incoming_chat` carries). */
export const chatWithThreadArb: fc.Arbitrary<Chat & { thread: Thread }> = fc
  .tuple(chatArb, threadArb)
  .map(([chat, thread]) => ({ ...chat, thread: chat.thread ?? withChatId(thread, chat.id, chat.users.map((u) => u.id)) }))

// ---------------------------------------------------------------- outgoing (SDK → wire requests)

/** Events a customer can send, valid for `validateOutgoingEvent`. */
export const outgoingEventArb: fc.Arbitrary<OutgoingEvent> = fc.oneof(
  fc
    .record(
      { text: textArb, customId: fc.uuid({ version: 4 }), properties: propertiesArb, postback: postbackArb },
      { requiredKeys: ['text'] },
    )
    .map((e) => ({ type: 'message' as const, ...e })),
  fc
    .record({ url: fileUrlArb, alternativeText: textArb, customId: fc.uuid({ version: 4 }), properties: propertiesArb }, { requiredKeys: ['url'] })
    .map((e) => ({ type: 'file' as const, ...e })),
  fc
    .record(
      {
        formId: chars(LOWER_ALNUM, 6, 12),
        formType: formTypeArb,
        fields: fc.array(formFieldArb(true), { maxLength: 6 }),
        customId: fc.uuid({ version: 4 }),
        properties: propertiesArb,
      },
      { requiredKeys: ['formId', 'fields'] },
    )
    .map((e) => ({ type: 'filled_form' as const, ...e })),
  fc
    .record(
      {
        text: textArb,
        systemMessageType: fc.constantFrom('rating.chat_rated', 'customer.note'),
        recipients: fc.constantFrom('all', 'agents') as fc.Arbitrary<'all' | 'agents'>,
        customId: fc.uuid({ version: 4 }),
        properties: propertiesArb,
      },
      { requiredKeys: ['text'] },
    )
    .map((e) => ({ type: 'system_message' as const, ...e })),
  fc
    .record({ content: jsonValueArb, customId: fc.uuid({ version: 4 }), properties: propertiesArb }, { requiredKeys: [] })
    .map((e) => ({ type: 'custom' as const, ...e })),
)

const startChatChatArb = fc.record(
  {
    access: fc.uniqueArray(groupIdArb, { maxLength: 3 }).map((groupIds) => ({ groupIds })),
    properties: propertiesArb,
    thread: fc.record(
      { events: fc.array(outgoingEventArb, { maxLength: 3 }), properties: propertiesArb },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: [] },
)

export const startChatParamsArb: fc.Arbitrary<StartChatParams> = fc.record(
  {
    active: fc.boolean(),
    continuous: fc.boolean(),
    welcomeMessageId: chars(LOWER_ALNUM, 8, 12),
    chat: startChatChatArb,
  },
  { requiredKeys: [] },
)

export const resumeChatParamsArb: fc.Arbitrary<ResumeChatParams> = fc
  .tuple(startChatParamsArb, chatIdArb, startChatChatArb)
  .map(([params, id, chat]) => ({ ...params, chat: { ...chat, id } }))

// ---------------------------------------------------------------- wire side

/** Any parseable wire event (the wire form of `sdkEventArb`), with the thread it belongs to. */
export const wireEventWithThreadArb: fc.Arbitrary<{ threadId: string; event: WireEvent }> = sdkEventArb.map((e) => ({
  threadId: e.threadId ?? '',
  event: eventToWire(e),
}))
export const wireEventArb: fc.Arbitrary<WireEvent> = sdkEventArb.map(eventToWire)

/** The 3.6 read-only `system` event, which the SDK does not expose (parses to `null`). */
export const wireSystemEventArb: fc.Arbitrary<WireSystemEvent> = fc.record({
  id: eventIdArb,
  type: fc.constant('system' as const),
  created_at: timestampArb,
  source: fc.constantFrom('chat_router', 'ticket_system'),
  subtype: fc.constantFrom('chat_transferred', 'routing_status_changed'),
  version: fc.constant('1'),
  details: fc.dictionary(keyArb, fc.string({ maxLength: 10 }), { maxKeys: 2, noNullPrototype: true }).map((d) => JSON.stringify(d)),
})

/** A rich message whose template the SDK does not know (parses to `null`). */
export const wireUnknownRichMessageArb: fc.Arbitrary<WireEvent> = fc
  .tuple(richMessageEventArb, fc.constantFrom('carousel', 'list', 'unknown_template'))
  .map(([e, template]) => ({ ...eventToWire(e), template_id: template }) as unknown as WireEvent)

export const wireCustomerArb: fc.Arbitrary<WireCustomer> = customerArb.map(customerToWire)
export const wireUserArb: fc.Arbitrary<WireUser> = chatUserArb.map((u) => chatUserToWire(u))
export const wireThreadArb: fc.Arbitrary<WireThread> = threadArb.map(threadToWire)
export const wireChatArb: fc.Arbitrary<WireChat> = chatArb.map(chatToWire)

/** An event as greetings carry it (`threadId: null`). */
export const greetingEventArb: fc.Arbitrary<MessageEvent> = messageEventArb.map((e) => ({ ...e, threadId: null }))

export const wireGreetingArb: fc.Arbitrary<WireGreeting> = fc.record(
  {
    id: fc.integer({ min: 1, max: 100_000 }),
    unique_id: chars(HEX, 32, 32),
    displayed_first_time: fc.boolean(),
    accepted: fc.boolean(),
    addon: fc.option(fc.constantFrom('email', 'url'), { nil: null }),
    subtype: fc.constantFrom('greeting', 'announcement'),
    is_exit_intent: fc.boolean(),
    event: messageEventArb.map(eventToWire),
    agent: fc.record(
      { id: agentIdArb, name: nameArb, avatar: avatarUrlArb, job_title: fc.constantFrom('Support Agent', ''), is_bot: fc.boolean() },
      { requiredKeys: ['id', 'name'] },
    ),
  },
  { requiredKeys: ['id', 'unique_id', 'displayed_first_time', 'event', 'agent'] },
)

// ---------------------------------------------------------------- pushes

/** Reasons the server may put in `customer_disconnected` (the SDK's own reasons excluded). */
export const PUSHED_DISCONNECT_REASONS = (Object.keys(DISCONNECT_REASON_POLICY) as Array<keyof typeof DISCONNECT_REASON_POLICY>).filter(
  (reason) => reason !== 'connection_lost' && reason !== 'identity_mismatch' && reason !== 'wrong_product_version',
)

export const customerDisconnectedPushArb: fc.Arbitrary<WireCustomerDisconnectedPush> = fc
  .constantFrom(...PUSHED_DISCONNECT_REASONS)
  .chain((reason): fc.Arbitrary<WireCustomerDisconnectedPush> => {
    if (reason === 'misdirected_connection')
      return fc.constantFrom('dal', 'fra').map((region) => ({ reason, data: { region } }))
    if (reason === 'customer_temporarily_blocked')
      return fc.option(fc.integer({ min: 1, max: 3600 }), { nil: undefined }).map((wait) => (wait === undefined ? { reason } : { reason, data: { wait_time: wait } }))
    return fc.constant({ reason })
  })

const propertyNamesArb = fc.dictionary(keyArb, fc.uniqueArray(keyArb, { minLength: 1, maxLength: 3 }), {
  minKeys: 1,
  maxKeys: 3,
  noNullPrototype: true,
})

/** Payload arbitraries of the pushes a customer connection receives, by push name. */
export const pushPayloadArbs = {
  incoming_chat: fc
    .record({ chat: chatWithThreadArb.map((c) => chatToWire(c)), requester_id: userIdArb }, { requiredKeys: ['chat'] }),
  incoming_event: sdkEventArb.chain((e) =>
    chatIdArb.map((chatId) => ({ chat_id: chatId, thread_id: e.threadId, event: eventToWire(e) })),
  ),
  event_updated: sdkEventArb.chain((e) =>
    chatIdArb.map((chatId) => ({ chat_id: chatId, thread_id: e.threadId, event: eventToWire(e) })),
  ),
  chat_deactivated: fc.record({ chat_id: chatIdArb, thread_id: threadIdArb, user_id: userIdArb }, { requiredKeys: ['chat_id', 'thread_id'] }),
  user_added_to_chat: fc.record(
    {
      chat_id: chatIdArb,
      thread_id: threadIdArb,
      user: wireUserArb,
      reason: fc.constantFrom('manual', 'other', 'chat_transferred', 'routed'),
      requester_id: agentIdArb,
    },
    { requiredKeys: ['chat_id', 'user', 'reason'] },
  ),
  user_removed_from_chat: fc.record(
    {
      chat_id: chatIdArb,
      thread_id: threadIdArb,
      user_id: userIdArb,
      reason: fc.constantFrom('disconnected', 'signed_out', 'manual', 'chat_deactivated', 'other'),
      requester_id: agentIdArb,
    },
    { requiredKeys: ['chat_id', 'user_id', 'reason'] },
  ),
  customer_disconnected: customerDisconnectedPushArb,
  chat_properties_updated: fc.record({ chat_id: chatIdArb, properties: propertiesArb }),
  chat_properties_deleted: fc.record({ chat_id: chatIdArb, properties: propertyNamesArb }),
  thread_properties_updated: fc.record({ chat_id: chatIdArb, thread_id: threadIdArb, properties: propertiesArb }),
  event_properties_updated: fc.record({ chat_id: chatIdArb, thread_id: threadIdArb, event_id: eventIdArb, properties: propertiesArb }),
  event_deleted: fc.record({ chat_id: chatIdArb, thread_id: threadIdArb, event_id: eventIdArb }),
  events_marked_as_seen: fc.record({ chat_id: chatIdArb, user_id: userIdArb, seen_up_to: timestampArb }),
  incoming_typing_indicator: fc.record({
    chat_id: chatIdArb,
    thread_id: threadIdArb,
    typing_indicator: fc.record({
      author_id: agentIdArb,
      recipients: fc.constant('all'),
      timestamp: fc.integer({ min: MIN_SECONDS, max: MAX_SECONDS }),
      is_typing: fc.boolean(),
    }),
  }),
  customer_updated: wireCustomerArb.map(({ statistics: _statistics, ...customer }) => customer),
  groups_status_updated: fc.record({
    groups: fc.uniqueArray(
      fc.record({ id: groupIdArb, status: fc.constantFrom('online', 'online_for_queue', 'offline') }),
      { minLength: 1, maxLength: 3, selector: (g) => g.id },
    ),
  }),
  queue_position_updated: fc.record({
    chat_id: chatIdArb,
    thread_id: threadIdArb,
    queue: fc.record({ position: fc.integer({ min: 1, max: 50 }), wait_time: fc.integer({ min: 0, max: 3600 }) }),
  }),
  incoming_greeting: wireGreetingArb,
  greeting_accepted: fc.record({ unique_id: chars(HEX, 32, 32) }),
  greeting_canceled: fc.record({ unique_id: chars(HEX, 32, 32) }),
  incoming_multicast: fc.record({ author_id: agentIdArb, content: jsonValueArb, type: fc.constant('lc2') }, { requiredKeys: ['content'] }),
} as const satisfies Record<string, fc.Arbitrary<object>>

export type PushName = keyof typeof pushPayloadArbs

/** A push frame of a given name (or any of `pushPayloadArbs`), optionally carrying a request id. */
export const pushFrameArbFor = (action: PushName): fc.Arbitrary<PushFrame> =>
  fc
    .tuple(pushPayloadArbs[action] as fc.Arbitrary<object>, fc.option(requestIdArb, { nil: undefined }))
    .map(([payload, requestId]) => pushFrame(action, payload, requestId))

export const pushFrameArb: fc.Arbitrary<PushFrame> = fc.oneof(
  ...(Object.keys(pushPayloadArbs) as PushName[]).map((name) => pushFrameArbFor(name)),
)

// ---------------------------------------------------------------- requests and responses

const genericPayloadArb: fc.Arbitrary<Record<string, unknown>> = fc.dictionary(keyArb, jsonValueArb, {
  maxKeys: 4,
  noNullPrototype: true,
})

const requestPayloadArbs: Partial<Record<string, fc.Arbitrary<Record<string, unknown>>>> = {
  login: fc.record(
    {
      token: chars(LOWER_ALNUM, 20, 40).map((t) => `Bearer dal:${t}`),
      customer_page: fc.record({ url: webUrlArb, title: textArb }, { requiredKeys: ['url'] }),
      is_mobile: fc.boolean(),
      group_id: groupIdArb,
      pushes: fc.constant({ [API_VERSION]: ['incoming_chat', 'incoming_event'] }),
    },
    { requiredKeys: ['token'] },
  ),
  ping: fc.constant({}),
  get_chat: fc.record({ chat_id: chatIdArb, thread_id: threadIdArb }, { requiredKeys: ['chat_id'] }),
  send_event: fc
    .record({ chat_id: chatIdArb, event: outgoingEventArb.map(serializeOutgoingEvent), attach_to_last_thread: fc.constant(true) }, {
      requiredKeys: ['chat_id', 'event'],
    }),
  start_chat: startChatParamsArb.map((p) => buildStartChatPayload(p) as unknown as Record<string, unknown>),
  resume_chat: resumeChatParamsArb.map((p) => buildStartChatPayload(p) as unknown as Record<string, unknown>),
  list_chats: fc.record({ limit: fc.integer({ min: 1, max: 25 }) }),
  mark_events_as_seen: fc.record({ chat_id: chatIdArb, seen_up_to: timestampArb }),
}

const actionArb = fc.constantFrom(...CUSTOMER_ACTIONS)

/** A well-formed customer request frame (what `decodeRequestFrame` accepts), payload always present. */
export const requestFrameArb: fc.Arbitrary<RequestFrame<string, Record<string, unknown>>> = actionArb.chain((action) =>
  fc
    .record(
      {
        version: fc.constant(API_VERSION),
        request_id: requestIdArb,
        action: fc.constant(action),
        payload: requestPayloadArbs[action] ?? genericPayloadArb,
      },
      { requiredKeys: ['action', 'payload'] },
    ),
)

export const wireErrorArb = fc.record(
  {
    type: fc.constantFrom(...WIRE_ERROR_TYPES),
    message: fc.string({ maxLength: 40 }),
    data: fc.record({ region: fc.constantFrom('dal', 'fra') }),
  },
  { requiredKeys: ['type', 'message'] },
)

const responsePayloadArbs: Partial<Record<string, fc.Arbitrary<object>>> = {
  get_chat: wireChatArb,
  get_customer: wireCustomerArb,
  list_threads: fc.record(
    {
      threads: fc.array(wireThreadArb, { maxLength: 3 }),
      found_threads: fc.integer({ min: 0, max: 100 }),
      next_page_id: chars(LOWER_ALNUM, 10, 20),
      previous_page_id: chars(LOWER_ALNUM, 10, 20),
    },
    { requiredKeys: ['threads', 'found_threads'] },
  ),
  send_event: fc.record({ event_id: eventIdArb }),
  start_chat: fc.record(
    { chat_id: chatIdArb, thread_id: threadIdArb, event_ids: fc.array(eventIdArb, { maxLength: 3 }) },
    { requiredKeys: ['chat_id', 'thread_id'] },
  ),
  resume_chat: fc.record({ thread_id: threadIdArb, event_ids: fc.array(eventIdArb, { maxLength: 3 }) }, { requiredKeys: ['thread_id'] }),
  list_group_statuses: fc
    .dictionary(groupIdArb.map(String), fc.constantFrom('online', 'online_for_queue', 'offline'), { maxKeys: 4, noNullPrototype: true })
    .map((groups_status) => ({ groups_status })),
}

/** A response frame: success with a realistic payload for the action, or an error. */
export const responseFrameArb: fc.Arbitrary<ResponseFrame> = fc.tuple(actionArb, fc.option(requestIdArb, { nil: undefined })).chain(
  ([action, requestId]) =>
    fc.oneof(
      (responsePayloadArbs[action] ?? fc.constant({})).map((payload) => responseFrame(action, payload, requestId) as ResponseFrame),
      wireErrorArb.map((error) => errorFrame(action, error, requestId) as ResponseFrame),
    ),
)

export const serverFrameArb: fc.Arbitrary<ResponseFrame | PushFrame> = fc.oneof(responseFrameArb, pushFrameArb)

// ---------------------------------------------------------------- malformed input (fuzzing)

/**
 * An independent statement of what a well-formed request frame is (customer-rtm §3.1):
 * a JSON object with a non-empty string `action`, and string `request_id`/`version` and
 * object `payload` when present.
 */
export const isWellFormedRequestText = (text: string): boolean => {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return false
  }
  return (
    isObject(value) &&
    typeof value.action === 'string' &&
    value.action.length > 0 &&
    (value.request_id === undefined || typeof value.request_id === 'string') &&
    (value.version === undefined || typeof value.version === 'string') &&
    (value.payload === undefined || isObject(value.payload))
  )
}

const notAString = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 2 }), fc.constant({}))
const notAnObject = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.string({ maxLength: 8 }), fc.array(jsonValueArb, { maxLength: 2 }))

const wrongTypedFrameArb: fc.Arbitrary<string> = fc
  .tuple(requestFrameArb, fc.constantFrom('action', 'request_id', 'version', 'payload'), notAString, notAnObject, fc.boolean())
  .map(([frame, field, badScalar, badObject, remove]) => {
    const value: Record<string, unknown> = { ...frame }
    if (field === 'action' && remove) delete value.action
    else if (field === 'action') value.action = remove ? '' : badScalar
    else value[field] = field === 'payload' ? badObject : badScalar
    return JSON.stringify(value)
  })

const nonObjectJsonArb: fc.Arbitrary<string> = fc
  .oneof(fc.string(), fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(jsonValueArb, { maxLength: 3 }))
  .map((v) => JSON.stringify(v))

const objectWithoutActionArb: fc.Arbitrary<string> = genericPayloadArb
  .filter((o) => !('action' in o))
  .map((o) => JSON.stringify(o))

const truncatedArb: fc.Arbitrary<string> = requestFrameArb
  .map((f) => encodeFrame(f))
  .chain((text) => fc.integer({ min: 0, max: text.length - 1 }).map((n) => text.slice(0, n)))

const mutatedArb: fc.Arbitrary<string> = fc
  .tuple(requestFrameArb.map((f) => encodeFrame(f)), fc.nat(), fc.nat({ max: 8 }), fc.string({ unit: 'binary', maxLength: 3 }))
  .map(([text, at, remove, insert]) => {
    const i = at % (text.length + 1)
    return text.slice(0, i) + insert + text.slice(i + remove)
  })

const randomTextArb: fc.Arbitrary<string> = fc.string({ unit: 'binary', maxLength: 80 })

/**
 * Text a server may receive that is not a well-formed request frame: random JSON
 * values, objects without `action`, wrong-typed fields, truncated or mutated JSON
 * text, random strings. Every value fails `isWellFormedRequestText`.
 */
export const malformedFrameArb: fc.Arbitrary<string> = fc
  .oneof(nonObjectJsonArb, objectWithoutActionArb, wrongTypedFrameArb, truncatedArb, mutatedArb, randomTextArb)
  .filter((text) => !isWellFormedRequestText(text))
