#!/usr/bin/env node
// `npm run build` (and `prepare`, so `npm ci` runs it): compiles src/ and adapters/ to JavaScript
// with tsc, then copies the SQL migrations (SQLite and PostgreSQL) beside the compiled db.js files, which find them relative to
// themselves. `node scripts/build.mjs <outDir>` builds elsewhere (the start-up test builds a private copy).
import { spawnSync } from 'node:child_process'
import { cpSync, rmSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const outDir = resolve(process.argv[2] ?? join(root, 'dist'))
rmSync(join(outDir, 'src'), { recursive: true, force: true }) // no stale modules from deleted sources
rmSync(join(outDir, 'adapters'), { recursive: true, force: true })
const tsc = spawnSync(
  process.execPath,
  [join(root, 'node_modules/typescript/bin/tsc'), '-p', join(root, 'tsconfig.build.json'), '--outDir', outDir],
  {
    stdio: 'inherit',
  },
)
if (tsc.status !== 0) process.exit(tsc.status ?? 1)
cpSync(join(root, 'src/storage/migrations'), join(outDir, 'src/storage/migrations'), { recursive: true })
cpSync(join(root, 'src/storage/pg/migrations'), join(outDir, 'src/storage/pg/migrations'), { recursive: true })
