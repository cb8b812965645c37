// The privacy notice: its text in src/core/onboarding/confidentialite.fr.yaml (beside the other
// texts the animator edits), the durations from the retention settings, the DPO contact from a
// setting. Shown by /confidentialite and at the first step of the welcome journey.
import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { z } from "zod";
import type { PrismaClient } from "../../store/index.js";
import { CONTENT_DIR } from "../onboarding/content.js";
import type { Reply } from "../reply.js";
import { DPO_SETTING, duration, readRetention, RETENTION, type RetentionKey } from "./retention.js";
import "../zod-french.js"; // zod refusals in French

const NOTICE_FILE = path.join(CONTENT_DIR, "confidentialite.fr.yaml");

const text = z.string().trim().min(1, "le texte est vide").max(1000, "1 000 caractères au plus");
const noticeSchema = z.strictObject({
  titre: z.string().trim().min(1).max(150),
  responsable: text,
  finalites: text,
  base_legale: text,
  donnees: text,
  destinataires: text,
  droits: text,
  resume_accueil: text,
  dpo_par_defaut: text,
});
type NoticeText = z.infer<typeof noticeSchema>;

let cached: NoticeText | undefined;

/** Reads and checks the notice; a mistake names the file and the field to correct. */
export function loadNotice(file = NOTICE_FILE): NoticeText {
  if (file === NOTICE_FILE && cached) return cached;
  const result = noticeSchema.safeParse(parse(readFileSync(file, "utf8")));
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new Error(`${path.basename(file)} : « ${issue.path.join(".") || "(racine)"} » : ${issue.message}`);
  }
  if (file === NOTICE_FILE) cached = result.data;
  return result.data;
}

export async function noticeReply(db: PrismaClient): Promise<Reply> {
  const notice = loadNotice();
  const [retention, dpo] = await Promise.all([readRetention(db), db.setting.findUnique({ where: { key: DPO_SETTING } })]);
  const durations = (Object.keys(RETENTION) as RetentionKey[]).map((k) => `- ${RETENTION[k].label} ${duration(retention[k])}`).join("\n");
  return {
    title: notice.titre,
    fields: [
      { name: "Responsable du traitement", value: notice.responsable },
      { name: "Pourquoi", value: notice.finalites },
      { name: "Base légale", value: notice.base_legale },
      { name: "Quelles données", value: notice.donnees },
      { name: "Qui les voit", value: notice.destinataires },
      { name: "Combien de temps", value: durations },
      { name: "Vos droits", value: notice.droits },
      { name: "Délégué à la protection des données", value: dpo?.value ?? notice.dpo_par_defaut },
    ].map((f) => ({ ...f, value: f.value.slice(0, 1024) })),
    private: true,
  };
}
