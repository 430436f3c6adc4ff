/**
 * The command line of `rapport`, parsed with `node:util`'s `parseArgs`: one command,
 * `chat`, and `--help`. Pure: it reads the arguments it is given and returns what to do.
 */
import { parseArgs } from 'node:util'

export interface ChatOptions {
  /** Origin of a server speaking the Customer Chat API (the local server), e.g. `http://127.0.0.1:8080`. */
  serverUrl: string
  organizationId: string
  clientId: string
  name?: string
  email?: string
  /** A JSON file keeping the customer's identity across runs; memory (a new customer each run) when absent. */
  storagePath?: string
  groupId?: number
}

export type Command = { type: 'help' } | { type: 'chat'; options: ChatOptions } | { type: 'error'; message: string }

export const USAGE = `Usage: rapport chat --server <url> --org <organizationId> [options]

Chat as a customer in the terminal.

Options:
  --server <url>      origin of the server, e.g. http://127.0.0.1:8080 (the local server)
  --org <id>          organization id
  --name <name>       your name, shown to agents
  --email <email>     your email
  --storage <file>    keep your identity in this JSON file, to continue your chat next time
                      (without it every run is a new customer)
  --group <n>         the group to chat with
  --client-id <id>    the client id sent to the server (default: rapport-cli)
  -h, --help          show this help

In the chat: type a line and press Enter to send it; /quit, Ctrl-D or Ctrl-C to leave.
`

const OPTIONS = {
  server: { type: 'string' },
  org: { type: 'string' },
  name: { type: 'string' },
  email: { type: 'string' },
  storage: { type: 'string' },
  group: { type: 'string' },
  'client-id': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const

const isHttpUrl = (text: string): boolean => {
  try {
    const url = new URL(text)
    return url.protocol === 'http:' || url.protocol === 'https:'
  } catch {
    return false
  }
}

/** What the arguments (without `node` and the script) ask for. */
export const parseCommand = (args: readonly string[]): Command => {
  let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>
  try {
    parsed = parseArgs({ args: [...args], options: OPTIONS, allowPositionals: true, strict: true })
  } catch (error) {
    return { type: 'error', message: error instanceof Error ? error.message : String(error) }
  }
  const { values, positionals } = parsed
  if (values.help || positionals.length === 0) return { type: 'help' }
  const [command, ...rest] = positionals
  if (command !== 'chat') return { type: 'error', message: `Unknown command '${command}'` }
  if (rest.length > 0) return { type: 'error', message: `Unexpected argument '${rest[0]}'` }
  if (values.server === undefined) return { type: 'error', message: 'Missing --server <url>' }
  if (!isHttpUrl(values.server)) return { type: 'error', message: `--server must be an http(s) URL, not '${values.server}'` }
  if (values.org === undefined || values.org === '') return { type: 'error', message: 'Missing --org <organizationId>' }
  let groupId: number | undefined
  if (values.group !== undefined) {
    groupId = Number(values.group)
    if (!Number.isInteger(groupId) || groupId < 0) return { type: 'error', message: `--group must be a group number, not '${values.group}'` }
  }
  return {
    type: 'chat',
    options: {
      serverUrl: values.server.replace(/\/+$/, ''),
      organizationId: values.org,
      clientId: values['client-id'] ?? 'rapport-cli',
      ...(values.name !== undefined && { name: values.name }),
      ...(values.email !== undefined && { email: values.email }),
      ...(values.storage !== undefined && { storagePath: values.storage }),
      ...(groupId !== undefined && { groupId }),
    },
  }
}
