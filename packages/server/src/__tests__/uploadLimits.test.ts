/**
 * Upload findings: a name with a trailing space or dot (`payload.hta `, `evil.exe.`)
 * passed the executable check and was stored trimmed; a file of exactly 10 MiB was refused
 * although the SDK and the documentation allow it; a customer could upload without limit
 * (12 × 9.5 MB in 2.6 s).
 */
import { LIMITS } from '@rapport/protocol'
import { describe, expect, it } from 'vitest'
import { normalizeUploadName } from '../domain/files'
import { chatWithBot } from './helpers/flows'
import { ORG, startServer } from './helpers/harness'

interface UploadAnswer {
  status: number
  body: { url?: string; error?: { type: string } }
}

const upload = async (origin: string, token: string, name: string, data: Blob | string = 'hello'): Promise<UploadAnswer> => {
  const form = new FormData()
  form.append('file', typeof data === 'string' ? new Blob([data]) : data, name)
  const response = await fetch(`${origin}/v3.6/customer/action/upload_file?organization_id=${ORG}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}` },
    body: form,
  })
  return { status: response.status, body: (await response.json()) as UploadAnswer['body'] }
}

/** The stored name: the last path segment of the file URL. */
const storedName = (answer: UploadAnswer): string => decodeURIComponent(answer.body.url?.split('/').pop() ?? '')

describe('upload names', () => {
  it('normalizes the name once, before the executable check: trailing spaces and dots do not hide an extension', async () => {
    const h = await startServer()
    const token = (await h.token()).access_token
    for (const name of ['payload.hta ', 'evil.exe.', 'evil.exe. . ', 'setup.EXE  ', 'run.sh\u0000', 'invoice\u202Etxt.exe', '../../bin/tool.bat', 'C:\\temp\\x.cmd.']) {
      expect(await upload(h.server.url, token, name), JSON.stringify(name)).toMatchObject({ status: 400, body: { error: { type: 'validation' } } })
    }
  })

  it('stores and serves the normalized name', async () => {
    const h = await startServer()
    const s = await chatWithBot(h)
    const token = (await h.token(ORG, s.customerId)).access_token
    const expected: Array<[string, string]> = [
      ['report.pdf ', 'report.pdf'],
      ['notes.txt...', 'notes.txt'],
      ['../../etc/passwd.txt', 'passwd.txt'],
      ['..\\..\\boot.ini.txt', 'boot.ini.txt'],
      ['re\u0301sume\u0301.txt', 'r\u00e9sum\u00e9.txt'],
      ['tab\there.txt', 'tabhere.txt'],
      ['a<b>|c?.txt', 'a_b__c_.txt'],
      ['   .hidden.txt', 'hidden.txt'],
      ['\u202Ereversed.txt', 'reversed.txt'],
      ['...', 'file'],
    ]
    for (const [raw, name] of expected) {
      const answer = await upload(h.server.url, token, raw)
      expect(answer.status, JSON.stringify(raw)).toBe(200)
      expect(storedName(answer), JSON.stringify(raw)).toBe(name)
      expect(normalizeUploadName(name)).toBe(name)
    }
    const answer = await upload(h.server.url, token, 'r\u00e9sum\u00e9 final .txt ')
    const served = await fetch(answer.body.url ?? '')
    expect(served.status).toBe(200)
    expect(served.headers.get('content-disposition')).toBe(`attachment; filename="r_sum_ final .txt"; filename*=UTF-8''${encodeURIComponent('r\u00e9sum\u00e9 final .txt')}`)
    // a file event shows the stored name
    await s.customer.ok('send_event', { chat_id: s.chatId, event: { type: 'file', url: answer.body.url } })
    const atBot = await s.bot.push<{ event: { name?: string } }>('incoming_event', (f) => f.payload.event.name !== undefined)
    expect(atBot.payload.event.name).toBe('r\u00e9sum\u00e9 final .txt')
  })

  it('keeps the extension of a name cut to 200 characters', () => {
    const name = normalizeUploadName(`${'a'.repeat(300)}.png`)
    expect(name).toHaveLength(200)
    expect(name.endsWith('.png')).toBe(true)
  })
})

describe('upload size', () => {
  it('accepts exactly 10 MiB and refuses one byte more with 413 entity_too_large', async () => {
    expect(LIMITS.uploadBytes).toBe(10 * 1024 * 1024)
    const h = await startServer()
    const token = (await h.token()).access_token
    const exact = await upload(h.server.url, token, 'exact.dat', new Blob([new Uint8Array(LIMITS.uploadBytes)]))
    expect(exact.status).toBe(200)
    const served = await fetch(exact.body.url ?? '')
    expect(Number(served.headers.get('content-length'))).toBe(LIMITS.uploadBytes)
    await served.arrayBuffer()
    const over = await upload(h.server.url, token, 'over.dat', new Blob([new Uint8Array(LIMITS.uploadBytes + 1)]))
    expect(over).toEqual({ status: 413, body: { error: { type: 'entity_too_large', message: expect.any(String) } } })
  })
})

describe('upload quota per customer', () => {
  it('answers 429 too_many_requests past uploadsPerWindow; another customer keeps its own quota', async () => {
    const h = await startServer({ limits: { uploadsPerWindow: 3 } })
    const a = (await h.token()).access_token
    const b = (await h.token()).access_token
    for (let i = 0; i < 3; i += 1) expect((await upload(h.server.url, a, `f${i}.txt`)).status).toBe(200)
    expect(await upload(h.server.url, a, 'f3.txt')).toMatchObject({ status: 429, body: { error: { type: 'too_many_requests' } } })
    expect((await upload(h.server.url, b, 'g.txt')).status).toBe(200)
  })

  it('answers 429 past uploadBytesPerWindow, counting what was stored; parallel uploads cannot overshoot', async () => {
    const MiB = 1024 * 1024
    // a body's declared length (the multipart framing too) is reserved while it is read
    const h = await startServer({ limits: { uploadBytesPerWindow: 3 * MiB + 16 * 1024 } })
    const token = (await h.token()).access_token
    const file = (): Blob => new Blob([new Uint8Array(MiB)])
    // six 1 MiB uploads at once: three fit
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => upload(h.server.url, token, `p${i}.dat`, file())))
    const statuses = answers.map((a) => a.status).sort()
    expect(statuses).toEqual([200, 200, 200, 429, 429, 429])
    for (const answer of answers.filter((a) => a.status === 429)) expect(answer.body.error?.type).toBe('too_many_requests')
    // what was stored counts: 16 KiB are left
    expect((await upload(h.server.url, token, 'small.txt', 'x'.repeat(8 * 1024))).status).toBe(200)
    expect((await upload(h.server.url, token, 'more.txt', 'x'.repeat(16 * 1024))).status).toBe(429)
  })

  it('failed uploads do not spend bytes', async () => {
    const MiB = 1024 * 1024
    const h = await startServer({ limits: { uploadBytesPerWindow: 2 * MiB + 16 * 1024 } })
    const token = (await h.token()).access_token
    expect((await upload(h.server.url, token, 'evil.exe', new Blob([new Uint8Array(MiB)]))).status).toBe(400)
    expect((await upload(h.server.url, token, 'a.dat', new Blob([new Uint8Array(MiB)]))).status).toBe(200)
    expect((await upload(h.server.url, token, 'b.dat', new Blob([new Uint8Array(MiB - 1024)]))).status).toBe(200)
  })
})
