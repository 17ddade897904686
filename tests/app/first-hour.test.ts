// What a newcomer does in their first hour, following only the README: start the real process
// (`npm start` runs src/app/main.ts compiled, `beacon …` src/app/cli.ts; here the sources run through tsx) and read what it prints.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { dirname, join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { weekStart } from '../../src/core/time/iso-weeks.ts'
import { closeDb, openDb } from '../../src/storage/db.ts'
import { SqliteActivityRepository } from '../../src/storage/repositories/adoption-activity.ts'
import { freePort } from '../support/redis.ts'
import { runBeacon, startBeacon, tempDataDir, typeIntoShell } from '../support/run-beacon.ts'

const held: Server[] = []
afterEach(async () => {
  for (const s of held.splice(0)) await new Promise((r) => s.close(r))
})

/** Another program on the port (on every interface, so it is taken whatever HOST Beacon uses). */
async function takePort(): Promise<number> {
  const port = await freePort()
  const s = createServer()
  await new Promise<void>((resolve, reject) => {
    s.once('error', reject)
    s.listen(port, resolve)
  })
  held.push(s)
  return port
}

/** A start-up failure the person can fix: no stack trace, the variable named, exit code 2. */
function expectOneClearProblem(r: { code: number | null; stderr: string }, variable: string): void {
  expect(r.code).toBe(2)
  expect(r.stderr).toContain(variable)
  expect(r.stderr).not.toMatch(/^\s+at /m)
  expect(r.stderr).not.toContain('Node.js v')
}

