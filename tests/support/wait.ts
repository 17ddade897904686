/**
 * The one poller for tests that wait on something outside the test's control (a child process, a
 * local HTTP fake, a queue with real timers): it checks an observable condition until it holds.
 * Core tests need none of this: they drive time with tests/support/test-clock.ts.
 */

type Truthy<T> = Exclude<T, false | 0 | '' | null | undefined>

/** How long a condition may take by default; generous, because a busy machine is only ever late. */
export const WAIT_TIMEOUT_MS = 8_000
const POLL_MS = 20

/**
 * Polls `check` every 20 ms until it returns something truthy, and returns that. A check that
 * throws counts as "not yet". After `timeoutMs` fails naming `what` (by default the check's own
 * source) and the last error, if any. The description always comes before the timeout.
 */
export async function waitFor<T>(check: () => T | Promise<T>, what = describe(check), timeoutMs = WAIT_TIMEOUT_MS): Promise<Truthy<T>> {
  const deadline = Date.now() + timeoutMs
  let lastError: unknown
  for (;;) {
    try {
      const v = await check()
      if (v) return v as Truthy<T>
    } catch (err) {
      lastError = err
    }
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${String(lastError)})` : ''}`)
    await new Promise((r) => setTimeout(r, POLL_MS))
  }
}

function describe(check: () => unknown): string {
  return String(check).replace(/\s+/g, ' ').slice(0, 200)
}

/** Waits real time. Only for pacing a real external process, never to let "enough" time pass. */
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))
