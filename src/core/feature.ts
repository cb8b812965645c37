/**
 * The feature contract. Each `src/core/<feature>/index.ts` exports one description made with
 * `defineFeature`: its name, the features it needs, how its instance is created from its
 * dependencies, its job handlers, its platform-event listeners and what it does at start-up.
 * The app (src/app.ts) builds every feature once, in dependency order, and hands the instances,
 * typed, to commands (`ctx.features.activity`) and to the other features (`deps.needs.meetings`).
 *
 * A feature names what it needs by importing the other feature's description (not a string), so
 * the types follow the imports and a missing dependency fails at compile time.
 */
import type { Config } from "../config.js";
import type { Logger } from "../logger.js";
import type { Dispatcher, FailureHook, HandlerOptions, JobHandler, JobKind, JobPayloads, JobStore, RecurringSchedules } from "../scheduler/index.js";
import type { PrismaClient } from "../store/index.js";
import type { Clock } from "../shared/clock.js";
import type { PlatformEvent } from "./events.js";
import type { Services } from "./services.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyFeature = FeatureDef<string, any, readonly any[], any>;

/** The instance a description creates. */
type InstanceOf<F extends AnyFeature> = ReturnType<F["create"]>;

/** The build-time options a description accepts (tests and the benchmark pass them to startBot). */
type OptionsOf<F extends AnyFeature> = Parameters<F["create"]>[0]["options"];

/**
 * `{ meetings: MeetingService, … }` for a list of descriptions. A feature whose instance is
 * `undefined` (it only has jobs or listeners) is left out: there is nothing to reach.
 */
export type FeaturesOf<List extends readonly AnyFeature[]> = { [F in List[number] as InstanceOf<F> extends undefined ? never : F["name"]]: InstanceOf<F> };

/** `{ watch?: { … }, … }`: the options of each feature of a list, all optional. */
export type FeatureOptionsOf<List extends readonly AnyFeature[]> = { [F in List[number] as F["name"]]?: OptionsOf<F> };

/** What `create` receives. Everything a feature uses comes in here, never from a global. */
export interface FeatureDeps<Needs extends readonly AnyFeature[] = [], Options = object> {
  db: PrismaClient;
  /** The core services (members, settings, notifications, inbox, events…). */
  services: Services;
  clock: Clock;
  /** BOT_TIMEZONE. */
  timeZone: string;
  /** Already a child logger bound to `{ feature: <name> }`. */
  log: Logger;
  config: Config;
  /** Durable jobs: schedule in the same transaction as the rows they act on. */
  jobs: JobStore;
  recurring: RecurringSchedules;
  /** True once the bot is stopping (the store is about to close): deferred work stands down. */
  stopping(): boolean;
  /** This feature's build-time options (from `startBot({ featureOptions })`), each one optional. */
  options: Partial<Options>;
  /** The instances of the features named in `needs`, already built. */
  needs: FeaturesOf<Needs>;
}

/** What `jobs`, `listeners` and `start` receive, once the platforms are connected. */
export interface FeatureRuntime extends Pick<FeatureDeps, "services" | "clock" | "timeZone" | "log" | "config" | "jobs" | "recurring"> {
  /** Called when a job failed at every attempt (job-failures reports it). */
  onJobFailed(hook: FailureHook): void;
}

/** One job kind's handler, with its options (e.g. `skipIfLateBy`). */
interface JobEntry<P = unknown> {
  run: JobHandler<P>;
  options?: HandlerOptions;
}

/**
 * A feature's handlers, by kind: only kinds declared in the scheduler's JobPayloads, each handler
 * taking the payload declared for its kind (a wrong one does not compile).
 */
export type JobHandlers = { [K in JobKind]?: JobEntry<JobPayloads[K]> };

/** A job entry: `{ [KIND]: handle((job, ctx) => …, { skipIfLateBy }) }`, its payload typed by its kind. */
export function handle<P>(run: JobHandler<P>, options?: HandlerOptions): JobEntry<P> {
  return { run, options };
}

/** The handlers as the dispatcher registers them: by kind, each payload type checked already (JobHandlers). */
export function handlerEntries(handlers: JobHandlers): [string, JobEntry<unknown>][] {
  return Object.entries(handlers).filter((entry): entry is [string, JobEntry<unknown>] => entry[1] !== undefined);
}

