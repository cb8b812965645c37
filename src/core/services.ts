import type { PrismaClient } from "../store/index.js";
import type { StoreChanges } from "../store/changes.js";
import type { Clock } from "./clock.js";
import { DirectoryService } from "./directory.js";
import { MemberService } from "./members.js";
import { SettingsService } from "./settings.js";

/** The core, as handlers see it. No platform types cross this line. */
export interface Services {
  members: MemberService;
  directory: DirectoryService;
  settings: SettingsService;
  db: PrismaClient;
}

export function createServices(db: PrismaClient, clock: Clock, changes: StoreChanges): Services {
  return {
    members: new MemberService(db, clock, changes),
    directory: new DirectoryService(db, changes),
    settings: new SettingsService(db, clock),
    db,
  };
}
