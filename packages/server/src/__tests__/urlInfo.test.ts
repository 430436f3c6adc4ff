import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { startServer } from './helpers/harness'
import { errorOf } from './helpers/flows'

const sites: Server[] = []
afterEach(async () => {
  await Promise.all(sites.splice(0).map((site) => new Promise((resolve) => site.close(resolve))))
})

/** A PNG header of a 40×30 image. */
const png = (): Buffer => {
  const ihdr = Buffer.alloc(25)
  ihdr.writeUInt32BE(13, 0)
  ihdr.write('IHDR', 4, 'latin1')
  ihdr.writeUInt32BE(40, 8)
  ihdr.writeUInt32BE(30, 12)
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), ihdr, Buffer.alloc(16)])
}

/** A local site; `hits` counts requests per path. */
const site = async (routes: Record<string, (origin: string) => { status?: number; headers?: Record<string, string>; body?: string | Buffer }>) => {
  const hits: Record<string, number> = {}
  let origin = ''
  const server = createServer((req, res) => {
    const path = req.url ?? '/'
    hits[path] = (hits[path] ?? 0) + 1
    const route = routes[path]
    if (!route) {
      res.writeHead(404).end()
      return
    }
    const answer = route(origin)
    res.writeHead(answer.status ?? 200, answer.headers ?? {})
    res.end(answer.body)
  })
  sites.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  origin = `http://127.0.0.1:${port}`
  return { origin, host: `127.0.0.1:${port}`, port, hits }
}

const PAGE = `<!doctype html><html><head>
<title>Fallback title</title>
<meta property="og:title" content="Rapport &amp; friends">
<meta name="description" content="A page about chats">
<meta property="og:image" content="/preview.png">
</head><body>hi</body></html>`

describe('get_url_info', () => {
  it('reads title, description and og:image (with its size) from an allowed host', async () => {
    const local = await site({
      '/page': () => ({ headers: { 'content-type': 'text/html; charset=utf-8' }, body: PAGE }),
      '/preview.png': () => ({ headers: { 'content-type': 'image/png' }, body: png() }),
      '/plain': () => ({ headers: { 'content-type': 'text/html' }, body: '<title> Only a title </title>' }),
    })
    const h = await startServer({ urlInfoAllowedHosts: [local.host] })
    const { socket } = await h.customer()
    expect(await socket.ok('get_url_info', { url: `${local.origin}/page` })).toEqual({
      url: `${local.origin}/page`,
      title: 'Rapport & friends',
      description: 'A page about chats',
      image_url: `${local.origin}/preview.png`,
      image_original_url: `${local.origin}/preview.png`,
      image_width: 40,
      image_height: 30,
    })
    expect(await socket.ok('get_url_info', { url: `${local.origin}/plain` })).toEqual({ url: `${local.origin}/plain`, title: 'Only a title' })
    expect(await errorOf(socket, 'get_url_info', { url: `${local.origin}/missing` })).toBe('not_found')
  })

  it('refuses hosts that are not allowed without fetching them (default: none allowed)', async () => {
    const local = await site({ '/page': () => ({ headers: { 'content-type': 'text/html' }, body: PAGE }) })
    const h = await startServer()
    const { socket } = await h.customer()
    expect(await errorOf(socket, 'get_url_info', { url: `${local.origin}/page` })).toBe('not_found')
    expect(local.hits['/page']).toBeUndefined()
    expect(await errorOf(socket, 'get_url_info', { url: 'ftp://example.com/x' })).toBe('validation')
    expect(await errorOf(socket, 'get_url_info', { url: 'not a url' })).toBe('validation')
    expect(await errorOf(socket, 'get_url_info', {})).toBe('validation')
  })

  it('follows redirects only to allowed hosts', async () => {
    const forbidden = await site({ '/secret': () => ({ headers: { 'content-type': 'text/html' }, body: '<title>secret</title>' }) })
    const local = await site({
      '/away': () => ({ status: 302, headers: { location: `${forbidden.origin}/secret` } }),
      '/here': () => ({ status: 301, headers: { location: '/page' } }),
      '/page': () => ({ headers: { 'content-type': 'text/html' }, body: '<title>Landed</title>' }),
      '/loop': () => ({ status: 302, headers: { location: '/loop' } }),
    })
    const h = await startServer({ urlInfoAllowedHosts: [local.host] })
    const { socket } = await h.customer()
    expect(await errorOf(socket, 'get_url_info', { url: `${local.origin}/away` })).toBe('not_found')
    expect(forbidden.hits['/secret']).toBeUndefined()
    expect(await socket.ok('get_url_info', { url: `${local.origin}/here` })).toEqual({ url: `${local.origin}/here`, title: 'Landed' })
    expect(await errorOf(socket, 'get_url_info', { url: `${local.origin}/loop` })).toBe('not_found')
  })

  it('keeps other requests of the socket answered while a fetch is pending', async () => {
    let release: () => void = () => {}
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    const hits: string[] = []
    const slow = createServer((req, res) => {
      hits.push(req.url ?? '')
      void gate.then(() => res.writeHead(200, { 'content-type': 'text/html' }).end('<title>Slow</title>'))
    })
    sites.push(slow)
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve))
    const host = `127.0.0.1:${(slow.address() as AddressInfo).port}`
    const h = await startServer({ urlInfoAllowedHosts: [host] })
    const { socket } = await h.customer()
    socket.send({ request_id: 'info', action: 'get_url_info', payload: { url: `http://${host}/` } })
    expect((await socket.request('get_customer')).success).toBe(true)
    release()
    expect((await socket.response('info')).payload).toEqual({ url: `http://${host}/`, title: 'Slow' })
    slow.closeAllConnections()
  })
})