/** Listeners of the platform events (joins, departures). */
type FeatureListeners = { [T in PlatformEvent["type"]]?: (event: Extract<PlatformEvent, { type: T }>) => void | Promise<void> };

interface FeatureDef<Name extends string, Instance, Needs extends readonly AnyFeature[], Options> {
  /** The key under which commands and other features reach the instance (`features.<name>`). */
  readonly name: Name;
  /** The descriptions of the features this one uses; they are built before it. */
  readonly needs: Needs;
  /** Builds the instance; no I/O here (the platforms are not connected yet). */
  create(deps: FeatureDeps<Needs, Options>): Instance;
  /** The job kinds it runs. Registered once the platforms are up, before the scheduler's first tick. */
  jobs?(self: Instance, runtime: FeatureRuntime): JobHandlers;
  /** What it does when someone joins or leaves. */
  listeners?(self: Instance, runtime: FeatureRuntime): FeatureListeners;
  /** Start-up work: recurring schedules, seeding, catching up; after its jobs are registered. */
  start?(self: Instance, runtime: FeatureRuntime): void | Promise<void>;
}

/**
 * Declares a feature. The name and the needs are kept literal, so `FeaturesOf` can key the
 * instances by name; a feature with options annotates its `create` parameter
 * (`create(deps: FeatureDeps<[], WatchOptions>)`).
 */
export function defineFeature<const Name extends string, Instance, const Needs extends readonly AnyFeature[] = [], Options = object>(
  def: FeatureDef<Name, Instance, Needs, Options>,
): FeatureDef<Name, Instance, Needs, Options> {
  return def;
}

/** Everything the builder needs besides each feature's own options. */
export type FeatureBase = Omit<FeatureDeps, "needs" | "options">;

export interface BuiltFeatures {
  /** The instances by name. */
  instances: Record<string, unknown>;
  /** The descriptions in the order they were built (dependencies first). */
  order: readonly AnyFeature[];
}

/**
 * Builds each feature once, dependencies first. A needed feature missing from `list` is built
 * too (a test listing only `polls` gets `meetings`); a cycle or two features with one name is
 * a programming error and throws.
 */
export function buildFeatures(list: readonly AnyFeature[], base: FeatureBase, options: Record<string, unknown> = {}): BuiltFeatures {
  const order = dependencyOrder(list);
  const instances: Record<string, unknown> = {};
  for (const def of order) {
    const needs = Object.fromEntries(def.needs.map((n: AnyFeature) => [n.name, instances[n.name]]));
    instances[def.name] = def.create({ ...base, log: base.log.child({ feature: def.name }), options: options[def.name] ?? {}, needs });
  }
  return { instances, order };
}

function dependencyOrder(list: readonly AnyFeature[]): AnyFeature[] {
  const order: AnyFeature[] = [];
  const state = new Map<string, { def: AnyFeature; done: boolean }>();
  const visit = (def: AnyFeature, path: string[]) => {
    const seen = state.get(def.name);
    if (seen && seen.def !== def) throw new Error(`Two features are named « ${def.name} ».`);
    if (seen?.done) return;
    if (seen) throw new Error(`Features depend on each other: ${[...path, def.name].join(" → ")}.`);
    state.set(def.name, { def, done: false });
    for (const need of def.needs as readonly AnyFeature[]) visit(need, [...path, def.name]);
    state.set(def.name, { def, done: true });
    order.push(def);
  };
  for (const def of list) visit(def, []);
  return order;
}

/**
 * Registers the built features' job handlers and listeners, then runs their start-up work, in
 * build order. Called by the app once the adapters are connected.
 */
export async function startFeatures(built: BuiltFeatures, runtime: Omit<FeatureRuntime, "onJobFailed" | "log">, dispatcher: Dispatcher, log: Logger): Promise<void> {
  for (const def of built.order) {
    const self = built.instances[def.name];
    const own: FeatureRuntime = { ...runtime, log: log.child({ feature: def.name }), onJobFailed: (hook) => dispatcher.onJobFailed(hook) };
    for (const [kind, entry] of handlerEntries(def.jobs?.(self, own) ?? {})) dispatcher.register(kind, entry.run, entry.options);
    const listeners: FeatureListeners = def.listeners?.(self, own) ?? {};
    if (listeners.joined) runtime.services.events.on("joined", listeners.joined);
    if (listeners.left) runtime.services.events.on("left", listeners.left);
    await def.start?.(self, own);
  }
}
