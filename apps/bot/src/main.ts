/**
 * Runs the demo bot against a running server until SIGINT/SIGTERM (then stops gracefully).
 *
 *   SERVER_URL (default http://127.0.0.1:8080), ORGANIZATION_ID (default rapport-demo)
 *   --rtm: the agent WebSocket with BOT_TOKEN (a token the server accepts for the bot)
 *   default: Web API + webhooks, set up with an agent's credential OWNER_ID + OWNER_TOKEN
 *
 * `pnpm demo` starts a server with such credentials for you.
 */
import { type DemoCredentials, SUPPORT_GROUP_ID, startDemoBot } from './startDemoBot'

const rtm = process.argv.includes('--rtm')
const need = (name: string): string => {
  const value = process.env[name]
  if (!value) {
    console.error(`${name} is required (see apps/bot/src/main.ts)`)
    process.exit(1)
  }
  return value
}
const credentials: DemoCredentials = {
  organizationId: process.env.ORGANIZATION_ID ?? 'rapport-demo',
  botToken: rtm ? need('BOT_TOKEN') : '',
  owner: rtm ? { id: '', token: '' } : { id: need('OWNER_ID'), token: need('OWNER_TOKEN') },
  ownerClientId: process.env.CLIENT_ID ?? 'rapport-demo-bot',
  webhookSecret: process.env.WEBHOOK_SECRET ?? crypto.randomUUID(),
  humanGroupId: Number(process.env.HUMAN_GROUP_ID ?? SUPPORT_GROUP_ID),
}
await startDemoBot({ serverUrl: process.env.SERVER_URL ?? 'http://127.0.0.1:8080', transport: rtm ? 'rtm' : 'webhooks', credentials, handleSignals: true })
