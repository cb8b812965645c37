// The data-protection feature as commands, the site and the nightly job reach it: the member's
// rights (PrivacyService) plus the retention rules and the notice, bound to the bot's store.
import type { Reply } from "../reply.js";
import { noticeReply } from "./notice.js";
import { applyRetention, readRetention, setDpoContact, setRetention, type Retention, type RetentionKey, type RetentionOutcome } from "./retention.js";
import { PrivacyService } from "./service.js";

export class Privacy extends PrivacyService {
  /** The retention durations in force (months per rule). */
  retention(): Promise<Retention> {
    return readRetention(this.db);
  }

  /** Changes one retention duration (administrator); returns the one it replaced. */
  setRetention(key: RetentionKey, months: number, actorId: number): Promise<number> {
    return setRetention(this.db, this.clock, key, months, actorId);
  }

  /** The data-protection officer's contact shown in the notice. */
  setDpoContact(contact: string, actorId: number): Promise<void> {
    return setDpoContact(this.db, this.clock, contact, actorId);
  }

  /** The notice (`/confidentialite`, the site's page), with the durations and contact in force. */
  notice(): Promise<Reply> {
    return noticeReply(this.db);
  }

  /** Erases what is past its retention duration (the nightly job). */
  applyRetention(): Promise<RetentionOutcome> {
    return applyRetention(this.db, this.clock);
  }
}
