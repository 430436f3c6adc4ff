import fc from 'fast-check'
import { FakeEnv, sdkEventArb } from '@rapport/testing'
import { startTestServer } from '@rapport/testing/server'

fc.assert(fc.property(sdkEventArb, (event) => typeof event.type === 'string'), { numRuns: 20 })
if (typeof new FakeEnv().createSocket !== 'function') throw new Error('FakeEnv')
const server = await startTestServer()
await server.restart()
await server.stop()
console.log('ok testing esm')
