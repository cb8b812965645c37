import { z } from "zod";

/**
 * The small readers of environment variables that src/config.ts and the platform descriptors
 * (src/platforms/<name>/descriptor.ts) share: an empty or blank variable counts as unset, as in
 * a .env file where a line is left « NAME= ».
 */
export const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

export const optionalString = z.preprocess(blankToUndefined, z.string().trim().optional());

export const optionalUrl = z.preprocess(blankToUndefined, z.url({ message: "une URL http(s)://…" }).optional());
