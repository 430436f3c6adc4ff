/**
 * The terminal chat (`rapport chat`, @rapport/node's bin) driven as a user drives it: in a
 * pseudo-terminal (a tmux pane of its own tmux server; tmux is required: `.ci/run`
 * installs it, and without it these tests fail saying so), and through pipes, against the local server started in-process,
 * with the default bot answering through the agent client. The tests type into the pane
 * and read the screen back (`capture-pane`).
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { AgentClient } from '@rapport/core'
import { createAgentClient } from '@rapport/node'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { type TestServer, startTestServer } from '@rapport/testing/server'

const hasTmux = ((): boolean => {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})()

/** The pseudo-terminal tests need tmux: fail with the fix rather than skip. */
const requireTmux = (): void => {
  if (!hasTmux) throw new Error('these tests drive the CLI in a tmux pane: install tmux (apt-get install -y tmux)')
}

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url))
const CLI = join(ROOT, 'packages/node/src/cli/main.ts')
const BOT_ID = 'bot@rapport.local'

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))
const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
/** One's own line, confirmed: in place (`✓`), or by a line below when others came in between. */
const sentLine = (text: string): RegExp => new RegExp(`You: ${escape(text)} (✓|· pending[\\s\\S]*✓ sent: ${escape(text)})`)
const quote = (arg: string): string => `'${arg.replaceAll("'", `'\\''`)}'`

let panes = 0

/** One tmux server (its own socket, in a folder of its own) with one pane running the CLI. */
const openPane = (args: string[]) => {
  const folder = mkdtempSync(join(tmpdir(), `rapport-tmux-${++panes}-`))
  const socket = join(folder, 'socket')
  const tmux = (...rest: string[]): string => execFileSync('tmux', ['-S', socket, '-f', '/dev/null', ...rest], { encoding: 'utf8' })
  // the shell prints the CLI's exit status (tmux learns it some time after the pane is dead),
  // and the terminal's line discipline after it: `icanon echo` when the CLI gave it back
  const cli = ['node', '--conditions=@rapport/source', '--import', 'tsx', CLI, ...args].map(quote).join(' ')
  const command = `${cli}; status=$?; echo "[rapport exited: $status] [terminal: $(stty -a | tr ' ' '\\n' | grep -xE -- '-?(icanon|echo)' | tr '\\n' ' ')]"`
  // the pane stays after the shell exits, so that the screen can still be read
  tmux('new-session', '-d', '-s', 'chat', '-x', '100', '-y', '40', '-c', ROOT, command, ';', 'set-option', '-t', 'chat', 'remain-on-exit', 'on')
  const screen = (): string => tmux('capture-pane', '-p', '-t', 'chat')
  return {
    screen,
    type: (text: string): void => void tmux('send-keys', '-t', 'chat', '-l', text),
    press: (...keys: string[]): void => void tmux('send-keys', '-t', 'chat', ...keys),
    /** Waits until the screen matches; fails with the screen when it does not in time. */
    async waitFor(pattern: RegExp, ms = 15_000): Promise<string> {
      const deadline = Date.now() + ms
      for (;;) {
        const text = screen()
        if (pattern.test(text)) return text
        if (Date.now() > deadline) throw new Error(`the screen never showed ${pattern}:\n${text}`)
        await sleep(100)
      }
    },
    /** Waits for the CLI to exit; resolves with its status (`null` if it still runs after `ms`). */
    async exited(ms = 10_000): Promise<number | null> {
      const exit = /\[rapport exited: (\d+)\]/
      for (const deadline = Date.now() + ms; Date.now() < deadline; await sleep(50)) {
        const found = exit.exec(screen())
        if (found) return Number(found[1])
      }
      return null
    },
    close(): void {
      try {
        execFileSync('tmux', ['-S', socket, 'kill-server'], { stdio: 'ignore' })
      } catch {
        // already gone
      }
      rmSync(folder, { recursive: true, force: true })
    },
  }
}
type Pane = ReturnType<typeof openPane>

describe('rapport chat', () => {
  const organizationId = 'cli-org'
  let server: TestServer
  let agent: AgentClient
  let folder: string
  const heard: Array<{ chatId: string; text: string }> = []
  let pane: Pane | undefined

  beforeAll(async () => {
    server = await startTestServer()
    folder = mkdtempSync(join(tmpdir(), 'rapport-cli-'))
    agent = createAgentClient({
      organizationId,
      accessToken: server.admin.issueAgentToken(BOT_ID, organizationId).access_token,
      serverUrl: server.url,
      routingStatus: 'accepting_chats',
    })
    agent.on('incoming_event', ({ chatId, event }) => {
      if (event.type === 'message' && event.authorId !== BOT_ID) heard.push({ chatId, text: event.text })
    })
    await agent.whenStatus('connected')
  })
  afterEach(() => {
    pane?.close()
    pane = undefined
  })
  afterAll(async () => {
    agent?.destroy()
    await server?.stop()
    rmSync(folder, { recursive: true, force: true })
  })

  const heardText = async (text: string): Promise<string> => {
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; await sleep(50)) {
      const found = heard.find((h) => h.text === text)
      if (found) return found.chatId
    }
    throw new Error(`the bot never heard ${JSON.stringify(text)}`)
  }

  const chat = (...extra: string[]): Pane => {
    pane = openPane(['chat', '--server', server.url, '--org', organizationId, '--name', 'Ada', '--storage', join(folder, 'ada.json'), ...extra])
    return pane
  }

  it('in a terminal (tmux): chats, own lines pending then sent, the bot typing and its reply live, reconnects, Ctrl-C exits 0', async () => {
    requireTmux()
    const cli = chat()
    await cli.waitFor(/connected to .* as Ada/)
    await cli.waitFor(/no earlier chat/)

    cli.type('hello, is anyone there?')
    cli.press('Enter')
    // the typed line becomes the conversation's own line, pending then confirmed (in place,
    // or below when something came in between: here the bot joining)
    await cli.waitFor(sentLine('hello, is anyone there?'))
    expect(cli.screen()).not.toMatch(/> hello, is anyone there/)
    const chatId = await heardText('hello, is anyone there?')

    await agent.sendTypingIndicator({ chatId, isTyping: true })
    await cli.waitFor(/\(Rapport Bot is typing…\) >/)
    await agent.sendEvent({ chatId, event: { type: 'message', text: 'Hi Ada, how can I help?' } })
    const replied = await cli.waitFor(/Rapport Bot: Hi Ada, how can I help\?/)
    // the reply ends the typing
    expect(replied).not.toMatch(/is typing/)

    // the server goes away: the status line says so; a line typed meanwhile waits as pending
    await server.pause()
    await cli.waitFor(/connection lost.*reconnecting…/)
    await cli.waitFor(/\(reconnecting…\) >/)
    cli.type('still here')
    cli.press('Enter')
    await cli.waitFor(/You: still here · pending/)
    await sleep(300)
    expect(cli.screen()).toMatch(/You: still here · pending/)
    // back: the status line goes, and the pending line is sent
    await server.start()
    const back = await cli.waitFor(/-- connected again/, 30_000)
    await cli.waitFor(sentLine('still here'))
    // in the chat as the agent reads it (the agent may have been away when it came in)
    await agent.whenStatus('connected')
    const texts = (await agent.getChat({ chatId })).thread?.events.map((event) => (event.type === 'message' ? event.text : ''))
    expect(texts).toEqual(['hello, is anyone there?', 'Hi Ada, how can I help?', 'still here'])
    // the prompt has no status any more
    const promptLine = (screen: string): string | undefined => screen.split('\n').filter((line) => /^(\(.*\) )?> ?/.test(line)).pop()
    expect(promptLine(back)).toMatch(/^> ?$/)

    cli.press('C-c')
    await cli.waitFor(/-- bye/)
    expect(await cli.exited()).toBe(0)
    // the terminal is given back in canonical mode with echo
    expect(cli.screen()).toMatch(/\[terminal: icanon echo \]/)
  }, 90_000)

  it('in a terminal (tmux): shows the last chat on start (same identity from --storage), and leaves on /quit', async () => {
    requireTmux()
    const cli = chat()
    const screen = await cli.waitFor(/your last chat:[\s\S]*still here/)
    const lines = screen.split('\n')
    const at = (pattern: RegExp): number => lines.findIndex((line) => pattern.test(line))
    // the history, in order, with the bot's name
    expect(at(/You: hello, is anyone there\?/)).toBeGreaterThan(at(/your last chat:/))
    expect(at(/Rapport Bot: Hi Ada, how can I help\?/)).toBeGreaterThan(at(/You: hello, is anyone there\?/))
    expect(at(/You: still here/)).toBeGreaterThan(at(/Rapport Bot: Hi Ada/))
    expect(lines.filter((line) => /Hi Ada, how can I help/.test(line))).toHaveLength(1)
    cli.type('/quit')
    cli.press('Enter')
    await cli.waitFor(/-- bye/)
    expect(await cli.exited()).toBe(0)
  }, 60_000)

  it('writes plain lines, one per change, when not in a terminal; ends with its input', async () => {
    const child = spawn('node', ['--conditions=@rapport/source', '--import', 'tsx', CLI, 'chat', '--server', server.url, '--org', organizationId, '--name', 'Pipe'], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'inherit'],
    })
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => void (out += chunk.toString()))
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    const until = async (pattern: RegExp): Promise<void> => {
      for (const deadline = Date.now() + 15_000; !pattern.test(out); await sleep(50))
        if (Date.now() > deadline) throw new Error(`the output never showed ${pattern}:\n${out}`)
    }
    try {
      await until(/no earlier chat/)
      child.stdin.write('hello from a pipe\n')
      await until(/✓ sent: hello from a pipe/)
      const chatId = await heardText('hello from a pipe')
      await agent.sendTypingIndicator({ chatId, isTyping: true })
      await until(/-- Rapport Bot is typing…/)
      await agent.sendEvent({ chatId, event: { type: 'message', text: 'Hello, pipe' } })
      await until(/Rapport Bot: Hello, pipe/)
      child.stdin.end()
      expect(await exited).toBe(0)
    } finally {
      child.kill()
    }
    expect(out).not.toMatch(/\x1b/)
    const lines = out.trim().split('\n').map((line) => line.replace(/^\d\d:\d\d /, 'HH:MM '))
    expect(lines.slice(1)).toEqual([
      `-- connected to ${server.url} as Pipe`,
      '-- no earlier chat: type a message to start one',
      'HH:MM You: hello from a pipe · pending',
      '-- Rapport Bot joined the chat',
      '      ✓ sent: hello from a pipe',
      '-- Rapport Bot is typing…',
      'HH:MM Rapport Bot: Hello, pipe',
      '-- bye',
    ])
  }, 60_000)

  it('sends what was piped in before it connected, then exits 0 at the end of its input', async () => {
    // not spawnSync: the server runs in this process
    const child = spawn('node', ['--conditions=@rapport/source', '--import', 'tsx', CLI, 'chat', '--server', server.url, '--org', organizationId], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'inherit'],
    })
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => void (out += chunk.toString()))
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    child.stdin.end('one line from a script\n')
    expect(await exited).toBe(0)
    expect(out).toMatch(/You: one line from a script · pending[\s\S]*✓ sent: one line from a script[\s\S]*-- bye/)
    await heardText('one line from a script')
  }, 60_000)

  it('prints the usage on --help (status 0) and refuses a wrong command line (status 2)', () => {
    const run = (...args: string[]) => spawnSync('node', ['--conditions=@rapport/source', '--import', 'tsx', CLI, ...args], { cwd: ROOT, encoding: 'utf8' })
    const help = run('--help')
    expect(help.status).toBe(0)
    expect(help.stdout).toMatch(/^Usage: rapport chat --server <url> --org <organizationId>/)
    const wrong = run('chat', '--org', organizationId)
    expect(wrong.status).toBe(2)
    expect(wrong.stderr).toMatch(/^rapport: Missing --server <url>\nRun 'rapport --help'/)
    expect(wrong.stdout).toBe('')
  }, 30_000)
})
