/**
 * Sends a traffic plan's deliveries (traffic.ts) open-loop at a steady rate, recording each ack's
 * latency and status and the process's rss while sending.
 */
import { post } from '../support/slack-signing.ts'
import type { Delivery } from './traffic.ts'

export interface SendResult {
  /** Ack latency (ms) per delivery, in send order. */
  latencies: number[]
  statuses: number[]
  /** rss samples (bytes) taken while sending. */
  rss: number[]
}

/** Open loop: delivery i leaves at start + i/rate s, whatever earlier answers do. `onAnswer` sees each status as it arrives. */
export async function sendSteady(eventsUrl: string, deliveries: Delivery[], rate: number, onAnswer?: (status: number) => void): Promise<SendResult> {
  const latencies: number[] = new Array<number>(deliveries.length).fill(NaN)
  const statuses: number[] = new Array<number>(deliveries.length).fill(0)
  const rss: number[] = []
  const sampler = setInterval(() => rss.push(process.memoryUsage().rss), 250)
  const pending: Promise<void>[] = []
  const start = performance.now()
  try {
    for (const [i, d] of deliveries.entries()) {
      const wait = start + (i * 1000) / rate - performance.now()
      if (wait > 0) await new Promise((r) => setTimeout(r, wait))
      pending.push(
        post(eventsUrl, d.build()).then(
          (r) => {
            latencies[i] = r.ms
            statuses[i] = r.status
            onAnswer?.(r.status)
          },
          () => {
            statuses[i] = -1 // connection refused / reset: counts as an error
          },
        ),
      )
    }
    await Promise.all(pending)
  } finally {
    clearInterval(sampler)
  }
  return { latencies, statuses, rss }
}

export const percentile = (xs: number[], p: number) => {
  const s = xs.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN
}
