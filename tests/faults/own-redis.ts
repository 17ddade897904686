/**
 * A redis-server of the test's own on a fixed free port (never the machine's shared 6379), which the
 * test stops and starts again on the same port. AOF with fsync on every write, as a production
 * Redis under BullMQ should run, so what Redis accepted survives its restart; what it never
 * accepted is the outbox's job.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { answers, freePort } from '../support/redis.ts'

export class OwnRedis {
  private child: ChildProcess | undefined
  private readonly dir = mkdtempSync(join(tmpdir(), 'beacon-redis-'))
  port = 0

  get url(): string {
    return `redis://127.0.0.1:${this.port}`
  }

  async start(): Promise<void> {
    if (!this.port) this.port = await freePort()
    const child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--dir', this.dir, '--save', '', '--appendonly', 'yes', '--appendfsync', 'always'],
      { stdio: 'ignore' },
    )
    this.child = child
    const kill = () => child.kill('SIGKILL')
    process.once('exit', kill)
    child.once('exit', () => process.off('exit', kill))
    const deadline = Date.now() + 10_000
    while (!(await this.answers())) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`redis-server on ${this.port} did not start`)
      await new Promise((r) => setTimeout(r, 50))
    }
  }

  /** Stops the server (SIGTERM: it exits without serving anything more). */
  async stop(): Promise<void> {
    const c = this.child
    this.child = undefined
    if (!c || c.exitCode !== null) return
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve())
      c.kill('SIGTERM')
    })
  }

  async dispose(): Promise<void> {
    await this.stop()
    rmSync(this.dir, { recursive: true, force: true })
  }

  private answers(): Promise<boolean> {
    return answers(this.url, 300)
  }
}
