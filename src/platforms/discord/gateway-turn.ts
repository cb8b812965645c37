// Several instances on one PostgreSQL database: only one may hold Discord's gateway connection.
// Two sessions on the same shard would each receive every interaction and both answer it. The
// instance holding the "discord.gateway" lock serves the commands; the others only send (REST)
// and try the lock every few seconds, so one of them takes over soon after the holder dies.
import type { Logger } from "../../logger.js";
import type { Coordination } from "../../store/index.js";
import type { DiscordAdapter } from "./adapter.js";

/** How often a standby tries the lock: a dead holder is replaced within this plus a login (≈ 5 s). */
export const GATEWAY_RETRY_MS = 5_000;

export type GatewayRole = "holder" | "standby";

export class GatewayTurn {
  private timer?: NodeJS.Timeout;
  private trying?: Promise<void>;
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

  /** Sends at once; serves the gateway now if the lock is free, otherwise as soon as it is. */
  async start(): Promise<void> {
    await this.adapter.startSending();
    await this.attempt();
    this.timer = setInterval(() => void this.attempt(), this.retryMs);
    this.timer.unref();
  }

  private attempt(): Promise<void> {
    if (this.role === "holder" || this.stopped) return Promise.resolve();
    this.trying ??= this.takeTurn().finally(() => (this.trying = undefined));
    return this.trying;
  }

  private async takeTurn(): Promise<void> {
    try {
      if (!(await this.coordination.tryLock("discord.gateway"))) return;
    } catch (err) {
      this.log.warn({ err }, "verrou Discord indisponible : nouvel essai plus tard");
      return;
    }
    try {
      await this.adapter.start();
      this.role = "holder";
      this.log.info({ instance: this.coordination.instanceName }, `Discord : cette instance (${this.coordination.instanceName}) tient la connexion et répond aux commandes.`);
    } catch (err) {
      // Let another instance try: this one could not connect (Discord unreachable, token refused…).
      this.log.error({ err }, "connexion Discord impossible : verrou rendu, nouvel essai plus tard");
      await this.adapter.stopGateway().catch(() => {});
      await this.coordination.release("discord.gateway");
    }
  }

  /** The lock went with the coordination connection: another instance may already hold it. */
  private async lost(): Promise<void> {
    if (this.role !== "holder") return;
    this.role = "standby";
    this.log.warn("Discord : verrou perdu, la connexion passe à une autre instance (celle-ci ne fait plus qu'envoyer).");
    await this.adapter.stopGateway().catch((err: unknown) => this.log.warn({ err }, "arrêt de la connexion Discord"));
  }

  /** Who holds the gateway now (this instance or another), for /sante and the log. */
  async holder(): Promise<string | null> {
    return this.role === "holder" ? this.coordination.instanceName : this.coordination.holderOf("discord.gateway");
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.trying;
  }
}
