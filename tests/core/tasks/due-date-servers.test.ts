/**
 * The same words mean the same moment whatever zone the *server* runs in (issue 22): every case in
 * due-date-cases.ts is answered here and by child processes started with TZ set to each of
 * SERVER_ZONES, and all must equal the expected local times.
 */
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { answerCases, calendarAnswers, CASES, CREATOR_ZONES, SERVER_ZONES, type Answer, type Expected } from './due-date-cases.ts'

const ROOT = join(import.meta.dirname, '../../..')
const TSX = join(ROOT, 'node_modules/.bin/tsx')

function matches(answer: string, e: Expected): boolean {
  if ('due' in e) return answer === `due ${e.due} | ${e.title}`
  if ('none' in e) return answer === `none | ${e.title}`
  return answer.startsWith('refused: ') && answer.includes(e.says)
}

const EXPECTED_CALENDAR = {
  'snooze New York Sat 7 Mar 17:00': '2026-03-08 17:00',
  'snooze Paris Sat 24 Oct 17:00': '2026-10-25 17:00',
  // Midnight is skipped there: Sunday starts at 01:00, and Saturday ends exactly then.
  'America/Santiago 2026-09-05 23:30 day': '2026-09-05 00:00 → 2026-09-06 01:00',
  'America/Havana 2026-03-07 23:30 day': '2026-03-07 00:00 → 2026-03-08 01:00',
}

describe('due dates are the same on every server', () => {
  it(`this process (TZ=${process.env.TZ ?? 'unset'}) answers every case as expected for creators in ${CREATOR_ZONES.length} zones`, async () => {
    const answers = await answerCases()
    const wrong = answers.filter((a) => !matches(a.answer, CASES.find((c) => c.text === a.text && c.now === a.now)!.expect))
    expect(wrong).toEqual([])
    expect(answers.length).toBeGreaterThan(CASES.length * 6)
    expect(calendarAnswers()).toEqual(EXPECTED_CALENDAR)
  })

  // A child process compiles and answers every case: seconds alone, a minute or more on a busy machine.
  // The limit only stops a hung child; nothing here depends on how long it takes.
  it.each(SERVER_ZONES)('a server with TZ=%s gives exactly the same answers', { timeout: 180_000 }, async (tz) => {
    const { stdout } = await promisify(execFile)(TSX, [join(import.meta.dirname, 'due-date-cases.ts')], {
      cwd: ROOT,
      env: { ...process.env, TZ: tz },
      maxBuffer: 16 * 1024 * 1024,
    })
    const child = JSON.parse(stdout) as { tz: string; answers: Answer[]; calendar: Record<string, string> }
    expect(child.tz).toBe(tz)
    expect(child.answers).toEqual(await answerCases())
    expect(child.calendar).toEqual(EXPECTED_CALENDAR)
  })
})
