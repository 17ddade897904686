/**
 * A separate process creating tasks on a shared SQLite file, for the concurrent short-id test:
 *   node --import tsx tasks-create-worker.ts <db file> <count> <label>
 */
import { closeDb, openDb } from '../../src/storage/db.ts'
import { SqliteTaskRepository } from '../../src/storage/repositories/tasks.ts'

const [file, count, label] = process.argv.slice(2)
const db = openDb(file!, { migrate: false })
const repo = new SqliteTaskRepository(db)
const numbers: number[] = []
for (let i = 0; i < Number(count); i++) {
  const t = await repo.create(
    {
      workspace: 'slack:T1',
      title: `${label} ${i}`,
      creatorId: label!,
      creatorName: label!,
      timezone: 'UTC',
      assignees: [{ personId: 'U1', displayName: 'One' }],
      dueDateOnly: false,
    },
    new Date(),
  )
  numbers.push(t.number)
}
closeDb(db)
process.stdout.write(JSON.stringify(numbers))
