#!/usr/bin/env node
/**
 * `rapport`: the command line of @rapport/node. `rapport chat --server <url> --org <id>`
 * chats as a customer in the terminal (see terminalChat.ts); `rapport --help` prints the
 * usage. Exit codes: 0 when the user leaves, 1 when the server ends the session, 2 for
 * a wrong command line.
 */
import { USAGE, parseCommand } from './args'
import { startTerminalChat } from './terminalChat'

const command = parseCommand(process.argv.slice(2))
if (command.type === 'help') {
  process.stdout.write(USAGE)
} else if (command.type === 'error') {
  process.stderr.write(`rapport: ${command.message}\nRun 'rapport --help' for the usage.\n`)
  process.exitCode = 2
} else {
  const chat = startTerminalChat(command.options, { input: process.stdin, output: process.stdout })
  // Ctrl-C on a TTY reaches readline as a key; these are the signals from elsewhere
  process.on('SIGINT', () => chat.stop(0))
  process.on('SIGTERM', () => chat.stop(0))
  // the client is destroyed and the terminal restored by then; nothing left is worth waiting for
  chat.done.then((code) => process.exit(code))
}
