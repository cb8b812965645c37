// setupFiles of the "postgresql" vitest project: when PostgreSQL cannot be reached, every test of
// the project is reported as skipped with the reason, so a machine without PostgreSQL stays green
// and still shows what was not run.
import { beforeEach } from "vitest";

import { postgresUnavailable } from "./postgres-fixture.js";

if (postgresUnavailable !== null) {
  beforeEach((context) => {
    context.skip(`PostgreSQL — ignoré : ${postgresUnavailable}`);
  });
}
