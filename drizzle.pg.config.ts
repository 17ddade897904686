import { defineConfig } from 'drizzle-kit'

// PostgreSQL (DATABASE_URL=postgres://…). Regenerate with `npx drizzle-kit generate --config drizzle.pg.config.ts`.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/storage/pg/schema/index.ts',
  out: './src/storage/pg/migrations',
})
