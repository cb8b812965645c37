// Reading one source: fetch (conditional), decode, parse. No database here, so the add command,
// the hourly job and the benchmark share it.
import { decodeBody } from "./charset.js";
import { FetchFailure, guardedFetch, type FetchOptions, type Validators } from "../../net/http.js";
import { NotAFeed, parseFeedText, type ParsedFeed } from "./parse.js";

export type ReadResult =
  | { status: "not-modified" }
  | { status: "ok"; feed: ParsedFeed; etag: string | null; lastModified: string | null; url: string; encoding: string };

/** Throws FetchFailure (network, HTTP, size, time, or not a feed: all with a French message). */
export async function readFeed(url: string, validators: Validators, options: FetchOptions = {}): Promise<ReadResult> {
  const answer = await guardedFetch(url, validators, options);
  if (answer.status === "not-modified") return answer;
  const { text, encoding } = decodeBody(answer.body, answer.contentType);
  let feed: ParsedFeed;
  try {
    feed = parseFeedText(text, answer.url);
  } catch (error) {
    if (!(error instanceof NotAFeed)) throw error;
    const hint = error.discovered ? ` ; la page annonce un flux : ${error.discovered}` : "";
    throw new FetchFailure(`${error.message}${hint}`, "not-feed", { cause: error });
  }
  return { status: "ok", feed, etag: answer.etag, lastModified: answer.lastModified, url: answer.url, encoding };
}
