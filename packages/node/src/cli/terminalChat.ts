/**
 * The terminal chat: a customer client of `@rapport/node` driven from a readline prompt.
 *
 * On the first login it shows the customer's last chat (its newest page of history),
 * then every event as it arrives; the customer's own lines show `· pending` until the
 * server confirms them (`✓`). Others typing and a lost connection show in the prompt
 * (`(Bot is typing…) > `, `(reconnecting…) > `); losing and regaining the connection
 * also print a line. Ctrl-C, Ctrl-D and `/quit` destroy the client, give the terminal
 * back and resolve `done` with 0.
 *
 * On a TTY the prompt stays below the conversation and lines are coloured (unless
 * NO_COLOR is set); otherwise (a pipe, a log) every change is a plain line of its own.
 */
import { randomUUID } from 'node:crypto'
import * as readline from 'node:readline'
import type { CustomerClient, CustomerClientConfig } from '@rapport/core'
import type { ChatEvent, ChatUser } from '@rapport/protocol'
import { createCustomerClient } from '../clients'
import { createFileStorage } from '../fileStorage'
import { createNodeEnv } from '../nodeEnv'
import type { ChatOptions } from './args'
import { type Style, colourStyle, formatEvent, plainStyle, typingText, visibleLength } from './format'

export interface TerminalIo {
  input: NodeJS.ReadableStream & { isTTY?: boolean }
  output: NodeJS.WritableStream & { isTTY?: boolean; columns?: number }
  /** Colours on a TTY; `false` to never colour. Default: a TTY and no `NO_COLOR`. */
  colour?: boolean
}

export interface TerminalChat {
  /** Resolves with the exit code once the chat has ended (0: the user left). */
  readonly done: Promise<number>
  /** Ends the chat as Ctrl-C does. */
  stop(code?: number): void
}

const errorText = (error: unknown): string => {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : error instanceof Error ? error.message : String(error)
}

/** The client the chat runs, from the command line's options. */
export const chatClientConfig = (options: ChatOptions): CustomerClientConfig => ({
  organizationId: options.organizationId,
  clientId: options.clientId,
  serverUrl: options.serverUrl,
  ...(options.groupId !== undefined && { groupId: options.groupId }),
  customerDataProvider: () => ({
    ...(options.name !== undefined && { name: options.name }),
    ...(options.email !== undefined && { email: options.email }),
  }),
  environment: createNodeEnv(options.storagePath !== undefined ? { storage: createFileStorage(options.storagePath) } : {}),
})

