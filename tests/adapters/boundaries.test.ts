/**
 * Adapters depend on the core, not on the application: everything they use from outside their
 * folder comes from src/core, and the composition root hands them their stores and services.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = join(import.meta.dirname, '..', '..')
const ADAPTERS = join(ROOT, 'adapters')

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name)
    if (e.isDirectory()) return sourceFiles(path)
    return /\.(ts|mts|js|mjs)$/.test(e.name) ? [path] : []
  })
}

/** Every module specifier a file names: static and type imports, re-exports, dynamic import(). */
function specifiers(source: string): string[] {
  const found: string[] = []
  for (const m of source.matchAll(/\b(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g)) found.push(m[1]!)
  for (const m of source.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push(m[1]!)
  for (const m of source.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm)) found.push(m[1]!)
  return found
}

describe('adapter boundaries', () => {
  it('no adapter file imports src/app or src/storage', () => {
    const files = sourceFiles(ADAPTERS)
    expect(files.length).toBeGreaterThan(20)
    const offending = files.flatMap((file) =>
      specifiers(readFileSync(file, 'utf8'))
        .filter((s) => s.startsWith('.'))
        .map((s) => relative(ROOT, join(file, '..', s)))
        .filter((target) => /^src\/(app|storage)(\/|$)/.test(target))
        .map((target) => `${relative(ROOT, file)} → ${target}`),
    )
    expect(offending).toEqual([])
  })

  it('the scan sees every way of importing', () => {
    const src = [
      `import type { A } from '../../src/app/context.ts'`,
      `import { b,\n  c } from "../../src/storage/db.ts"`,
      `export { d } from '../x.ts'`,
      `const e = await import('../../src/app/inbox.ts')`,
      `import './side.ts'`,
    ].join('\n')
    expect(specifiers(src)).toEqual(['../../src/app/context.ts', '../../src/storage/db.ts', '../x.ts', '../../src/app/inbox.ts', './side.ts'])
  })
})
