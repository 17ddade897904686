/**
 * Business impact in the local shell: `beacon demo seed`'s organisation (adoption and impact, the
 * same seeders the CLI runs) on the real composition root, then `/beacon impact` typed at the
 * terminal as the shell's people. Time stands still at NOW so the seeded weeks are the report's.
 * Bob manages "Engineering Guild" in the demo; Alice owns the shell (an admin) and manages two teams.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { SHELL_WORKSPACE } from '../../adapters/shell/shell-world.ts'
import type { Beacon } from '../../src/app/compose.ts'
import { seedDemo } from '../../src/core/adoption/demo.ts'
import { seedImpactDemo } from '../../src/core/impact/demo.ts'
import { runShellScript } from '../support/shell-script.ts'
import { TestClock } from '../support/test-clock.ts'

/** Wednesday 2025-06-18: the last complete week is 2025-W24, the month's four weeks W21–W24. */
const NOW = new Date('2025-06-18T10:00:00Z')

async function seed(beacon: Beacon): Promise<void> {
  const { repos } = beacon.ctx
  await seedDemo({ workspace: SHELL_WORKSPACE, activity: repos.activity, settings: repos.adoptionSettings, people: repos.people, now: NOW })
  await seedImpactDemo({ workspace: SHELL_WORKSPACE, impact: repos.impact, settings: repos.adoptionSettings, now: NOW })
}

/** What the shell printed after each typed line, in order: `[["bob> /beacon impact", "…reply…"], …]`. */
function exchanges(out: string): [string, string][] {
  const parts = out.split(/^(\w+) in #\S+> (.*)$/m)
  const result: [string, string][] = []
  for (let i = 1; i + 1 < parts.length; i += 3) result.push([`${parts[i]}> ${parts[i + 1]}`, parts[i + 2]?.trim() ?? ''])
  return result
}

describe('impact in the local shell', () => {
  let replies: Map<string, string>

  beforeAll(async () => {
    const { out } = await runShellScript(
      [
        '/as bob',
        '/beacon impact',
        '/as alice',
        '/beacon impact',
        '/beacon impact Operations week',
        '/beacon impact Nowhere',
        '/beacon team remove-manager "Engineering Guild" @bob',
        '/as bob',
        '/beacon impact Engineering Guild',
      ],
      {},
      { clock: TestClock.at(NOW), before: seed },
    )
    replies = new Map(exchanges(out))
  }, 60_000)

  it('a manager sees their team: stage, next step and this month’s figures, nothing of other teams', () => {
    const bob = replies.get('bob> /beacon impact')!
    expect(bob).toMatch(/Engineering Guild — impact 2025-W21 – 2025-W24/)
    expect(bob).toMatch(/Stage: experimental — no objective or measurement yet/)
    expect(bob).toMatch(/To move up: set a weekly objective \(\/beacon goal active 20 <team>\)/)
    expect(bob).toMatch(/Questions asked: 29 \(▲ 1\)/)
    expect(bob).toMatch(/Questions answered within a working day: 38% \(▼ 1 pts\)/)
    expect(bob).toMatch(/Median minutes to a first answer: 35/)
    expect(bob).toMatch(/Tasks closed by their due date: 40%/)
    expect(bob).toMatch(/never content or individuals/)
    expect(bob).not.toMatch(/Organisation|Operations|Marketing|Customer Success|Launch Squad/)
  })

  it('the admin sees every team and the organisation; a small team is withheld, not shown', () => {
    const alice = replies.get('alice> /beacon impact')!
    expect(alice).toMatch(/Marketing — impact 2025-W21 – 2025-W24\n\s+- Stage: advanced/)
    expect(alice).toMatch(/Customer Success — impact 2025-W21 – 2025-W24\n\s+- Stage: formalized/)
    expect(alice).toMatch(/Finance Circle — fewer than 5 active people; not shown to protect privacy\./)
    expect(alice).toMatch(/Organisation — impact 2025-W21 – 2025-W24\n\s+- Stage: formalized — at least half of the 6 teams are formalized or beyond/)
    expect(alice).toMatch(/To move up: move 1 more team\(s\) to mature/)
    expect(alice).toMatch(/Questions asked: 174 \(▲ 6\)/)
  })

  it('one team over one week: the week’s figures and its stage', () => {
    const week = replies.get('alice> /beacon impact Operations week')!
    expect(week).toMatch(/Operations — impact 2025-W24\n\s+- Stage: mature/)
    expect(week).toMatch(/To move up: turn decisions into \/tasks with due dates and close them on time/)
    expect(week).toMatch(/Questions asked: 8 \(▲ 1\)/)
    expect(week).toMatch(/Questions answered within a working day: 100%/)
    expect(week).not.toMatch(/2025-W21|Organisation|Marketing/)
  })

  it('an unknown team and a person who manages no team get a clear refusal and no figures', () => {
    expect(replies.get('alice> /beacon impact Nowhere')).toMatch(/There is no team called “Nowhere” among the teams you can see\./)
    expect(replies.get('alice> /beacon team remove-manager "Engineering Guild" @bob')).toMatch(/Bob no longer manages \*?\*?Engineering Guild/)
    const refused = replies.get('bob> /beacon impact Engineering Guild')!
    expect(refused).toMatch(/for team managers and workspace admins, and you don’t manage a team yet/)
    expect(refused).not.toMatch(/Stage|Questions|impact 2025/)
  })
})
