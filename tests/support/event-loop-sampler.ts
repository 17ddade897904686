import { readFileSync } from 'node:fs'
import { monitorEventLoopDelay } from 'node:perf_hooks'

export interface LoopDelays {
  /** Worst lateness of a 10 ms timer, wall clock (Node's histogram and our own sampler). */
  maxDelayMs: number
  /**
   * Worst lateness the event loop's thread spent working: the smaller of the lateness and the CPU
   * that thread used meanwhile. A busy shared machine that does not schedule the process adds to
   * maxDelayMs, not here; nor do V8's GC and compiler threads, which run beside the loop.
   */
  maxBusyDelayMs: number
}

/**
 * CPU time of the calling thread, in ms. Linux's scheduler statistics give it per thread, in ns
 * (Node 20 has no per-thread CPU clock: process.cpuUsage() also counts V8's GC and compiler threads,
 * which on two cores read up to ~110 ms beside a main thread busy for far less). Elsewhere: the process's.
 */
export function threadCpuClock(): () => number {
  const perThread = () => Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6
  try {
    if (Number.isFinite(perThread())) return perThread
  } catch {
    // not Linux: fall through
  }
  return () => {
    const u = process.cpuUsage()
    return (u.user + u.system) / 1000
  }
}

/** Samples the event loop every 10 ms until `stop()`, which returns the worst delays seen. */
export function sampleEventLoop(): { stop(): LoopDelays } {
  const loop = monitorEventLoopDelay({ resolution: 10 })
  loop.enable()
  const cpuMs = threadCpuClock()
  let worst = 0
  let busy = 0
  let lastAt = performance.now()
  let lastCpu = cpuMs()
  const sampler = setInterval(() => {
    const at = performance.now()
    const cpu = cpuMs()
    const late = at - lastAt - 10
    worst = Math.max(worst, late)
    busy = Math.max(busy, Math.min(late, cpu - lastCpu))
    lastAt = at
    lastCpu = cpu
  }, 10)
  return {
    stop() {
      clearInterval(sampler)
      loop.disable()
      return { maxDelayMs: Math.max(worst, loop.max / 1e6), maxBusyDelayMs: busy }
    },
  }
}
