// Several instances on one PostgreSQL database: only one may hold Discord's gateway connection.
// Two sessions on the same shard would each receive every interaction and both answer it. The
// instance holding the "discord.gateway" lock serves the commands; the others only send (REST)
// and wait for the lock inside PostgreSQL: the server hands it to a waiting instance the moment
// the holder's session ends (kill -9 included), so the takeover costs a login, not a polling period.
import type { Logger } from "../../logger.js";
import type { Coordination } from "../../store/index.js";
import type { DiscordAdapter } from "./adapter.js";

/** After a failed login, or a wait the database cut short, how long before waiting for the lock again. */
const GATEWAY_RETRY_MS = 5_000;

type GatewayRole = "holder" | "standby";

export class GatewayTurn {
  private waiting?: Promise<void>;
  private serving?: Promise<void>;
  private retry?: NodeJS.Timeout;
  private stopped = false;
  role: GatewayRole = "standby";

  constructor(
    private readonly adapter: DiscordAdapter,
    private readonly coordination: Coordination,
    private readonly log: Logger,
    private readonly retryMs = GATEWAY_RETRY_MS,
  ) {
    coordination.onLockLost(() => void this.lost());
  }

  /** Sends at once; serves the gateway now if the lock is free, otherwise as soon as it is freed. */
  async start(): Promise<void> {
    await this.adapter.startSending();
    let free = false;
    try {
      free = await this.coordination.tryLock("discord.gateway");
    } catch (err) {
      this.log.warn({ err }, "verrou Discord indisponible : nouvel essai plus tard");
    }
    if (free) await this.serve();
    else this.waitForTurn();
  }

  /** Waits (in the background) until the lock is this instance's, then serves. */
  private waitForTurn(): void {
    if (this.stopped || this.role === "holder" || this.waiting) return;
    this.waiting = (async () => {
      const waitedFrom = performance.now();
      if (await this.coordination.waitForLock("discord.gateway")) {
        this.log.info({ waitedMs: Math.round(performance.now() - waitedFrom) }, "Discord : verrou du gateway libéré par l'instance qui le tenait, connexion en cours");
        await this.serve();
      } else this.retryLater();
    })().finally(() => (this.waiting = undefined));
  }

  private retryLater(): void {
    if (this.stopped) return;
    this.retry = setTimeout(() => this.waitForTurn(), this.retryMs);
    this.retry.unref();
  }

  /** The lock is ours: opens the gateway, or gives the lock back if Discord cannot be reached. */
  private serve(): Promise<void> {
    this.serving ??= this.openGateway().finally(() => (this.serving = undefined));
    return this.serving;
  }

  private async openGateway(): Promise<void> {
    if (this.stopped) return void (await this.coordination.release("discord.gateway"));
    const lockedAt = performance.now();
    try {
      await this.adapter.start();
      // The lock may have gone with its session during the login (lost() ignores a login in
      // progress): serving now could make two instances answer every command.
      if (!this.coordination.holds("discord.gateway")) {
        this.log.warn("Discord : verrou perdu pendant la connexion, celle-ci est refermée (nouvel essai plus tard).");
        await this.adapter.stopGateway().catch((err: unknown) => this.log.warn({ err }, "arrêt de la connexion Discord"));
        this.retryLater();
        return;
      }
      this.role = "holder";
      this.log.info(
        { instance: this.coordination.instanceName, loginMs: Math.round(performance.now() - lockedAt) },
        `Discord : cette instance (${this.coordination.instanceName}) tient la connexion et répond aux commandes.`,
      );
    } catch (err) {
      // Let another instance try: this one could not connect (Discord unreachable, token refused…).
      this.log.error({ err }, "connexion Discord impossible : verrou rendu, nouvel essai plus tard");
      await this.adapter.stopGateway().catch(() => {});
      await this.coordination.release("discord.gateway");
      this.retryLater();
    }
  }

  /** The lock went with its PostgreSQL session: another instance may already hold it. */
  private async lost(): Promise<void> {
    if (this.role !== "holder") return;
    this.role = "standby";
    this.log.warn("Discord : verrou perdu, la connexion passe à une autre instance (celle-ci ne fait plus qu'envoyer).");
    await this.adapter.stopGateway().catch((err: unknown) => this.log.warn({ err }, "arrêt de la connexion Discord"));
    this.retryLater();
  }

  /** Who holds the gateway now (this instance or another), for /sante and the log. */
  async holder(): Promise<string | null> {
    return this.role === "holder" ? this.coordination.instanceName : this.coordination.holderOf("discord.gateway");
  }

  /** Stops waiting (the wait itself ends when the store closes its PostgreSQL sessions) and lets a login in progress end. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    await this.serving;
  }
}
