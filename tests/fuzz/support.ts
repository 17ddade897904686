/**
 * Shared by the fuzz suites: fast-check settings (modest runs, a fixed seed printed on failure) and a
 * row count of every table, to show a rejected request stored nothing.
 */
import fc from 'fast-check'
import type { Db } from '../../src/storage/db.ts'

/** FUZZ_SEED reruns a failure exactly; fast-check prints the seed and the shrunk counterexample. */
export const SEED = Number(process.env.FUZZ_SEED ?? 20_251_126)

export function params(numRuns: number): fc.Parameters<unknown> {
  return { seed: SEED, numRuns, endOnFailure: true }
}

/** Rows in every table (FTS shadow tables excluded: they mirror knowledge_items). */
export function rowCounts(db: Db): Record<string, number> {
  const tables = db.$client
    .prepare(
      `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%_fts%' AND name NOT LIKE '__drizzle%'`,
    )
    .all() as { name: string }[]
  return Object.fromEntries(tables.map(({ name }) => [name, (db.$client.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n]))
}

/** A valid payload with one value somewhere replaced by arbitrary JSON, or one key removed. */
export function mutated(base: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<Record<string, unknown>> {
  return fc.tuple(base, fc.nat(), fc.jsonValue(), fc.boolean()).map(([b, at, value, remove]) => {
    const copy = structuredClone(b)
    const slots: [Record<string, unknown>, string][] = []
    const walk = (o: unknown) => {
      if (o && typeof o === 'object')
        for (const [k, v] of Object.entries(o)) {
          slots.push([o as Record<string, unknown>, k])
          walk(v)
        }
    }
    walk(copy)
    const [obj, key] = slots[at % slots.length]!
    if (remove) delete obj[key]
    else obj[key] = value
    return copy
  })
}

/** Text people might type: any unicode, control characters, search syntax, mentions, huge. */
export const hostileText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.string({
    unit: fc.constantFrom('\u0000', '\u0007', '\u001b', '\r', '\n', '\t', '\u200b', '\u202e', '\ufeff', '\ud800', 'a', ' '),
    maxLength: 100,
  }),
  fc
    .array(
      fc.constantFrom(
        '"',
        '*',
        '(',
        ')',
        'NEAR',
        'NOT',
        'AND',
        'OR',
        '-',
        '^',
        ':',
        'in:#',
        'from:@',
        'tag:',
        '<@U1>',
        '<#C1|general>',
        '<!channel>',
        '<https://x.example|x>',
        '%',
        "'",
        ';',
        '--',
        'help',
        'list',
        'done',
        'T-1',
        'suggest',
        'on',
        'off',
        '@',
        '#',
        '🔥',
      ),
      { maxLength: 30 },
    )
    .map((xs) => xs.join(' ')),
  fc.string({ minLength: 3000, maxLength: 12_000 }),
)
