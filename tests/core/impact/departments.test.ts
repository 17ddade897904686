/**
 * Departments over time, the privacy part: a department-week under the minimum is hidden, and since
 * a week's cells add up to the organisation, hidden cells never make a small group together either.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { suppress } from '../../../src/core/impact/departments.ts'

describe('department cells', () => {
  it('hides a small cell, and the smallest other with it when it would be alone', () => {
    // Rows: departments; columns: weeks.
    expect(
      suppress(
        [
          [40, 40, 40],
          [2, 0, 7],
          [12, 9, 6],
        ],
        5,
      ),
    ).toEqual([
      [40, 40, 40],
      [undefined, 0, 7],
      [undefined, 9, 6],
    ])
    // Two small cells that together reach the minimum need no third.
    expect(suppress([[30], [3], [3], [8]], 5)).toEqual([[30], [undefined], [undefined], [8]])
    // A week of one small department and nothing else shows nothing.
    expect(suppress([[0], [3]], 5)).toEqual([[0], [undefined]])
  })

  it('never leaves the hidden cells of a week adding up to 1…minimum−1 beside shown ones, nor shows a small cell', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.nat(30), { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 2, max: 10 }),
        (counts, k) => {
          const shown = suppress(counts, k)
          for (let w = 0; w < 3; w++) {
            let hidden = 0
            for (const [d, row] of counts.entries()) {
              const v = shown[d]![w]
              if (v === undefined) hidden += row[w]!
              else expect(v === row[w] && (v === 0 || v >= k)).toBe(true)
            }
            // Or the week shows no one at all (its only people are too few to show, cell or total).
            const nobodyShown = counts.every((row, d) => shown[d]![w] === undefined || row[w] === 0)
            expect(hidden === 0 || hidden >= k || nobodyShown).toBe(true)
          }
        },
      ),
    )
  })
})
