const { startServer } = require('@rapport/server')
const { mkdtempSync, rmSync } = require('node:fs')
const { join } = require('node:path')
const { tmpdir } = require('node:os')

const main = async () => {
  // the SQLite store: the native better-sqlite3 installed with the package
  const folder = mkdtempSync(join(tmpdir(), 'rapport-example-'))
  const server = await startServer({ storage: { sqlite: join(folder, 'chat.sqlite') } })
  server.admin.issueCustomerToken('my-org')
  if (server.admin.health().customers !== 1) throw new Error('health')
  await server.close()
  rmSync(folder, { recursive: true, force: true })
  console.log('ok server cjs')
}
main().catch((error) => {
  console.error(error)
  process.exit(1)
})
