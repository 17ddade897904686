// The operators' `beacon` command. Every subcommand reads the same environment as `npm start`.
import { composeBeacon, ROLES, type Role } from './compose.ts'
import { createLogger } from './logger.ts'
import { configOrExit, exitOnStartupError, serve, shell } from './run.ts'
import { isBeaconError } from '../core/errors.ts'
import { systemClock } from '../core/ports.ts'
import { openStorage } from '../storage/open.ts'

const USAGE = `Usage: beacon <command>

  migrate              apply database migrations and exit
  serve [--role web|worker|all]
                       serve HTTP (Slack, Teams, health checks); web takes chat traffic and
                       runs no jobs, worker runs jobs and schedules (HTTP: health checks
                       only), all (default) does both
  shell                open the local terminal chat
  jobs list            list the jobs this Beacon runs
  jobs run <name> [json-data]
                       run one job now (e.g. a scheduled digest) and wait for it
  org link <workspace> <workspace>…
                       join Slack workspaces and Teams tenants into one organisation
                       (e.g. beacon org link slack:T0ACME teams:<tenant-id>)
  org unlink <workspace>…
                       take workspaces out of their organisation
  org list             organisations, and the workspaces not linked
  demo seed            fill the local shell workspace with a synthetic organisation
                       (~300 people, 7 teams, 12 weeks of activity) for /beacon stats
  help                 this text

Configuration comes from the environment and a .env file in this folder; see .env.example.`

async function main(argv: string[]): Promise<number> {
  const [cmd, sub, ...rest] = argv
  switch (cmd) {
    case 'migrate': {
      const config = configOrExit()
      const storage = await openStorage(config)
      await storage.close()
      process.stdout.write(`Database ${storage.where} is up to date.\n`)
      return 0
    }
    case 'serve': {
      const role = roleOf([sub, ...rest].filter((a): a is string => a !== undefined))
      if (role === undefined) {
        process.stderr.write(`Usage: beacon serve [--role ${ROLES.join('|')}]\n`)
        return 1
      }
      await serve({ ...configOrExit(), mode: 'serve' }, { role })
      return -1 // keeps running until SIGTERM
    }
    case 'shell':
      await shell(configOrExit())
      return 0
    case 'demo':
      return demo(sub)
    case 'jobs':
      return jobs(sub, rest)
    case 'org':
      return org(argv.slice(1))
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(`${USAGE}\n`)
      return cmd === undefined ? 1 : 0
    default:
      process.stderr.write(`Unknown command "${cmd}".\n\n${USAGE}\n`)
      return 1
  }
}

/** `--role web`, `--role=web`, or nothing (all); undefined for anything else. */
function roleOf(args: string[]): Role | undefined {
  if (args.length === 0) return 'all'
  const value =
    args.length === 1 && args[0]!.startsWith('--role=')
      ? args[0]!.slice('--role='.length)
      : args.length === 2 && args[0] === '--role'
        ? args[1]
        : undefined
  return ROLES.find((r) => r === value)
}

async function jobs(sub: string | undefined, args: string[]): Promise<number> {
  const config = configOrExit()
  const beacon = await composeBeacon(config, { log: createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel) })
  try {
    const names = beacon.ctx.queue.names()
    if (sub === 'list') {
      process.stdout.write(names.length ? `${names.join('\n')}\n` : 'No jobs are registered.\n')
      return 0
    }
    const [name, json] = args
    if (sub !== 'run' || !name) {
      process.stderr.write('Usage: beacon jobs run <name> [json-data]\n')
      return 1
    }
    if (!names.includes(name)) {
      process.stderr.write(`No job named "${name}". Known jobs: ${names.join(', ') || 'none'}.\n`)
      return 1
    }
    let data: unknown
    try {
      data = json === undefined ? undefined : JSON.parse(json)
    } catch (err) {
      process.stderr.write(
        `json-data: not valid JSON (${err instanceof Error ? err.message : String(err)}); ` +
          `quote it for the shell, e.g. beacon jobs run ${name} '{"key":"value"}'.\n`,
      )
      return 2
    }
    try {
      await beacon.ctx.queue.runNow(name, data)
    } catch (err) {
      // A payload that does not fit the job is the operator's argument, not a crash.
      if (isBeaconError(err) && err.code === 'job_invalid') {
        const detail = err.message.replace(/^invalid data for job "[^"]+": /, '')
        process.stderr.write(
          json === undefined
            ? `json-data: ${name} ${detail.replace(/^it /, '')}, e.g. beacon jobs run ${name} '{…}'.\n`
            : `json-data does not fit ${name}: ${detail}.\n`,
        )
        return 2
      }
      if (isBeaconError(err)) {
        process.stderr.write(`${name} failed: ${err.message}\n`)
        return 1
      }
      throw err
    }
    process.stdout.write(`Ran ${name}.\n`)
    return 0
  } finally {
    await beacon.close()
  }
}

async function org(args: string[]): Promise<number> {
  const config = configOrExit()
  const storage = await openStorage(config)
  try {
    const { orgCommand } = await import('../core/org/admin.ts')
    const { repos } = storage
    const r = await orgCommand({ orgs: repos.orgs, workspaces: repos.workspaces, clock: systemClock }, args)
    ;(r.code === 0 ? process.stdout : process.stderr).write(`${r.text}\n`)
    return r.code
  } finally {
    await storage.close()
  }
}

async function demo(sub: string | undefined): Promise<number> {
  if (sub !== 'seed') {
    process.stderr.write('Usage: beacon demo seed\n')
    return 1
  }
  const config = configOrExit()
  const storage = await openStorage(config)
  try {
    const { seedDemo } = await import('../core/adoption/demo.ts')
    const { repos } = storage
    await repos.workspaces.upsert({ id: 'shell:local', platform: 'shell', name: 'Local shell' })
    const s = await seedDemo({
      workspace: 'shell:local',
      activity: repos.activity,
      settings: repos.adoptionSettings,
      people: repos.people,
      now: new Date(),
    })
    const { seedImpactDemo } = await import('../core/impact/demo.ts')
    const impact = await seedImpactDemo({ workspace: 'shell:local', impact: repos.impact, settings: repos.adoptionSettings, now: new Date() })
    const what = `${s.people} people in ${s.teams} teams with ${s.totalEvents} activity events over ${s.weeks} weeks (in ${storage.where})`
    process.stdout.write(
      (s.events === 0
        ? `The demo organisation is already seeded: ${what}. Nothing was added.\n`
        : s.events < s.totalEvents
          ? `Reseeded the demo organisation: ${what}; ${s.events} events were missing and are added now.\n`
          : `Seeded ${what}.\n`) +
        `Impact: ${impact.events} value events added (stages and value metrics for six teams).\n` +
        'Now run `npm start` and type `/beacon stats`, `/beacon impact` or `/beacon dashboard`; ' +
        '`beacon jobs run adoption.weekly` plans this week’s nudges.\n',
    )
    return 0
  } finally {
    await storage.close()
  }
}

const code = await main(process.argv.slice(2)).catch((err: unknown) => exitOnStartupError(err))
if (code >= 0) process.exit(code)