export const startTerminalChat = (
  options: ChatOptions,
  io: TerminalIo,
  createClient: (config: CustomerClientConfig) => CustomerClient = createCustomerClient,
): TerminalChat => {
  const { input, output } = io
  const terminal = Boolean(input.isTTY && output.isTTY)
  const style: Style = (io.colour ?? (output.isTTY === true && !process.env.NO_COLOR)) ? colourStyle : plainStyle
  const rl = readline.createInterface({ input, output, terminal, prompt: '> ' })

  let ended = false
  let resolveDone: (code: number) => void = () => {}
  const done = new Promise<number>((resolve) => (resolveDone = resolve))

  // ------------------------------------------------------------ screen
  /** Lines printed so far: a pending line is rewritten in place only while it is the last. */
  let printedLines = 0
  const redrawPrompt = (): void => {
    if (terminal && !ended) rl.prompt(true)
  }
  const clearPromptLine = (): void => {
    if (!terminal) return
    readline.cursorTo(output, 0)
    readline.clearLine(output, 0)
  }
  const print = (...lines: string[]): void => {
    clearPromptLine()
    for (const line of lines) output.write(`${line}\n`)
    printedLines += lines.length
    redrawPrompt()
  }
  const notice = (text: string): void => print(style.dim(`-- ${text}`))

  let statusText: string | null = null
  const setStatus = (text: string | null): void => {
    if (text === statusText) return
    statusText = text
    if (!terminal) return
    rl.setPrompt(text === null ? '> ' : `${style.warn(`(${text})`)} > `)
    clearPromptLine()
    redrawPrompt()
  }

  // ------------------------------------------------------------ the client
  const client = createClient(chatClientConfig(options))
  const names = new Map<string, string>()
  const learnUsers = (users: readonly ChatUser[]): void => {
    for (const user of users) if (user.name) names.set(user.id, user.name)
  }
  const speaker = {
    isMe: (authorId: string) => authorId === client.state.getSnapshot().customerId,
    nameOf: (authorId: string) => names.get(authorId) ?? client.state.getSnapshot().users[authorId]?.name ?? authorId,
  }

  /** The chat the customer talks in: the last one, or the one started by the first line. */
  let chat: { id: string; active: boolean } | null = null
  const shown = new Set<string>()
  /** Custom ids of the lines typed here: their events are shown by `send`, not by the push. */
  const ownCustomIds = new Set<string>()
  let historyShown = false
  let historyDone: () => void = () => {}
  /** Settles once the last chat is known (or known to be none): a first line waits for it, not to start a second chat. */
  const historyReady = new Promise<void>((resolve) => (historyDone = resolve))
  const backlog: Array<{ chatId: string; event: ChatEvent }> = []

  const typing = new Map<string, string>()
  let offline = false
  const refreshStatus = (): void => setStatus(offline ? 'reconnecting…' : typingText([...typing.values()]))

  const showEvent = (chatId: string, event: ChatEvent): void => {
    if (!historyShown) {
      backlog.push({ chatId, event })
      return
    }
    if (shown.has(event.id)) return
    shown.add(event.id)
    if (chat === null || chat.id !== chatId) chat = { id: chatId, active: true }
    if (typing.delete(event.authorId)) refreshStatus()
    if (event.customId !== undefined && ownCustomIds.has(event.customId)) return
    print(...formatEvent(event, speaker, style))
  }

  const showHistory = async (): Promise<void> => {
    try {
      const { chatsSummary, users } = await client.listChats({ limit: 1 })
      learnUsers(users)
      const last = chatsSummary[0]
      if (!last) {
        notice('no earlier chat: type a message to start one')
        return
      }
      learnUsers(last.users)
      chat = { id: last.id, active: last.active }
      const page = await client.getChatHistory({ chatId: last.id }).next()
      const events = (page.value?.threads ?? []).flatMap((thread) => thread.events)
      notice(events.length === 0 ? 'your last chat is empty' : 'your last chat:')
      for (const event of events) {
        shown.add(event.id)
        print(...formatEvent(event, speaker, style))
      }
      if (!last.active) notice('that chat is closed: type a message to start it again')
    } catch (error) {
      notice(`could not load your last chat (${errorText(error)})`)
    } finally {
      historyShown = true
      for (const { chatId, event } of backlog.splice(0)) showEvent(chatId, event)
      historyDone()
    }
  }

  let everConnected = false
  let lastStatus: string = client.status
  const onConnection = (): void => {
    if (ended) return
    const { status, reason } = client.connection.getSnapshot()
    if (status === lastStatus) return
    lastStatus = status
    if (status === 'connected') {
      if (!everConnected) {
        everConnected = true
        notice(`connected to ${options.serverUrl}${options.name ? ` as ${options.name}` : ''}`)
        void showHistory()
      } else if (offline) notice('connected again')
      offline = false
      refreshStatus()
    } else if (status === 'reconnecting') {
      if (!offline) notice(everConnected ? `connection lost${reason ? ` (${reason})` : ''}: reconnecting…` : `cannot reach ${options.serverUrl}: retrying…`)
      offline = true
      typing.clear()
      refreshStatus()
    } else if (status === 'paused' || status === 'destroyed') {
      notice(`disconnected${reason ? ` (${reason})` : ''}`)
      stop(1)
    }
  }
  const unsubscribeConnection = client.connection.subscribe(onConnection)

  client.on('incoming_event', ({ chatId, event }) => showEvent(chatId, event))
  client.on('incoming_chat', ({ chat: incoming }) => {
    learnUsers(incoming.users)
    chat = { id: incoming.id, active: incoming.thread?.active ?? true }
    for (const event of incoming.thread?.events ?? []) showEvent(incoming.id, event)
  })
  client.on('user_added_to_chat', ({ user }) => {
    learnUsers([user])
    if (user.type === 'agent' && historyShown) notice(`${user.name} joined the chat`)
  })
  client.on('chat_deactivated', ({ chatId }) => {
    if (chat?.id !== chatId) return
    chat.active = false
    typing.clear()
    refreshStatus()
    notice('the chat was closed: type a message to start it again')
  })
  client.on('incoming_typing_indicator', ({ chatId, typingIndicator: { authorId, isTyping } }) => {
    if (chat?.id !== chatId || speaker.isMe(authorId)) return
    const had = typing.has(authorId)
    if (isTyping) typing.set(authorId, speaker.nameOf(authorId))
    else typing.delete(authorId)
    if (!terminal && isTyping && !had) notice(`${speaker.nameOf(authorId)} is typing…`)
    refreshStatus()
  })

  // ------------------------------------------------------------ sending
  const ensureChat = async (): Promise<string> => {
    // sendEvent waits in the outbox while offline; starting a chat needs the connection
    await historyReady
    if (chat?.active) return chat.id
    await client.whenStatus('connected')
    if (chat) {
      await client.resumeChat({ chat: { id: chat.id } })
      chat.active = true
      return chat.id
    }
    const started = await client.startChat()
    chat = { id: started.chat.id, active: true }
    return chat.id
  }

  /** Lines are sent one after the other, in the order typed. */
  let sending: Promise<void> = Promise.resolve()
  const send = (text: string): void => {
    const customId = `rapport_cli_${randomUUID()}`
    ownCustomIds.add(customId)
    const lines = formatEvent(
      { id: customId, customId, type: 'message', text, authorId: '', createdAt: new Date().toISOString(), threadId: null, properties: {} },
      { ...speaker, isMe: () => true },
      style,
    )
    print(...lines.map((line, i) => (i === 0 ? `${line} ${style.dim('· pending')}` : line)))
    const at = printedLines
    const settle = (mark: string, fallback: string): void => {
      const first = `${lines[0]} ${mark}`
      const columns = output.columns ?? 80
      // rewrite in place while nothing was printed below it and it fits on one row
      if (terminal && !ended && printedLines === at && lines.length === 1 && visibleLength(first) < columns) {
        clearPromptLine()
        readline.moveCursor(output, 0, -1)
        readline.clearLine(output, 0)
        output.write(`${first}\n`)
        redrawPrompt()
      } else print(fallback)
    }
    const short = text.length > 40 ? `${text.slice(0, 39)}…` : text
    sending = sending.then(async () => {
      try {
        const chatId = await ensureChat()
        const event = await client.sendEvent({ chatId, event: { type: 'message', text, customId } })
        shown.add(event.id)
        settle(style.dim('✓'), style.dim(`      ✓ sent: ${short}`))
      } catch (error) {
        if (ended) return
        settle(style.warn(`✗ not sent (${errorText(error)})`), style.warn(`      ✗ not sent (${errorText(error)}): ${short}`))
      }
    })
  }

  // ------------------------------------------------------------ input and the end
  const stop = (code = 0): void => {
    if (ended) return
    ended = true
    unsubscribeConnection()
    client.destroy()
    clearPromptLine()
    output.write(style.dim('-- bye\n'))
    rl.close()
    resolveDone(code)
  }

  rl.on('line', (line) => {
    if (terminal) {
      // the typed line is shown as the conversation's own line instead
      const rows = Math.max(1, Math.ceil(visibleLength(rl.getPrompt() + line) / (output.columns ?? 80)))
      readline.moveCursor(output, 0, -rows)
      readline.clearScreenDown(output)
    }
    const text = line.trim()
    if (text === '/quit' || text === '/exit') return stop(0)
    if (text === '/help') return notice('type a message and press Enter to send it; /quit, Ctrl-D or Ctrl-C to leave')
    if (text.length > 0) send(line)
    else redrawPrompt()
  })
  rl.on('SIGINT', () => stop(0))
  // the end of the input (Ctrl-D, or the end of a pipe): lines typed before it are sent
  // first; if they cannot be within 10 s, the chat ends with 1
  rl.on('close', () => {
    if (ended) return
    const timer = setTimeout(() => {
      notice('the last lines could not be sent in 10 s')
      stop(1)
    }, 10_000)
    void sending.then(() => {
      clearTimeout(timer)
      stop(0)
    })
  })

  notice(`connecting to ${options.serverUrl} (organization ${options.organizationId})…`)
  return { done, stop }
}
