-- Who may see the voters of a named poll before it closes (noms:visibles); existing polls keep the staff-only default.
ALTER TABLE "Poll" ADD COLUMN "namesVisible" BOOLEAN NOT NULL DEFAULT false;
