/**
 * docs/connection-state-chart.md: the connection machine as a Mermaid state diagram,
 * generated from the machine itself. `pnpm docs:chart` writes it (stateChart.ts); a test
 * checks the file is up to date.
 */
import { connectionMachine } from '../src/connection/connectionMachine'

type Node = (typeof connectionMachine)['root']

const idOf = (node: Node): string => node.id.replace(/^connection\.?/, '').replace(/\./g, '_') || 'connection'
const label = (event: string): string =>
  event
    .replace(/^xstate\.after\.(\w+)\..*$/, 'after $1')
    .replace(/^xstate\.(done|error)\.actor\.(\w+)$/, '$2 $1')
    .replace(/^xstate\.done\.state\..*$/, 'every region done')

/** Where the chart lives. */
export const STATE_CHART_PATH = new URL('../../../docs/connection-state-chart.md', import.meta.url)

/** The whole Markdown file, drawn from the machine's definition. */
export const stateChartDoc = (): string => {
  const lines: string[] = []
  const walk = (node: Node, depth: number): void => {
    const pad = '  '.repeat(depth)
    const children = Object.values(node.states) as Node[]
    if (node !== connectionMachine.root && children.length > 0) lines.push(`${pad}state ${idOf(node)} {`)
    if (children.length > 0 && node.initial?.target[0]) lines.push(`${pad}  [*] --> ${idOf(node.initial.target[0] as Node)}`)
    children.forEach((child, i) => {
      // a parallel state's regions run at once: Mermaid separates them with --
      if (node.type === 'parallel' && i > 0) lines.push(`${pad}  --`)
      walk(child, depth + (node === connectionMachine.root ? 0 : 1))
    })
    if (node !== connectionMachine.root && children.length > 0) lines.push(`${pad}}`)
    if (node.type === 'final') lines.push(`${pad}${idOf(node)} --> [*]`)
  }
  walk(connectionMachine.root, 1)

  const edges = new Set<string>()
  const collect = (node: Node): void => {
    for (const [event, transitions] of node.transitions) {
      for (const t of transitions) for (const target of t.target ?? []) edges.add(`  ${idOf(node)} --> ${idOf(target as Node)}: ${label(event)}${t.guard ? ' [guarded]' : ''}`)
    }
    for (const t of node.always ?? []) for (const target of t.target ?? []) edges.add(`  ${idOf(node)} --> ${idOf(target as Node)}: always${t.guard ? ' [guarded]' : ''}`)
    for (const child of Object.values(node.states) as Node[]) collect(child)
  }
  collect(connectionMachine.root)

  const chart = ['```mermaid', 'stateDiagram-v2', ...lines, ...[...edges].filter((e) => !e.includes('connection -->')), '```'].join('\n')
  return `# The connection state chart

Generated from \`packages/core/src/connection/connectionMachine.ts\` by \`pnpm docs:chart\`; do not edit by hand.
Root-level transitions (\`destroy\` → destroyed and \`disconnect\` → idle from every state) are left out of the
drawing. What each disconnection reason does is read from \`DISCONNECT_REASON_POLICY\` in \`@rapport/protocol\`.

${chart}
`
}
