import { defineConfig } from 'tsup'
import { packageBuild } from '../../tsup.base'

const base = Array.isArray(packageBuild) ? packageBuild[0] : packageBuild

export default defineConfig({ ...base, entry: ['src/index.ts', 'src/node.ts', 'src/server.ts'] })
