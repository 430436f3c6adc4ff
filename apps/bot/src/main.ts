import { startEchoBot } from './echoBot'

// Runs the bot against a running server: SERVER_URL, ORGANIZATION_ID, BOT_TOKEN.
const bot = startEchoBot({
  serverUrl: process.env.SERVER_URL ?? 'http://127.0.0.1:8080',
  organizationId: process.env.ORGANIZATION_ID ?? 'rapport-demo',
  accessToken: process.env.BOT_TOKEN ?? 'rapport-bot-token',
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
