import { startEchoBot } from './echoBot'

// Runs the bot against a running server: SERVER_URL, ORGANIZATION_ID, BOT_TOKEN. The token is
// valid in one organization: start the server with the same RAPPORT_BOT_TOKEN and
// RAPPORT_BOT_ORGANIZATION, or get one from its admin API (see apps/server/README.md).
const accessToken = process.env.BOT_TOKEN
if (!accessToken) {
  console.error('BOT_TOKEN is required: the server accepts no built-in bot token (see apps/server/README.md, "Security")')
  process.exit(1)
}
const bot = startEchoBot({
  serverUrl: process.env.SERVER_URL ?? 'http://127.0.0.1:8080',
  organizationId: process.env.ORGANIZATION_ID ?? 'rapport-demo',
  accessToken,
  typingMs: 600,
})
bot.client.on('connected', () => console.log(`bot connected as ${bot.client.profile?.name ?? 'bot'}`))
bot.client.on('disconnected', ({ reason }) => console.log(`bot disconnected: ${reason}`))
const stop = () => {
  bot.stop()
  process.exit(0)
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
