/**
 * The server processes of the Slack ingest bench (slack-ack.ts) and how they are driven and measured:
 * each target is its own process, sent signed events in a closed loop; its CPU time comes from /proc.
 */
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'

/** A server process of this bench: where to send events, and a SIGTERM that lets it write its profile. */
export interface Target {
  name: string
  url: string
  pid: number
  stop(): Promise<void>
}

export async function startProcess(name: string, command: string[], env: Record<string, string>): Promise<Target> {
  const child = spawn(process.execPath, command, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  const exited = new Promise<void>((r) => child.on('close', () => r()))
  const port = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} not listening in 60 s: ${out}`)), 60_000)
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString()
      const m = /listening on :(\d+)/.exec(out)
      if (m) {
        clearTimeout(timer)
        resolve(m[1]!)
      }
    })
    child.stderr.on('data', (d: Buffer) => (out += d.toString()))
    void exited.then(() => reject(new Error(`${name} exited: ${out}`)))
  })
  // Drain stdout (Beacon logs at info) so a full pipe never blocks the server.
  child.stdout.removeAllListeners('data')
  child.stdout.resume()
  return {
    name,
    url: `http://127.0.0.1:${port}/slack/events`,
    pid: child.pid!,
    stop: async () => {
      child.kill('SIGTERM')
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exited
      clearTimeout(killer)
    },
  }
}

/** Closed loop for `ms`: `inFlight` senders back to back; latencies of the answered requests. */
export async function closedLoop(
  send: () => Promise<{ ms: number; ok: boolean }>,
  inFlight: number,
  ms: number,
): Promise<{ lat: number[]; ok: number }> {
  const lat: number[] = []
  let ok = 0
  const until = performance.now() + ms
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (performance.now() < until) {
        const r = await send().catch(() => undefined)
        if (r?.ok) {
          ok += 1
          lat.push(r.ms)
        }
      }
    }),
  )
  return { lat, ok }
}

export const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN

/** User + system CPU time of these processes so far, in ms (Linux /proc; 0 for one that is gone). */
export function cpuMs(pids: number[]): number {
  let ticks = 0
  for (const pid of pids) {
    try {
      // The fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
      ticks += Number(fields[11]) + Number(fields[12])
    } catch {
      // exited meanwhile
    }
  }
  return ticks * 10 // USER_HZ is 100 on Linux
}

export const rssMiB = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024
