import { BeaconError } from '../../../core/errors.ts'

/**
 * Stands in for a PostgreSQL store that the other half of issue 15 writes (tasks, kudos,
 * activity, adoption settings): any call fails with a clear `not_supported` error instead of
 * touching the wrong database. Delete this file once every store has its PostgreSQL class.
 */
export function pendingOnPostgres<T extends object>(store: string): T {
  return new Proxy({} as T, {
    get(_target, method) {
      if (method === 'then') return undefined // not a thenable
      return () => Promise.reject(new BeaconError('not_supported', `${store}.${String(method)} is not available on PostgreSQL yet`))
    },
  })
}
