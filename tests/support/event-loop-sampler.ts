import { monitorEventLoopDelay } from 'node:perf_hooks'

export interface LoopDelays {
  /** Worst lateness of a 10 ms timer, wall clock (Node's histogram and our own sampler). */
  maxDelayMs: number
  /**
   * Worst lateness the process spent working: the smaller of the lateness and the CPU it used
   * meanwhile. A busy shared machine that does not schedule the process adds to maxDelayMs, not here.
   */
  maxBusyDelayMs: number
}

/** Samples the event loop every 10 ms until `stop()`, which returns the worst delays seen. */
export function sampleEventLoop(): { stop(): LoopDelays } {
  const loop = monitorEventLoopDelay({ resolution: 10 })
  loop.enable()
  let worst = 0
  let busy = 0
  let lastAt = performance.now()
  let lastCpu = process.cpuUsage()
  const sampler = setInterval(() => {
    const at = performance.now()
    const cpu = process.cpuUsage(lastCpu)
    const late = at - lastAt - 10
    worst = Math.max(worst, late)
    busy = Math.max(busy, Math.min(late, (cpu.user + cpu.system) / 1000))
    lastAt = at
    lastCpu = process.cpuUsage()
  }, 10)
  return {
    stop() {
      clearInterval(sampler)
      loop.disable()
      return { maxDelayMs: Math.max(worst, loop.max / 1e6), maxBusyDelayMs: busy }
    },
  }
}
