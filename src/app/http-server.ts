import type express from 'express'
import type { ErrorRequestHandler } from 'express'
import { requireCommonJs } from '../core/require-commonjs.ts'
import type { BeaconContext } from './context.ts'

const createExpressApp = requireCommonJs<typeof express>('express')

/**
 * The one HTTP app every adapter mounts its routes on. No global body parser: Slack needs the raw
 * bytes to verify signatures, so each adapter parses its own route.
 */
export function createHttpApp(ctx: Pick<BeaconContext, 'storage' | 'queue' | 'log'>): express.Express {
  const app = createExpressApp()
  app.disable('x-powered-by')

  app.get('/healthz', (_req, res) => {
    res.json({ ok: true })
  })

  app.get('/readyz', async (_req, res) => {
    const database = await ctx.storage.ping()
    const queue = await ctx.queue.ping().catch(() => false)
    const ok = database && queue
    res.status(ok ? 200 : 503).json({ ok, checks: { database, queue } })
  })

  return app
}

/** Mounted last: unknown routes get a JSON 404 and errors a 500 without internals. */
export function finishHttpApp(app: express.Express, ctx: Pick<BeaconContext, 'log'>): void {
  app.use((_req, res) => {
    res.status(404).json({ ok: false, error: 'not_found' })
  })
  const onError: ErrorRequestHandler = (err: unknown, req, res, _next) => {
    const status = typeof err === 'object' && err !== null && 'status' in err && typeof err.status === 'number' ? err.status : 500
    if (status >= 500) ctx.log.error({ err, path: req.path }, 'request failed')
    if (!res.headersSent) res.status(status).json({ ok: false, error: status >= 500 ? 'internal_error' : 'bad_request' })
  }
  app.use(onError)
}
