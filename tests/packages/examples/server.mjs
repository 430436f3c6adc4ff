import { startServer } from '@rapport/server'

const server = await startServer({ storage: 'memory' })
const response = await fetch(`${server.url}/no-such-route`)
if (response.status !== 404) throw new Error(`status ${response.status}`)
const token = server.admin.issueCustomerToken('my-org')
if (typeof token.access_token !== 'string') throw new Error('token')
await server.close()
console.log('ok server esm')
