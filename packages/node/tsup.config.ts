import { defineConfig } from 'tsup'
import { packageBuild } from '../../tsup.base'

// the library (src/index.ts) and, in the same build, the `rapport` command (src/cli/main.ts → dist/cli.js)
export default defineConfig({ ...packageBuild, entry: { index: 'src/index.ts', cli: 'src/cli/main.ts' } })
