#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader, so there is no build step between a checkout and `beacon`.
import { register } from 'tsx/esm/api'

register()
await import('../src/app/cli.ts')
