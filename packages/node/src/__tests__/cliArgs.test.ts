import { describe, expect, it } from 'vitest'
import { USAGE, parseCommand } from '../cli/args'

describe('rapport command line', () => {
  it('asks for help on --help, -h or nothing', () => {
    expect(parseCommand(['--help'])).toEqual({ type: 'help' })
    expect(parseCommand(['chat', '-h'])).toEqual({ type: 'help' })
    expect(parseCommand([])).toEqual({ type: 'help' })
    expect(USAGE).toMatch(/^Usage: rapport chat --server <url> --org <organizationId>/)
  })

  it('reads the chat options, with the defaults', () => {
    expect(parseCommand(['chat', '--server', 'http://127.0.0.1:8080/', '--org', 'org-1'])).toEqual({
      type: 'chat',
      options: { serverUrl: 'http://127.0.0.1:8080', organizationId: 'org-1', clientId: 'rapport-cli' },
    })
    expect(
      parseCommand(['chat', '--server=https://chat.example', '--org=o', '--name', 'Ada Lovelace', '--email', 'ada@example.com', '--storage', '/tmp/ada.json', '--group', '2', '--client-id', 'c']),
    ).toEqual({
      type: 'chat',
      options: { serverUrl: 'https://chat.example', organizationId: 'o', clientId: 'c', name: 'Ada Lovelace', email: 'ada@example.com', storagePath: '/tmp/ada.json', groupId: 2 },
    })
  })

  it.each([
    [['chat', '--org', 'o'], /Missing --server/],
    [['chat', '--server', 'http://h'], /Missing --org/],
    [['chat', '--server', 'ftp://h', '--org', 'o'], /--server must be an http\(s\) URL/],
    [['chat', '--server', 'localhost:8080', '--org', 'o'], /--server must be an http\(s\) URL/],
    [['chat', '--server', 'http://h', '--org', 'o', '--group', 'sales'], /--group must be a group number/],
    [['talk'], /Unknown command 'talk'/],
    [['chat', 'now', '--server', 'http://h', '--org', 'o'], /Unexpected argument 'now'/],
    [['chat', '--verbose'], /Unknown option '--verbose'/],
    [['chat', '--server'], /argument missing/],
  ])('refuses %j', (args, message) => {
    const command = parseCommand(args)
    expect(command.type).toBe('error')
    if (command.type === 'error') expect(command.message).toMatch(message)
  })
})
