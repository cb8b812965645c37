import { writeFileSync } from "node:fs";
import { stringify } from "yaml";
import { commands } from "../commands/index.js";
import { slackManifest } from "../src/platforms/slack/manifest.js";

/**
 * `npm run slack:manifest` writes slack-manifest.yml (Socket Mode);
 * `npm run slack:manifest -- --url https://bot.exemple.fr/slack/events` for HTTP mode;
 * `--stdout` prints it instead.
 */
const args = process.argv.slice(2);
const urlIndex = args.indexOf("--url");
const url = urlIndex >= 0 ? args[urlIndex + 1] : undefined;
if (urlIndex >= 0 && !/^https:\/\//.test(url ?? "")) {
  process.stderr.write("--url attend l'adresse https publique du bot, par exemple https://bot.exemple.fr/slack/events\n");
  process.exit(2);
}
const yaml = `# Généré par npm run slack:manifest — ne pas modifier à la main.\n${stringify(slackManifest(commands, url))}`;
if (args.includes("--stdout")) process.stdout.write(yaml);
else {
  writeFileSync("slack-manifest.yml", yaml);
  process.stdout.write("slack-manifest.yml écrit : collez-le dans https://api.slack.com/apps → Create New App → From a manifest.\n");
}
