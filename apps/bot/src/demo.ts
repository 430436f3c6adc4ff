/**
 * `pnpm demo` from the project root: the local server (SQLite store in `.data/`), the demo
 * bot, a scripted customer whose chat with the bot is printed in the terminal, then the
 * chat widget on a local page — the URL to open is printed — until Ctrl-C stops it all.
 *
 * `--once`: exits after the transcript, without the widget (a headless check).
 * `PORT` (default 8080) and `DEMO_PORT` (default 8081) choose the server's and the page's
 * ports; a busy one is replaced by a free one, `0` means any.
 */
import { availablePort } from './demo/ports'
import { startLocalServer } from './demo/localServer'
import { runScriptedChat } from './demo/scriptedChat'
import { buildWidgetScript, serveDemoPage } from './demo/widgetPage'
import { demoCredentials, demoServerEnv, startDemoBot } from './startDemoBot'

const ORGANIZATION_ID = 'rapport-demo'
/** The demo bot, started: over Web API + webhooks as on the platform, or the agent WebSocket with `--rtm`. */
const startBot = (serverUrl: string): Promise<{ stop(): Promise<void> }> =>
  startDemoBot({ serverUrl, transport: process.argv.includes('--rtm') ? 'rtm' : 'webhooks' })

const portOf = (value: string | undefined, fallback: number): number => {
  const port = value === undefined || value === '' ? fallback : Number(value)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`not a port: ${value}`)
  return port
}

const banner = (lines: string[]): string => {
  const width = Math.max(...lines.map((line) => line.length))
  const bold = (text: string) => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[22m` : text)
  return [`┌${'─'.repeat(width + 4)}┐`, ...lines.map((line) => `│  ${bold(line.padEnd(width))}  │`), `└${'─'.repeat(width + 4)}┘`].join('\n')
}

/** What is running, stopped last-started first. */
const running: Array<() => unknown> = []
const stopAll = async (): Promise<void> => {
  for (const stop of running.splice(0).reverse()) await stop()
}

/** Resolves on the first Ctrl-C (or SIGTERM); later ones are ignored while the demo stops (at most 10 s). */
const untilSignal = (): Promise<NodeJS.Signals> =>
  new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      if (stopping) return
      stopping = true
      setTimeout(() => {
        console.error('The demo did not stop within 10 s; exiting.')
        process.exit(1)
      }, 10_000).unref()
      resolve(signal)
    }
    let stopping = false
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
  })

const main = async (): Promise<void> => {
  const headless = process.argv.includes('--once')
  const server = await startLocalServer({
    port: await availablePort(portOf(process.env.PORT, 8080)),
    // the demo's credentials: fresh tokens of this run, valid in the demo organization only
    botToken: demoCredentials().botToken,
    organizationId: ORGANIZATION_ID,
    env: demoServerEnv(),
  })
  running.push(server.stop)
  console.log(`Local server: ${server.url} (${server.storage})\n`)
  // built while the scripted chat runs
  const widgetScript = headless ? null : buildWidgetScript()
  widgetScript?.catch(() => {})

  const bot = await startBot(server.url)
  running.push(() => bot.stop())
  await runScriptedChat({ serverUrl: server.url, organizationId: ORGANIZATION_ID })
  if (!widgetScript) return

  const page = await serveDemoPage({
    port: await availablePort(portOf(process.env.DEMO_PORT, 8081)),
    script: await widgetScript,
    serverUrl: server.url,
    organizationId: ORGANIZATION_ID,
  })
  running.push(page.stop)
  console.log(`\n${banner([`Open ${page.url} to chat with the bot in the widget.`, 'Ctrl-C stops the demo.'])}\n`)
  await untilSignal()
  console.log('\nStopping the demo…')
}

main()
  .then(stopAll)
  .then(
    () => process.exit(0),
    async (error: unknown) => {
      console.error(error)
      await stopAll().catch(() => {})
      process.exit(1)
    },
  )
