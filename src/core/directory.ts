import type { Member, MemberKind, PrismaClient } from "../store/index.js";
import type { StoreChanges } from "../store/changes.js";
import { Cached } from "./cache.js";
import { fold } from "./members.js";
import { hasLeft } from "./roles.js";

export interface DirectoryQuery {
  text?: string;
  kind?: MemberKind;
  commune?: string;
}

export interface DirectoryPage {
  members: Member[];
  page: number;
  pages: number;
  total: number;
}

export const DIRECTORY_PAGE_SIZE = 5;

/**
 * The departmental directory: active members who consented to appear. Matching is done in
 * memory with accents and case folded (a network of ~35 people; SQLite's LIKE would miss
 * « Épinal » for « epinal »).
 */
interface Listed {
  member: Member;
  commune: string;
  haystack: string;
}

export class DirectoryService {
  /** The listed members, folded once; reloaded after any member write. */
  private readonly listing: Cached<Listed[]>;

  constructor(
    private readonly db: PrismaClient,
    changes: StoreChanges,
  ) {
    this.listing = new Cached(changes, ["Member"], () => this.load());
  }

  private async load(): Promise<Listed[]> {
    const members = await this.db.member.findMany({ where: { status: "ACTIVE", directoryConsent: true } });
    const listed = members.map((m) => ({
      member: m,
      commune: fold(m.commune),
      haystack: fold([m.firstName, m.lastName, m.displayName, m.structure, m.commune, m.networks].join(" ")),
    }));
    const collator = new Intl.Collator("fr");
    return listed.sort((a, b) => collator.compare(a.commune, b.commune) || collator.compare(fold(a.member.firstName), fold(b.member.firstName)) || a.member.id - b.member.id);
  }

  /**
   * Contact details are for members who accepted the charter: a newcomer still in the journey
   * sees the directory without them until the charter step is done; staff always see them.
   */
  async mayReadContacts(viewer: Member): Promise<boolean> {
    if (hasLeft(viewer)) return false;
    if (viewer.status === "ACTIVE" || viewer.role !== "PROMENEUR") return true;
    const accepted = await this.db.onboardingStep.findFirst({ where: { key: "charte", journey: { memberId: viewer.id } } });
    return accepted !== null;
  }

  async search(query: DirectoryQuery, page: number): Promise<DirectoryPage> {
    const text = query.text ? fold(query.text).split(/\s+/) : [];
    const commune = query.commune ? fold(query.commune) : "";
    const hits = (await this.listing.get())
      .filter((l) => (!query.kind || l.member.kind === query.kind) && (!commune || l.commune.includes(commune)) && text.every((w) => l.haystack.includes(w)))
      .map((l) => l.member);
    const pages = Math.max(1, Math.ceil(hits.length / DIRECTORY_PAGE_SIZE));
    const current = Math.min(Math.max(1, page), pages);
    return {
      members: hits.slice((current - 1) * DIRECTORY_PAGE_SIZE, current * DIRECTORY_PAGE_SIZE),
      page: current,
      pages,
      total: hits.length,
    };
  }
}
