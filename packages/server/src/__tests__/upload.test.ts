import type { WireEvent } from '@rapport/protocol'
import { describe, expect, it } from 'vitest'
import { BOT, ORG, startServer } from './helpers/harness'
import { chatWithBot, errorOf } from './helpers/flows'

/** A PNG header (signature + IHDR) of a 3×2 image: enough for dimension sniffing. */
const png = (): Buffer => {
  const ihdr = Buffer.alloc(25)
  ihdr.writeUInt32BE(13, 0)
  ihdr.write('IHDR', 4, 'latin1')
  ihdr.writeUInt32BE(3, 8)
  ihdr.writeUInt32BE(2, 12)
  ihdr.writeUInt8(8, 16)
  ihdr.writeUInt8(6, 17)
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), ihdr, Buffer.alloc(16)])
}

const upload = async (url: string, token: string | undefined, parts: Array<[string, Blob, string]>, organizationId = ORG) => {
  const form = new FormData()
  for (const [field, blob, name] of parts) form.append(field, blob, name)
  const response = await fetch(`${url}/v3.6/customer/action/upload_file?organization_id=${organizationId}`, {
    method: 'POST',
    headers: token === undefined ? {} : { Authorization: `Bearer ${token}` },
    body: form,
  })
  return { status: response.status, body: (await response.json()) as { url?: string; error?: { type: string } } }
}

describe('upload_file', () => {
  it('stores a file, serves it with CORS, and fills file events from it', async () => {
    const h = await startServer({ corsOrigins: ['https://shop.example'] })
    const s = await chatWithBot(h)
    const token = await h.token(ORG, s.customerId)
    const image = await upload(h.server.url, token.access_token, [['file', new Blob([new Uint8Array(png())], { type: 'image/png' }), 'cat picture.png']])
    expect(image.status).toBe(200)
    expect(image.body.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/files\/[a-z0-9]+\/cat%20picture\.png$/)
    const url = image.body.url ?? ''

    const served = await fetch(url, { headers: { Origin: 'https://shop.example' } })
    expect(served.status).toBe(200)
    expect(served.headers.get('content-type')).toBe('image/png')
    expect(served.headers.get('access-control-allow-origin')).toBe('https://shop.example')
    expect(Buffer.from(await served.arrayBuffer()).equals(png())).toBe(true)
    expect((await fetch(url.replace(/\/[^/]+$/, '/other.png'))).status).toBe(404)

    const { event_id } = await s.customer.ok<{ event_id: string }>('send_event', { chat_id: s.chatId, event: { type: 'file', url, alternative_text: 'A cat' } })
    const atBot = await s.bot.push<{ event: WireEvent & Record<string, unknown> }>('incoming_event', (f) => f.payload.event.id === event_id)
    expect(atBot.payload.event).toMatchObject({
      type: 'file',
      url,
      name: 'cat picture.png',
      content_type: 'image/png',
      size: png().length,
      width: 3,
      height: 2,
      thumbnail_url: `${url}?thumbnail=1`,
      thumbnail2x_url: `${url}?thumbnail=2`,
      alternative_text: 'A cat',
    })

    const text = await upload(h.server.url, token.access_token, [['file', new Blob(['hello'], { type: 'text/plain' }), 'notes.txt']])
    expect(text.status).toBe(200)
    const plain = await fetch(text.body.url ?? '')
    expect(plain.headers.get('access-control-allow-origin')).toBe('*')
    expect(plain.headers.get('content-disposition')).toMatch(/^attachment/)
    await s.bot.ok('send_event', { chat_id: s.chatId, event: { type: 'file', url: text.body.url } })
    const atCustomer = await s.customer.push<{ event: Record<string, unknown> }>('incoming_event', (f) => f.payload.event.author_id === BOT.id)
    expect(atCustomer.payload.event).toMatchObject({ name: 'notes.txt', content_type: 'text/plain', size: 5 })
    expect(atCustomer.payload.event).not.toHaveProperty('width')
  })

  it('answers 413 entity_too_large over 10 MB', async () => {
    const h = await startServer()
    const token = await h.token()
    const big = await upload(h.server.url, token.access_token, [['file', new Blob([new Uint8Array(10 * 1024 * 1024 + 1)]), 'big.bin']])
    expect(big).toEqual({ status: 413, body: { error: { type: 'entity_too_large', message: expect.any(String) } } })
    const huge = await upload(h.server.url, token.access_token, [['file', new Blob([new Uint8Array(21 * 1024 * 1024)]), 'huge.bin']]).catch(() => ({ status: 413, body: {} }))
    expect(huge.status).toBe(413)
  })

  it('requires a customer token of the organization, a file part, and rejects executables', async () => {
    const h = await startServer()
    const token = await h.token()
    const file: [string, Blob, string] = ['file', new Blob(['x']), 'a.txt']
    expect((await upload(h.server.url, undefined, [file])).body).toMatchObject({ error: { type: 'authentication' } })
    expect((await upload(h.server.url, 'dal:forged', [file])).status).toBe(401)
    expect((await upload(h.server.url, token.access_token, [file], 'b0b0b0b0-0000-4000-8000-000000000002')).status).toBe(401)
    const agentToken = h.server.admin.issueAgentToken(BOT.id, ORG).access_token
    expect((await upload(h.server.url, agentToken, [file])).status).toBe(401)
    expect(await upload(h.server.url, token.access_token, [['other', new Blob(['x']), 'a.txt']])).toMatchObject({ status: 400, body: { error: { type: 'validation' } } })
    expect(await upload(h.server.url, token.access_token, [['file', new Blob(['MZ\x90\x00']), 'setup.dat']])).toMatchObject({ status: 400, body: { error: { type: 'validation' } } })
    expect(await upload(h.server.url, token.access_token, [['file', new Blob(['echo']), 'run.sh']])).toMatchObject({ status: 400, body: { error: { type: 'validation' } } })
    const notMultipart = await fetch(`${h.server.url}/v3.6/customer/action/upload_file?organization_id=${ORG}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token.access_token}`, 'Content-Type': 'application/json' },
      body: '{}',
    })
    expect(notMultipart.status).toBe(400)
  })

  it('file events with foreign URLs still get a name and content type', async () => {
    const h = await startServer()
    const s = await chatWithBot(h)
    const { event_id } = await s.customer.ok<{ event_id: string }>('send_event', { chat_id: s.chatId, event: { type: 'file', url: 'https://cdn.example/doc.pdf' } })
    const mine = await s.customer.push<{ event: Record<string, unknown> }>('incoming_event', (f) => f.payload.event.id === event_id)
    expect(mine.payload.event).toMatchObject({ name: 'doc.pdf', content_type: 'application/pdf' })
    expect(await errorOf(s.customer, 'send_event', { chat_id: s.chatId, event: { type: 'file', url: 'not a url' } })).toBe('validation')
  })
})
