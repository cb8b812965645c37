// The diagnostic's Matrix checks, through matrix-js-sdk as the bot itself talks to the homeserver:
// the server answers, the bot's account is accepted (whoami), each room of MATRIX_ROOMS is joined
// or waits for the bot (an invitation), and the encryption is ready (the device's keys on the
// server and in MATRIX_DATA_DIR). The diagnostic never logs in: that would make a new device.
import { existsSync } from "node:fs";
import type { Config } from "../../config.js";
import type { SetupCheck as Check } from "../../core/setup-check.js";
import { within } from "../../core/within.js";
import { cryptoStoreFile } from "./crypto-store.js";
import { sdk, sdkLogger } from "./sdk.js";
import { readSaved } from "./session.js";

const ANSWER_MS = 10_000;
const START_ONCE = "Démarrez le bot une fois (npm start) : il se connecte, crée son appareil et ses clés et les garde dans MATRIX_DATA_DIR ; puis relancez le diagnostic.";

/** The answer within ANSWER_MS, else a failure: a server that does not answer fails its check. */
async function answered<T>(promise: Promise<T>): Promise<T> {
  const value = await within(promise, ANSWER_MS);
  if (value === undefined) throw new Error("no answer in time");
  return value;
}

const errcode = (err: unknown) => (err as { errcode?: string }).errcode;

/** The access token the bot will use: MATRIX_ACCESS_TOKEN, or the one kept from its first login. */
function botToken(config: Config): { token?: string; fromLogin: boolean } {
  if (config.MATRIX_ACCESS_TOKEN) return { token: config.MATRIX_ACCESS_TOKEN, fromLogin: false };
  const saved = readSaved(config.MATRIX_DATA_DIR);
  const sameUser = saved && config.MATRIX_USER && (saved.userId === config.MATRIX_USER || saved.userId.startsWith(`@${config.MATRIX_USER.replace(/^@/, "")}:`));
  return { token: sameUser ? saved.accessToken : undefined, fromLogin: true };
}

export async function checkMatrix(config: Config): Promise<Check[]> {
  const baseUrl = config.MATRIX_HOMESERVER_URL!;
  try {
    await answered(sdk.createClient({ baseUrl, logger: sdkLogger() }).getVersions());
  } catch {
    return [{ label: "Matrix : serveur", ok: false, detail: `${baseUrl} ne répond pas comme un serveur Matrix`, fix: "Vérifiez MATRIX_HOMESERVER_URL (sur Tchap, l'adresse du serveur de votre compte, par exemple https://matrix.agent.tchap.gouv.fr) et que la machine du bot peut joindre cette adresse (pare-feu, proxy)." }];
  }
  const checks: Check[] = [{ label: "Matrix : serveur", ok: true, detail: `${baseUrl} répond` }];
  const { token, fromLogin } = botToken(config);
  if (!token) {
    checks.push({ label: "Matrix : compte du bot", ok: false, detail: "pas encore connecté (connexion avec MATRIX_USER et MATRIX_PASSWORD au premier démarrage)", fix: START_ONCE });
    return checks;
  }
  const client = sdk.createClient({ baseUrl, accessToken: token, logger: sdkLogger() });
  let me: { user_id: string; device_id?: string };
  try {
    me = await answered(client.whoami());
  } catch (err) {
    const refused = errcode(err) === "M_UNKNOWN_TOKEN";
    if (refused && fromLogin) {
      checks.push({ label: "Matrix : compte du bot", ok: true, detail: "jeton enregistré expiré : le bot se reconnectera avec MATRIX_PASSWORD au démarrage, sur le même appareil" });
      return checks;
    }
    const fix = refused ? "Le jeton a été révoqué (appareil déconnecté ?) : mettez un jeton valide du compte du bot dans MATRIX_ACCESS_TOKEN, ou utilisez MATRIX_USER et MATRIX_PASSWORD." : "Relancez le diagnostic ; si cela persiste, vérifiez que le serveur Matrix fonctionne.";
    checks.push({ label: "Matrix : compte du bot", ok: false, detail: refused ? "jeton refusé par le serveur" : "le serveur n'a pas répondu à la vérification du jeton", fix });
    return checks;
  }
  checks.push({ label: "Matrix : compte du bot", ok: true, detail: `${me.user_id}, appareil ${me.device_id ?? "?"}` });
  checks.push(...(await roomChecks(client, config.MATRIX_ROOMS, me.user_id)));
  checks.push(await encryptionCheck(client, config, me.user_id, me.device_id));
  return checks;
}

/** Rooms the bot is invited to, from one sync that asks for nothing else (it changes nothing on the server). */
async function invitedRooms(client: sdk.MatrixClient): Promise<Set<string>> {
  const filter = { room: { timeline: { limit: 0 }, state: { types: [] }, ephemeral: { types: [] }, account_data: { types: [] } }, presence: { types: [] }, account_data: { types: [] } };
  const sync = await client.http.authedRequest<{ rooms?: { invite?: Record<string, unknown> } }>(sdk.Method.Get, "/sync", { timeout: "0", filter: JSON.stringify(filter) });
  return new Set(Object.keys(sync.rooms?.invite ?? {}));
}

