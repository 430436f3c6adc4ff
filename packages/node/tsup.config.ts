import { defineConfig } from 'tsup'
import { packageBuild } from '../../tsup.base'

// the library (src/index.ts), the test kit (src/testing.ts → @rapport/node/testing) and, in the
// same build, the `rapport` command (src/cli/main.ts → dist/cli.js)
export default defineConfig({ ...packageBuild, entry: { index: 'src/index.ts', testing: 'src/testing.ts', cli: 'src/cli/main.ts' } })
