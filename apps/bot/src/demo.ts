/**
 * The terminal demo: starts the local server, a bot, and a scripted customer that
 * chat through it, and prints the transcript. `pnpm demo` from the project root.
 */
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { once } from 'node:events'
import { createServer as createNetServer } from 'node:net'
import { createInterface } from 'node:readline'
import { nextEvent } from '@rapport/core'
import { createCustomerClient } from '@rapport/node'
import type { ChatEvent } from '@rapport/protocol'
import { startEchoBot } from './echoBot'
import { formatLine } from './transcript'

const SCRIPT = ['Hello!', 'Can you tell me where my order is?', 'Thanks, bye!']
const ORGANIZATION_ID = 'rapport-demo'
/** The bot's token for this run: the server accepts it in the demo organization only. */
const BOT_TOKEN = `demo-bot-${randomBytes(16).toString('hex')}`

const freePort = async (): Promise<number> => {
  const probe = createNetServer().listen(0, '127.0.0.1')
  await once(probe, 'listening')
  const address = probe.address()
  probe.close()
  return typeof address === 'object' && address ? address.port : 8080
}

const startServer = async (port: number) => {
  const child = spawn('pnpm', ['--silent', '--filter', '@rapport/server', 'start'], {
    env: { ...process.env, PORT: String(port), RAPPORT_BOT_TOKEN: BOT_TOKEN, RAPPORT_BOT_ORGANIZATION: ORGANIZATION_ID },
    stdio: ['ignore', 'pipe', 'inherit'],
    // its own process group, so that stopping it stops pnpm's children too
    detached: true,
  })
  const lines = createInterface({ input: child.stdout })
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the server exited with code ${code}`)))
    lines.on('line', (line) => {
      const match = /listening on (\S+)/.exec(line)
      if (match?.[1]) resolve(match[1])
    })
  })
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.pid === undefined) return
    const exited = once(child, 'exit')
    process.kill(-child.pid, 'SIGTERM')
    await exited
  }
  process.once('exit', () => {
    if (child.exitCode === null && child.pid !== undefined) process.kill(-child.pid, 'SIGTERM')
  })
  return { url, stop }
}

const main = async (): Promise<void> => {
  const port = process.env.PORT ? Number(process.env.PORT) : await freePort()
  const server = await startServer(port)
  console.log(`Local server: ${server.url}\n`)
  const bot = startEchoBot({ serverUrl: server.url, organizationId: ORGANIZATION_ID, accessToken: BOT_TOKEN, typingMs: 400 })
  await bot.client.whenStatus('connected')

  const customer = createCustomerClient({ organizationId: ORGANIZATION_ID, clientId: 'rapport-demo', serverUrl: server.url })
  const printed = new Set<string>()
  const print = (event: ChatEvent) => {
    if (printed.has(event.id)) return
    printed.add(event.id)
    console.log(formatLine(event, customer.state.getSnapshot().users))
  }
  customer.on('incoming_event', ({ event }) => print(event))
  customer.on('connected', ({ customer: me }) => console.log(`Customer ${me.id} connected\n`))
  await customer.whenStatus('connected')

  const agentReply = () => nextEvent(customer, 'incoming_event')
  const [first, ...rest] = SCRIPT
  const reply = agentReply()
  const { chat } = await customer.startChat({ chat: { thread: { events: [{ type: 'message', text: first as string }] } } })
  for (const event of chat.thread?.events ?? []) print(event)
  await reply
  for (const text of rest) {
    const answer = agentReply()
    print(await customer.sendEvent({ chatId: chat.id, event: { type: 'message', text } }))
    await answer
  }
  const closed = nextEvent(customer, 'chat_deactivated')
  await customer.deactivateChat({ id: chat.id })
  await closed
  console.log('\nChat closed. Transcript complete.')

  customer.destroy()
  bot.stop()
  await server.stop()
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error)
    process.exit(1)
  },
)
