import { createRequire } from 'node:module'

/**
 * Loads a CommonJS package with `require`, not `import`. An `import` of CommonJS makes Node parse the
 * package's source, and every module it re-exports (botbuilder's whole tree), with cjs-module-lexer
 * to find its named exports. At start-up that parsing runs hot enough for V8 to optimise the lexer,
 * and those compilations leave ~10 MiB resident in the idle server (issue 16, bench/idle-rss.ts).
 * Typed by the caller with the package's own types: `requireCommonJs<typeof Pkg>('pkg')` beside
 * `import type * as Pkg from 'pkg'`.
 */
export const requireCommonJs: <T>(id: string) => T = createRequire(import.meta.url)
