/**
 * The privacy table list is complete: every model of prisma/schema.prisma is listed, and every
 * column that holds a member's id is declared, so /mes-donnees exporter and effacer cannot miss a
 * table added later.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { TABLES, type TablePolicy } from "../../../src/core/privacy/tables.js";
import { SCHEMA_PATH } from "../../../src/store/paths.js";

interface ModelShape {
  name: string;
  /** Scalar columns that hold a Member id: by relation to Member, or by name. */
  memberColumns: string[];
}

/** Columns named like a member reference: memberId, askerId, authorId, actorId, createdById, updatedBy… */
const MEMBER_ID_NAME = /^(member|asker|author|actor|voter|recipient|owner|sender|user)Id$|ById$|^updatedBy$/;

function modelsOf(schema: string): ModelShape[] {
  const models: ModelShape[] = [];
  for (const [, name, body] of schema.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)) {
    const columns = new Set<string>();
    for (const line of body!.split("\n").map((l) => l.trim())) {
      const [field, type] = line.split(/\s+/);
      if (!field || !type || field.startsWith("//") || field.startsWith("@@")) continue;
      if (/^Int\??$/.test(type) && MEMBER_ID_NAME.test(field)) columns.add(field);
      const relation = /^Member\??$/.test(type) && /fields:\s*\[(\w+)\]/.exec(line);
      if (relation) columns.add(relation[1]!);
    }
    models.push({ name: name!, memberColumns: [...columns] });
  }
  return models;
}

const schema = readFileSync(SCHEMA_PATH, "utf8");
const models = modelsOf(schema);
const policies = TABLES as Record<string, TablePolicy>;

describe("the privacy table list", () => {
  it("reads the schema's models (the parser itself works)", () => {
    expect(models.map((m) => m.name)).toContain("Member");
    expect(models.find((m) => m.name === "Question")!.memberColumns.sort()).toEqual(["askerId", "closedById"]);
    expect(models.find((m) => m.name === "PlatformAccount")!.memberColumns).toEqual(["memberId"]);
    // A new table with a member relation is seen, whatever its column is called.
    const added = modelsOf("model InboxMessage {\n  id Int @id\n  toId Int\n  to Member @relation(fields: [toId], references: [id])\n}\n");
    expect(added).toEqual([{ name: "InboxMessage", memberColumns: ["toId"] }]);
  });

  it("lists every model of the schema, and nothing else", () => {
    expect(Object.keys(policies).sort()).toEqual(models.map((m) => m.name).sort());
  });

  it.each(models.map((m) => [m.name, m] as const))("%s: every member column is declared, owned data is exported and erased", (name, model) => {
    const policy = policies[name]!;
    expect(Object.keys(policy.memberColumns).sort(), `${name}: declare its member columns in src/core/privacy/tables.ts`).toEqual([...model.memberColumns].sort());
    const owned = Object.values(policy.memberColumns).includes("owner") || name === "Member";
    if (owned) {
      expect(policy.category, `${name}: a /mes-donnees category`).toBeDefined();
      expect(typeof policy.export, `${name}: an export`).toBe("function");
      if (name !== "Member") expect(typeof policy.erase, `${name}: an erasure`).toBe("function");
    } else {
      expect(policy.why ?? (policy.trace ? "trace" : ""), `${name}: say why it holds nothing to export`).not.toBe("");
    }
  });
});
