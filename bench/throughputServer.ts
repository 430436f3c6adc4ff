/**
 * The stub server of the incoming-throughput benchmark, run in its own process
 * (forked by throughput.ts): `node throughputServer.ts <N>`.
 *
 * Serves `POST …/token` (a fixed customer token) and the customer RTM socket on any
 * path: answers `login` with a minimal valid response, `ping` with `{}`, any other
 * request with `{}`, except `get_customer`, which it answers with the customer and then
 * pushes N `incoming_event` frames for chat C1 as fast as it can (strings encoded
 * once at start-up, written corked). Tells the parent `{type:'ready', url}`, then for each push run
 * `{type:'pushed', loopMs, flushedMs}` (time to hand all frames to the socket, and until
 * the last one was written).
 */
import { createServer } from 'node:http'
import { performance } from 'node:perf_hooks'
import { incomingEventFrame, loadWs, loginResponsePayload, responseFrame, tokenResponseBody } from './benchFrames'

const count = Number(process.argv[2] ?? 20_000)
const frames = Array.from({ length: count }, (_, i) => incomingEventFrame(i))
const { WebSocketServer } = loadWs()

const http = createServer((request, response) => {
  request.resume()
  if (request.method === 'POST' && request.url?.endsWith('/token')) {
    response.writeHead(200, { 'Content-Type': 'application/json' })
    response.end(tokenResponseBody())
    return
  }
  response.writeHead(404).end()
})
const wss = new WebSocketServer({ server: http })

wss.on('connection', (socket) => {
  let pushed = false
  socket.on('error', () => {})
  socket.on('message', (data) => {
    let frame: { request_id?: string; action?: string }
    try {
      frame = JSON.parse(String(data)) as typeof frame
    } catch {
      return
    }
    const action = frame.action ?? ''
    if (action === 'login') socket.send(responseFrame(frame.request_id, 'login', loginResponsePayload()))
    else if (action === 'get_customer') {
      socket.send(responseFrame(frame.request_id, 'get_customer', loginResponsePayload().customer))
      if (pushed) return
      pushed = true
      const start = performance.now()
      let loopMs = 0
      // corked: the frames leave in large writes instead of one system call each, so the
      // stub is not what limits the clients
      const tcp = (socket as { _socket?: { cork(): void; uncork(): void } })._socket
      tcp?.cork()
      for (let i = 0; i < frames.length; i++) {
        if (i === frames.length - 1) socket.send(frames[i] as string, (error) => void (error || process.send?.({ type: 'pushed', loopMs, flushedMs: performance.now() - start })))
        else socket.send(frames[i] as string)
      }
      tcp?.uncork()
      loopMs = performance.now() - start
    } else if (frame.request_id !== undefined) socket.send(responseFrame(frame.request_id, action, {}))
  })
})

http.listen(0, '127.0.0.1', () => {
  const address = http.address()
  const port = typeof address === 'object' && address ? address.port : 0
  process.send?.({ type: 'ready', url: `http://127.0.0.1:${port}` })
})
process.on('disconnect', () => process.exit(0))