describe('port in use', () => {
  it('npm start: the shell still works and says the dashboard is not served', async () => {
    const port = await takePort()
    const db = join(tempDataDir(), 'b.db')
    const r = await runBeacon('main', { env: { DATABASE_PATH: db, PORT: String(port) }, stdin: '/help\nhello team\n' })
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(`Dashboard not served: PORT: ${port} is already in use`)
    expect(r.stdout).toContain('Beacon keeps your team’s answers')
    expect(r.stdout).toMatch(/\[#general\] Alice #1: hello team/)
    // The details are in the shell's log, next to the database as the README says.
    expect(readFileSync(join(dirname(db), 'beacon-shell.log'), 'utf8')).toContain('dashboard not served')
  })

  it('beacon serve: one line naming PORT, exit code 2', async () => {
    const port = await takePort()
    const r = await runBeacon('cli', { args: ['serve'], env: { DATABASE_PATH: join(tempDataDir(), 'b.db'), PORT: String(port) } })
    expectOneClearProblem(r, `PORT: ${port} is already in use`)
  })

  it('HOST chooses the listen address and is validated', { timeout: 40_000 }, async () => {
    const p = startBeacon('cli', {
      args: ['serve'],
      env: { PORT: '0', HOST: '127.0.0.1', DATABASE_PATH: join(tempDataDir(), 'b.db') },
      ready: /listening on :(\d+)/,
    })
    const [, port] = await p.ready
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200)
    p.child.kill('SIGTERM')
    expect((await p.exited).code).toBe(0)

    const bad = await runBeacon('main', { env: { HOST: 'not a host', DATABASE_PATH: join(tempDataDir(), 'b.db') } })
    expectOneClearProblem(bad, 'HOST: an IP address')
  })
})

describe('.env in the working directory', () => {
  it('is read by npm start and by every beacon command; the real environment wins', { timeout: 60_000 }, async () => {
    const dir = tempDataDir()
    writeFileSync(join(dir, '.env'), '# copied from .env.example\nDATABASE_PATH=./from-dotenv/beacon.db\nLOG_LEVEL=info\n')
    const migrated = await runBeacon('cli', { args: ['migrate'], cwd: dir })
    expect(migrated.stdout).toContain('Database ./from-dotenv/beacon.db is up to date')
    expect(existsSync(join(dir, 'from-dotenv/beacon.db'))).toBe(true)

    const shell = await runBeacon('main', { cwd: dir, env: { PORT: '0' }, stdin: '/help\n' })
    expect(shell.code).toBe(0)
    // The shell serves the dashboard on this machine only unless HOST says otherwise.
    expect(readFileSync(join(dir, 'from-dotenv/beacon-shell.log'), 'utf8')).toMatch(/"host":"127\.0\.0\.1".*"msg":"shell started"/)

    const real = join(tempDataDir(), 'real.db')
    const overridden = await runBeacon('cli', { args: ['migrate'], cwd: dir, env: { DATABASE_PATH: real } })
    expect(overridden.stdout).toContain(`Database ${real} is up to date`)
  })

  it('a bad value in .env stops npm start with the configuration error, exit code 2', { timeout: 40_000 }, async () => {
    const dir = tempDataDir()
    writeFileSync(join(dir, '.env'), 'PORT=abc\n')
    const r = await runBeacon('main', { cwd: dir })
    expectOneClearProblem(r, 'PORT')
    expect(r.stderr).toContain('Beacon cannot start')
    const j = await runBeacon('cli', { args: ['jobs', 'list'], cwd: dir })
    expectOneClearProblem(j, 'PORT')
    const unreadable = tempDataDir()
    mkdirSync(join(unreadable, '.env'))
    expectOneClearProblem(await runBeacon('cli', { args: ['migrate'], cwd: unreadable }), '.env: cannot be read')
  })
})

describe('no raw stack traces', () => {
  it('a DATABASE_PATH Beacon cannot create or open: one line naming DATABASE_PATH, exit 2, no hang', { timeout: 60_000 }, async () => {
    const dir = tempDataDir()
    writeFileSync(join(dir, 'a-file'), 'not a folder')
    mkdirSync(join(dir, 'a-folder'))
    // Under /proc, Node's recursive mkdir never returns: this used to hang start-up for good.
    for (const path of ['/proc/beacon-nope/beacon.db', join(dir, 'a-file', 'beacon.db'), join(dir, 'a-folder')]) {
      const shell = await runBeacon('main', { env: { DATABASE_PATH: path, PORT: '0' }, stdin: '/help\n' })
      expectOneClearProblem(shell, `DATABASE_PATH: cannot open the database at ${path}`)
    }
    const migrate = await runBeacon('cli', { args: ['migrate'], env: { DATABASE_PATH: '/proc/beacon-nope/beacon.db' } })
    expectOneClearProblem(migrate, 'DATABASE_PATH')
  })

  it('beacon jobs run task.remind without data, or with bad JSON, names the argument', { timeout: 60_000 }, async () => {
    const env = { DATABASE_PATH: join(tempDataDir(), 'b.db') }
    const none = await runBeacon('cli', { args: ['jobs', 'run', 'task.remind'], env })
    expectOneClearProblem(none, 'json-data: task.remind needs JSON data with workspace, taskId, dueAt, kind')
    const broken = await runBeacon('cli', { args: ['jobs', 'run', 'task.remind', '{taskId: 1}'], env })
    expectOneClearProblem(broken, 'json-data: not valid JSON')
    const unfit = await runBeacon('cli', { args: ['jobs', 'run', 'task.remind', '{"taskId":"one"}'], env })
    expectOneClearProblem(unfit, 'json-data does not fit task.remind: workspace')
  })
})

describe('finding the manager commands', () => {
  it('/beacon and /beacon help list /beacon’s own subcommands with examples; /help names the real ones', { timeout: 40_000 }, async () => {
    const r = await runBeacon('main', { env: { DATABASE_PATH: join(tempDataDir(), 'b.db'), PORT: '0' }, stdin: '/beacon\n/beacon help\n/help\n' })
    expect(r.code).toBe(0)
    const [, bare = '', help = '', overview = ''] = r.stdout.split(/^alice in #general> /m)
    for (const answer of [bare, help]) {
      for (const sub of ['stats [team]', 'team create', 'goal <metric> <target> [team]', 'dashboard', 'privacy [optout|optin]'])
        expect(answer).toContain(`/beacon ${sub}`)
      expect(answer).toContain('e.g. /beacon goal active 20 Platform')
      // The impact commands (issue 20) are listed with an example each, like the rest.
      expect(answer).toContain('e.g. /beacon impact Platform')
      expect(answer).toContain('e.g. /beacon sponsor add @dana')
    }
    expect(overview).toContain('Beacon keeps your team’s answers')
    expect(overview).toMatch(/\/beacon .*stats.*team.*goal/)
    expect(overview).not.toMatch(/teams, objectives/)
  })

  it('beacon --help puts each command’s text under that command', async () => {
    const r = await runBeacon('cli', { args: ['--help'] })
    expect(r.code).toBe(0)
    const lines = r.stdout.split('\n')
    const at = (s: string) => lines.findIndex((l) => l.includes(s))
    expect(at('run one job now')).toBe(at('jobs run <name>') + 1)
    expect(at('fill the local shell workspace')).toBe(at('demo seed'))
  })
})

describe('the shell’s first runs', () => {
  it('beacon demo seed twice: the second run says it is already seeded, with the real counts', { timeout: 60_000 }, async () => {
    const env = { DATABASE_PATH: join(tempDataDir(), 'b.db') }
    const first = await runBeacon('cli', { args: ['demo', 'seed'], env })
    const [, events] = /with (\d+) activity events/.exec(first.stdout) ?? []
    expect(Number(events)).toBeGreaterThan(1000)
    const second = await runBeacon('cli', { args: ['demo', 'seed'], env })
    expect(second.code).toBe(0)
    expect(second.stdout).toContain('already seeded')
    expect(second.stdout).toContain(`with ${events} activity events`)
    expect(second.stdout).not.toContain('with 0 activity events')
  })
})

describe('tasks in the shell', () => {
  it('done by the creator: the assignee is told, and the kudos offer names who did the work', { timeout: 60_000 }, async () => {
    const sh = typeIntoShell({ DATABASE_PATH: join(tempDataDir(), 'b.db'), PORT: '0' })
    sh.type('/task @bob review the contract tomorrow')
    await sh.until(/New task T-1/)
    sh.type('/task done T-1')
    await sh.until(/✅ T-1 review the contract is done\. I’ll let Bob know\./)
    await sh.until(/\[DM to Bob\] Beacon #\d+:\n\s+✅ Alice marked T-1 review the contract done\. Nothing more to do there\./)
    const [offer] = await sh.until(/\[DM to Alice\] Beacon #\d+:\n.*\n.*/)
    expect(offer).toContain('✅ You marked T-1 review the contract done. Want to thank Bob?')
    expect(offer).toContain('[1: Send kudos to Bob]')
    expect(offer).not.toContain('thank them')
    expect((await sh.end()).code).toBe(0)
  })

  it('/totask and /save on the same message twice: the existing task, the existing item; lists print their header once', {
    timeout: 60_000,
  }, async () => {
    const sh = typeIntoShell({ DATABASE_PATH: join(tempDataDir(), 'b.db'), PORT: '0' })
    sh.type('we should renew the certificate')
    const [, id] = await sh.until(/\[#general\] Alice #(\d+): we should renew the certificate/)
    sh.type(`/totask ${id}`)
    await sh.until(/Task T-1 created/)
    sh.type(`/totask ${id}`)
    await sh.until(/This message is already task T-1: we should renew the certificate — Alice, no due date\. Nothing new was created\./)

    sh.type(`/save ${id}`)
    await sh.until(/Saving this thread…/)
    await sh.until(/Saved to knowledge: we should renew the certificate/)
    sh.type(`/save ${id}`)
    const [again] = await sh.until(/\[#general\] Beacon \(only you\):\n.*/)
    expect(again).toContain('This thread is already in the knowledge base: we should renew the certificate (shell://general/')
    expect(again).not.toContain('I’ll confirm')

    sh.type('/task @bob check the renewal', '/as bob', '/task list')
    const [list] = await sh.until(/bob in #general> \/task list\n\[#general\] Beacon \(only you\):\n(\s+.*\n)+/)
    expect(list.match(/Open tasks assigned to you/g)).toHaveLength(1)
    expect(list).toContain('T-2 check the renewal — Bob')
    const r = await sh.end()
    expect(r.code).toBe(0)
    // One task, one knowledge item: /totask twice made no duplicate.
    expect(r.stdout).not.toMatch(/Task T-3/)
  })
})

describe('a new team’s first week', () => {
  it('/beacon stats shows this week so far, marked partial, once 5 people are active', { timeout: 60_000 }, async () => {
    const dbPath = join(tempDataDir(), 'b.db')
    const startedWeek = weekStart(new Date())
    // Erin posted in #general earlier this week (the shell's own four people are the other four).
    const db = openDb(dbPath)
    await new SqliteActivityRepository(db).recordMany([
      { workspace: 'shell:local', conversationId: 'general', personId: 'erin', kind: 'message', at: new Date(), sourceKey: 'erin-1' },
    ])
    closeDb(db)

    const sh = typeIntoShell({ DATABASE_PATH: dbPath, PORT: '0' })
    sh.type(
      '/beacon team create Platform',
      'hello from alice',
      '/as bob',
      'hello from bob',
      '/as carol',
      'hello from carol',
      '/as alice',
      '/beacon stats',
    )
    await sh.until(/Platform — fewer than 5 active people; not shown/)
    // Alice created the team, so she manages it and is the one who may read its figures.
    sh.type('/as dave', 'hello from dave', '/as alice', '/beacon stats')
    const [stats] = await sh.until(/Platform — this week so far \(\d{4}-W\d{2}, partial: Monday to now, UTC\)\n.*\n/)
    expect((await sh.end()).code).toBe(0)
    // Midnight between Sunday and Monday fell inside the test: this week is a new one, nothing to compare.
    if (weekStart(new Date()) !== startedWeek) return
    expect(stats).toContain('Active people: 5')
  })
})
