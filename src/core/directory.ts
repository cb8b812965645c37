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

interface DirectoryPage {
  members: Member[];
  page: number;
  pages: number;
  total: number;
}

interface SearchOptions {
  pageSize?: number;
  /**
   * Match only what the public directory shows (a search on the web must not reveal a last
   * name or a display name the member kept private).
   */
  publicOnly?: boolean;
}

const DIRECTORY_PAGE_SIZE = 5;

/** The name the public sees: the first name, and the last name only if the member chose it. */
export function publicName(member: Pick<Member, "firstName" | "lastName" | "directoryLastName">): string {
  return member.directoryLastName && member.lastName ? `${member.firstName} ${member.lastName}` : member.firstName;
}

/**
 * The member's address in the directory, « 12-camille-martin »: the id keeps it stable (a new
 * name still finds the page, which then points to the new address), the name makes it readable.
 */
export function directorySlug(member: Pick<Member, "id" | "firstName" | "lastName" | "directoryLastName">): string {
  const words = fold(publicName(member)).replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  return words ? `${member.id}-${words}` : String(member.id);
}

/** The networks as a list (they are stored comma separated). */
export function networksOf(member: Pick<Member, "networks">): string[] {
  return member.networks.split(",").map((n) => n.trim()).filter(Boolean);
}

/**
 * The departmental directory: active members who consented to appear. Matching is done in
 * memory with accents and case folded (SQLite's LIKE would miss « Épinal » for « epinal »), in
 * French order (commune, then name).
 */
interface Listed {
  member: Member;
  commune: string;
  haystack: string;
  publicHaystack: string;
}

export class DirectoryService {
  /** The listed members, folded once; reloaded after any member write, or after a few seconds. */
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
      publicHaystack: fold([publicName(m), m.structure, m.commune, m.networks].join(" ")),
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

  async search(query: DirectoryQuery, page: number, options: SearchOptions = {}): Promise<DirectoryPage> {
    const size = options.pageSize ?? DIRECTORY_PAGE_SIZE;
    const text = query.text ? fold(query.text).split(/\s+/).filter(Boolean) : [];
    const commune = query.commune ? fold(query.commune) : "";
    const hits = (await this.listing.get())
      .filter((l) => {
        const haystack = options.publicOnly ? l.publicHaystack : l.haystack;
        return (!query.kind || l.member.kind === query.kind) && (!commune || l.commune.includes(commune)) && text.every((w) => haystack.includes(w));
      })
      .map((l) => l.member);
    const pages = Math.max(1, Math.ceil(hits.length / size));
    const current = Math.min(Math.max(1, Number.isFinite(page) ? Math.trunc(page) : 1), pages);
    return { members: hits.slice((current - 1) * size, current * size), page: current, pages, total: hits.length };
  }

  /** The communes of the listed members with how many each, in French order. */
  async communes(): Promise<{ name: string; count: number }[]> {
    const counts = new Map<string, { name: string; count: number }>();
    for (const l of await this.listing.get()) {
      if (!l.commune || !l.member.commune) continue;
      const entry = counts.get(l.commune) ?? { name: l.member.commune, count: 0 };
      entry.count += 1;
      counts.set(l.commune, entry);
    }
    return [...counts.values()];
  }

  /** A listed member by the id at the start of their directory address; null when not listed. */
  async bySlug(slug: string): Promise<Member | null> {
    const id = /^(\d{1,9})(?:-|$)/.exec(slug)?.[1];
    if (!id) return null;
    return (await this.listing.get()).find((l) => l.member.id === Number(id))?.member ?? null;
  }

  /** Every listed member, in directory order (the staff's CSV export). */
  async everyone(): Promise<Member[]> {
    return (await this.listing.get()).map((l) => l.member);
  }
}
