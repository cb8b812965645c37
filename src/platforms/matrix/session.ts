// Who the bot is on the homeserver, kept in the data folder: with MATRIX_USER + MATRIX_PASSWORD it
// logs in once and keeps the access token and device id (a lost token logs in again on the same
// device id); with MATRIX_ACCESS_TOKEN it asks the server which device the token belongs to. The
// crypto store's passphrase is kept in the same file (mode 600). The same device every start means
// the same keys: people's clients keep trusting it and it keeps reading older messages.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Logger } from "../../logger.js";
import { sdk, sdkLogger } from "./sdk.js";
import { withRateLimit } from "./rate-limit.js";

export interface MatrixCredentials {
  homeserverUrl: string;
  accessToken?: string;
  user?: string;
  password?: string;
  dataDir: string;
}

export interface MatrixSession {
  userId: string;
  deviceId: string;
  accessToken: string;
  /** Passphrase of the crypto store (random, made once). */
  storePassphrase: string;
}

const FILE = "session.json";
const DEVICE_NAME = "Bot Promeneurs du Net";

/** The session kept by an earlier start (the diagnostic reads it too, to check without logging in). */
export function readSaved(dataDir: string): MatrixSession | undefined {
  const file = path.join(dataDir, FILE);
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, "utf8")) as MatrixSession;
}

function save(dataDir: string, session: MatrixSession): void {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, FILE);
  writeFileSync(`${file}.tmp`, JSON.stringify(session, null, 2), { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}

/** « nom » or « @nom:serveur » as the full user id the server will answer with. */
function sameUser(saved: string, configured: string): boolean {
  return saved === configured || saved.startsWith(`@${configured.replace(/^@/, "")}:`);
}

function isUnknownToken(err: unknown): boolean {
  return (err as { errcode?: string }).errcode === "M_UNKNOWN_TOKEN";
}

async function whoami(credentials: MatrixCredentials, accessToken: string, log: Logger): Promise<{ userId: string; deviceId?: string }> {
  const client = sdk.createClient({ baseUrl: credentials.homeserverUrl, accessToken, logger: sdkLogger(log) });
  const me = await withRateLimit(() => client.whoami());
  return { userId: me.user_id, deviceId: me.device_id };
}

async function login(credentials: MatrixCredentials, log: Logger, deviceId?: string): Promise<Omit<MatrixSession, "storePassphrase">> {
  const client = sdk.createClient({ baseUrl: credentials.homeserverUrl, logger: sdkLogger(log) });
  const answer = await withRateLimit(() =>
    client.loginRequest({ type: "m.login.password", identifier: { type: "m.id.user", user: credentials.user! }, password: credentials.password!, initial_device_display_name: DEVICE_NAME, ...(deviceId && { device_id: deviceId }) }),
  );
  log.info({ userId: answer.user_id, deviceId: answer.device_id }, "Matrix : connexion du compte du bot (appareil gardé dans le dossier de données)");
  return { userId: answer.user_id, deviceId: answer.device_id, accessToken: answer.access_token };
}

export async function openSession(credentials: MatrixCredentials, log: Logger): Promise<MatrixSession> {
  const saved = readSaved(credentials.dataDir);
  const passphrase = saved?.storePassphrase ?? randomBytes(32).toString("base64");
  let session: MatrixSession;
  if (credentials.accessToken) {
    const me = await whoami(credentials, credentials.accessToken, log);
    if (!me.deviceId) throw new Error("MATRIX_ACCESS_TOKEN : le serveur ne dit pas à quel appareil ce jeton appartient ; utilisez MATRIX_USER et MATRIX_PASSWORD.");
    const sameDevice = saved?.userId === me.userId && saved.deviceId === me.deviceId;
    session = { userId: me.userId, deviceId: me.deviceId, accessToken: credentials.accessToken, storePassphrase: sameDevice ? passphrase : randomBytes(32).toString("base64") };
  } else if (saved && sameUser(saved.userId, credentials.user!)) {
    try {
      await whoami(credentials, saved.accessToken, log);
      session = saved;
    } catch (err) {
      if (!isUnknownToken(err)) throw err;
      session = { ...(await login(credentials, log, saved.deviceId)), storePassphrase: passphrase };
    }
  } else {
    session = { ...(await login(credentials, log)), storePassphrase: randomBytes(32).toString("base64") };
  }
  save(credentials.dataDir, session);
  return session;
}
