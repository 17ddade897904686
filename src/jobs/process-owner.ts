/**
 * Who holds a claim (a running job, an inbox row): "host|pid|boot". A claim whose owner is a
 * process on this host that no longer runs (SIGKILL, OOM, a container restart reusing the pid) is
 * taken over at once instead of after its lease runs out; owners on other hosts wait for the lease.
 */
import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { hostname } from 'node:os'

const HOST = hostname()
/** Identities handed out in this process (several queues may share one file, e.g. in tests). */
const mine = new Set<string>()

/** A new identity for one queue or inbox of this process. */
export function processOwner(): string {
  const owner = `${HOST}|${process.pid}|${randomUUID().slice(0, 8)}`
  mine.add(owner)
  return owner
}

/** True when `owner` is (was) a process on this host that is not running any more. */
export function ownerGone(owner: string): boolean {
  const [host, pidText, boot] = owner.split('|')
  if (host !== HOST || boot === undefined) return false
  const pid = Number(pidText)
  // Our pid but not an identity of ours: an earlier life of this pid (a restarted container).
  if (pid === process.pid) return !mine.has(owner)
  return !processAlive(pid)
}

/** kill(pid, 0) says a zombie is alive; /proc says what it is (Linux), so a SIGKILLed process counts as gone. */
function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
  try {
    return !/^\d+ \(.*\) [ZX] /s.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return true
  }
}
