/**
 * Extracts the surface the Customer SDK documentation names — methods, events,
 * disconnection reasons and error codes — into the parity test's fixture, so the test
 * runs from the repository alone. Run it again when the documentation changes:
 *
 *   pnpm tsx scripts/extractDocumentedSurface.ts <path to the SDK documentation (.txt)> [out.json]
 *
 * The output defaults to packages/customer-sdk/src/__tests__/fixtures/documentedSurface.json.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { basename } from 'node:path'

interface DocumentedSurface {
  /** The file the lists were read from (its name only). */
  source: string
  methods: string[]
  events: string[]
  disconnectionReasons: string[]
  errors: string[]
}

/** The text between the `# from` heading and the `# to` heading. */
const section = (docs: string, from: string, to: string): string => {
  const start = docs.indexOf(`\n# ${from}\n`)
  if (start < 0) throw new Error(`the documentation has no "# ${from}" section`)
  const end = docs.indexOf(`\n# ${to}\n`, start)
  if (end < 0) throw new Error(`the documentation has no "# ${to}" section after "# ${from}"`)
  return docs.slice(start, end)
}

const extractDocumentedSurface = (docs: string, source: string): DocumentedSurface => ({
  source,
  methods: [...section(docs, 'Methods', 'Events').matchAll(/^## (\w+)$/gm)].map((m) => m[1] as string),
  events: [...new Set([...section(docs, 'Events', 'Disconnection reasons').matchAll(/\.on\('([a-z_]+)'/g)].map((m) => m[1] as string))],
  disconnectionReasons: [...section(docs, 'Disconnection reasons', 'Errors').matchAll(/^## (.+)$/gm)].map((m) =>
    (m[1] as string).toLowerCase().replace(/ /g, '_'),
  ),
  errors: [...section(docs, 'Errors', 'Recipes').matchAll(/^## (.+)$/gm)].map((m) => (m[1] as string).toUpperCase().replace(/ /g, '_')),
})

const [docPath, outPath = new URL('../packages/customer-sdk/src/__tests__/fixtures/documentedSurface.json', import.meta.url).pathname] =
  process.argv.slice(2)
if (!docPath) {
  console.error('usage: tsx scripts/extractDocumentedSurface.ts <documentation.txt> [out.json]')
  process.exit(2)
}
const surface = extractDocumentedSurface(readFileSync(docPath, 'utf8'), basename(docPath))
writeFileSync(outPath, `${JSON.stringify(surface, null, 2)}\n`)
console.log(
  `${outPath}: ${surface.methods.length} methods, ${surface.events.length} events, ${surface.disconnectionReasons.length} disconnection reasons, ${surface.errors.length} errors`,
)
