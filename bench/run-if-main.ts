import { pathToFileURL } from 'node:url'

/**
 * Runs a benchmark's `main()` when its file is started directly (`npx tsx bench/x.ts`), not when
 * bench/run.ts imports it; exits non-zero if it throws (open servers would otherwise keep it alive).
 */
export function runIfMain(moduleUrl: string, main: () => Promise<unknown>): void {
  if (!process.argv[1] || moduleUrl !== pathToFileURL(process.argv[1]).href) return
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err)
      process.exit(1)
    },
  )
}
