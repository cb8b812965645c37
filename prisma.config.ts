// Prisma 7 reads its settings from here (the schema's datasource block no longer holds a URL).
// Only `prisma generate` is run through the CLI in this project: its migration commands need a
// native engine that cannot be downloaded offline, so migrations go through
// scripts/db-migrate.mjs and src/store/migrate.ts instead. The paths and the default URL below
// must stay in sync with those two (src/store/paths.ts).
import { defineConfig } from "prisma/config";

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: {
    // Not `env("DATABASE_URL")`: that helper throws when the variable is unset, and a fresh
    // clone must work with the default SQLite file.
    url: process.env.DATABASE_URL ?? "file:./data/promeneurs.db",
  },
});
