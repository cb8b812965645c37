import type { PrismaClient } from "../store/index.js";
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

export function createServices(db: PrismaClient, clock: Clock): Services {
  return {
    members: new MemberService(db, clock),
    directory: new DirectoryService(db),
    settings: new SettingsService(db, clock),
    db,
  };
}
