/** How announcements look: the post and its copies, the animator's confirmations, the form. Neutral replies only. */
import type { Announcement } from "../../store/generated/client.js";
import { AUDIENCES, AUDIENCE_TO, type Audience } from "../audiences.js";
import { formatWhen } from "../dates.js";
import { platformsLabel, postingReport } from "../publication.js";
import { plural } from "../../shared/plural.js";
import type { MessageRef } from "../notifier.js";
import { componentId, type Reply } from "../reply.js";
import { cut } from "../text-lists.js";

export const ANNOUNCEMENT_LIMITS = { title: 100, text: 3000 } as const;

/** The command the announcement forms go back to (commands/annonce.ts). */
export const ANNOUNCEMENT_COMMAND = "annonce";
/** The form actions of that command; its handlers are keyed on these. */
export const ANNOUNCEMENT_ACTIONS = { publish: "publier", modify: "modifier" } as const;
export type AnnouncementAction = (typeof ANNOUNCEMENT_ACTIONS)[keyof typeof ANNOUNCEMENT_ACTIONS];
const flag = (b: boolean | undefined) => (b ? "1" : "0");
export const ANNOUNCEMENT_ROUTES = {
  /** The publishing choices already made travel in the form's id. */
  publish: (audience: Audience, dmCopy: boolean | undefined, pin: boolean | undefined) => componentId(ANNOUNCEMENT_COMMAND, ANNOUNCEMENT_ACTIONS.publish, audience, flag(dmCopy), flag(pin)),
  modify: (id: number) => componentId(ANNOUNCEMENT_COMMAND, ANNOUNCEMENT_ACTIONS.modify, id),
} as const;

/** The post, and each private copy, as they show the announcement now (a withdrawn one says so). */
export function announcementMessage(a: Announcement, timeZone: string): Reply {
  if (a.state === "deleted") {
    return { title: "📣 Annonce retirée", text: `Cette annonce (n°${a.id}) a été retirée par l'animateur du réseau.`, tone: "warning" };
  }
  const edited = a.updatedAt.getTime() > a.createdAt.getTime() ? ` · modifiée le ${formatWhen(a.updatedAt, timeZone)}` : "";
  return {
    title: cut(`📣 ${a.title ?? "Annonce du réseau"}`, 256),
    text: `${a.text}\n\n*Pour ${AUDIENCES[a.audience as Audience]} · annonce n°${a.id}${edited}*`,
    tone: "info",
  };
}

/**
 * The text of an announcement is typed in a form where the platform has one (several lines,
 * no quoting).
 */
export function announcementForm(route: string, title: string, current?: { title?: string | null; text?: string }): Reply {
  return {
    modal: {
      id: route,
      title,
      fields: [
        { id: "titre", label: "Titre (facultatif)", style: "short", required: false, value: current?.title ?? undefined, maxLength: ANNOUNCEMENT_LIMITS.title },
        { id: "texte", label: "Texte de l'annonce", style: "paragraph", required: true, value: current?.text, maxLength: ANNOUNCEMENT_LIMITS.text },
      ],
    },
  };
}

/** The confirmation of a publication: where it went, pinned or not, copies on their way, what failed. */
export function publishedReply(p: {
  announcement: Announcement;
  refs: readonly MessageRef[];
  failures: readonly { platform: MessageRef["platform"]; error: string }[];
  pinFailures: readonly { platform: string; error: string }[];
}): Reply {
  const { announcement: a, refs, failures, pinFailures } = p;
  const notes = [
    a.pinned ? (pinFailures.length ? `épinglée sauf sur ${pinFailures.map((f) => f.platform).join(", ")} (${pinFailures.map((f) => f.error).join(" ; ")})` : "épinglée") : "",
    a.dmCopy ? `copie par message privé en cours d'envoi ${AUDIENCE_TO[a.audience as Audience]}` : "",
  ].filter(Boolean);
  return {
    text: `Annonce n°${a.id} publiée (${platformsLabel(refs)})${notes.length ? ` ; ${notes.join(" ; ")}` : ""}. Pour la corriger : \`/annonce modifier id:${a.id}\`.${postingReport(failures)}`,
    private: true,
    tone: failures.length || pinFailures.length ? "warning" : "success",
  };
}

export function modifiedReply(id: number, messages: number): Reply {
  return { text: `Annonce n°${id} modifiée partout où elle a été publiée (${plural(messages, "message", "messages")}).`, private: true, tone: "success" };
}

export function removedReply(id: number, messages: number): Reply {
  return { text: `Annonce n°${id} retirée : ${messages >= 2 ? `ses ${messages} messages affichent` : "son message affiche"} désormais « annonce retirée ».`, private: true, tone: "success" };
}

export function listReply(recent: readonly Announcement[], timeZone: string): Reply {
  if (recent.length === 0) return { text: "Aucune annonce n'a encore été publiée.", private: true };
  return {
    title: "Dernières annonces",
    fields: recent.map((a) => ({
      name: `n°${a.id} — ${cut(a.title ?? a.text.split("\n")[0]!, 80)}${a.state === "deleted" ? " (retirée)" : ""}`,
      value: `${formatWhen(a.createdAt, timeZone)} · pour ${AUDIENCES[a.audience as Audience]}${a.pinned ? " · épinglée" : ""}${a.dmCopy ? " · copie privée" : ""}`,
    })),
    private: true,
  };
}
