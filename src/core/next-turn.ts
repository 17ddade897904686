/**
 * Resolves on a later turn of the event loop, after pending I/O: long computations on a request
 * path await it between slices, so Slack acks and Teams turns queued behind them still run.
 */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}
