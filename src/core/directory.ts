import type { Member, MemberKind, PrismaClient } from "../store/index.js";
import { fold } from "./members.js";

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
export class DirectoryService {
  constructor(private readonly db: PrismaClient) {}

  async search(query: DirectoryQuery, page: number): Promise<DirectoryPage> {
    const listed = await this.db.member.findMany({
      where: { status: "ACTIVE", directoryConsent: true, ...(query.kind ? { kind: query.kind } : {}) },
      orderBy: [{ commune: "asc" }, { firstName: "asc" }, { id: "asc" }],
    });
    const text = query.text ? fold(query.text) : "";
    const commune = query.commune ? fold(query.commune) : "";
    const hits = listed.filter((m) => {
      if (commune && !fold(m.commune).includes(commune)) return false;
      if (!text) return true;
      const haystack = fold([m.firstName, m.lastName, m.displayName, m.structure, m.commune, m.networks].join(" "));
      return text.split(/\s+/).every((word) => haystack.includes(word));
    });
    hits.sort((a, b) => fold(a.commune).localeCompare(fold(b.commune), "fr") || fold(a.firstName).localeCompare(fold(b.firstName), "fr") || a.id - b.id);
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
