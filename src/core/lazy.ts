import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/**
 * Loads a CommonJS dependency synchronously on first use. The French date parser and the feed
 * parser weigh ~16 MB once loaded and serve a few commands and an hourly job: a bot that
 * never needs them in a session should not carry them from start-up.
 */
export function lazy<T>(specifier: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(specifier) as T);
}