async function roomChecks(client: sdk.MatrixClient, rooms: readonly string[], botUserId: string): Promise<Check[]> {
  if (rooms.length === 0) return [{ label: "Matrix : salons", ok: false, detail: "MATRIX_ROOMS est vide : le bot ne sert aucun salon", fix: "Mettez dans MATRIX_ROOMS les identifiants (!…:serveur) ou alias (#…:serveur) des salons du réseau, séparés par des virgules." }];
  let joined: Set<string>;
  let invited: Set<string>;
  try {
    joined = new Set((await answered(client.getJoinedRooms())).joined_rooms);
    invited = await answered(invitedRooms(client));
  } catch {
    return [{ label: "Matrix : salons", ok: false, detail: "la liste des salons du bot n'a pas pu être lue", fix: "Relancez le diagnostic ; si cela persiste, vérifiez que le serveur Matrix fonctionne." }];
  }
  const invite = `Dans Element ou Tchap, ouvrez le salon → Inviter → ${botUserId}`;
  const checks: Check[] = [];
  for (const entry of rooms) {
    const label = `Matrix : salon ${entry}`;
    let roomId = entry;
    if (entry.startsWith("#")) {
      try {
        roomId = (await answered(client.getRoomIdForAlias(entry))).room_id;
      } catch {
        checks.push({ label, ok: false, detail: "alias inconnu du serveur", fix: `Vérifiez l'alias dans MATRIX_ROOMS (paramètres du salon → Général → adresse), ou mettez l'identifiant du salon (!…:serveur).` });
        continue;
      }
    }
    if (joined.has(roomId)) checks.push({ label, ok: true, detail: "le bot est dans le salon" });
    else if (invited.has(roomId)) checks.push({ label, ok: true, detail: "le bot est invité : il rejoindra le salon à son démarrage" });
    else checks.push({ label, ok: false, detail: "le bot n'est ni dans ce salon ni invité", fix: `${invite}, puis redémarrez le bot (ou corrigez MATRIX_ROOMS).` });
  }
  return checks;
}

/**
 * Encrypted rooms (Tchap's default) need the device's keys published on the server and kept in
 * MATRIX_DATA_DIR: without the second, the bot would read no earlier message and people's clients
 * would see a device they no longer trust.
 */
async function encryptionCheck(client: sdk.MatrixClient, config: Config, userId: string, deviceId: string | undefined): Promise<Check> {
  const label = "Matrix : chiffrement";
  if (!deviceId) return { label, ok: false, detail: "le serveur ne dit pas à quel appareil appartient le jeton", fix: "Utilisez MATRIX_USER et MATRIX_PASSWORD : le bot se connecte alors une fois et garde son appareil." };
  let published = false;
  try {
    const keys = await answered(client.http.authedRequest<{ device_keys?: Record<string, Record<string, { keys?: Record<string, string> }>> }>(sdk.Method.Post, "/keys/query", undefined, { device_keys: { [userId]: [deviceId] } }));
    const device = keys.device_keys?.[userId]?.[deviceId]?.keys ?? {};
    published = Boolean(device[`curve25519:${deviceId}`] && device[`ed25519:${deviceId}`]);
  } catch {
    return { label, ok: false, detail: "les clés de l'appareil n'ont pas pu être lues sur le serveur", fix: "Relancez le diagnostic ; si cela persiste, vérifiez que le serveur Matrix fonctionne." };
  }
  const stored = existsSync(cryptoStoreFile(config.MATRIX_DATA_DIR, deviceId));
  if (published && stored) return { label, ok: true, detail: `appareil ${deviceId} : clés publiées et gardées dans ${config.MATRIX_DATA_DIR}` };
  if (!published && !stored) return { label, ok: false, detail: `l'appareil ${deviceId} n'a pas encore de clés`, fix: START_ONCE };
  if (!stored) return { label, ok: false, detail: `les clés de l'appareil ${deviceId} ne sont plus dans ${config.MATRIX_DATA_DIR} (dossier effacé ou déplacé ?)`, fix: `Restaurez le dossier MATRIX_DATA_DIR depuis une sauvegarde ; sinon, déconnectez l'appareil ${deviceId} du compte du bot (Element → Paramètres → Sessions), videz MATRIX_DATA_DIR et redémarrez le bot (il se reconnecte avec un nouvel appareil).` };
  return { label, ok: false, detail: `l'appareil ${deviceId} n'a pas publié ses clés sur le serveur`, fix: "Redémarrez le bot : il publie ses clés au démarrage ; relancez ensuite le diagnostic." };
}
