// Bytes to text in a named encoding, with Windows-1252 decoded right. Node 20.18.3+ decodes
// "windows-1252" (and so "iso-8859-1", "latin1", "us-ascii", which the Encoding Standard maps to
// it) as plain Latin-1, turning ’ – œ € … into invisible C1 controls (nodejs/node#60888, #56542).
// Excel's French CSV exports and French feeds are full of them, so every decoding of the bot goes
// through here: the member import and the watch (feeds, pages). Once Node is fixed, the repair
// finds nothing to repair.

/** windows-1252 for bytes 0x80–0x9F (WHATWG index; the five unassigned bytes map to themselves). */
const WINDOWS_1252_C1 = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];
const C1 = /[\u0080-\u009f]/g;

/** Decodes `bytes` as the WHATWG encoding `label` names (throws RangeError for an unknown label). */
export function decodeText(bytes: Uint8Array, label: string, options: { fatal?: boolean } = {}): string {
  const decoder = new TextDecoder(label, options);
  const text = decoder.decode(bytes);
  return decoder.encoding === "windows-1252" ? text.replace(C1, (c) => String.fromCharCode(WINDOWS_1252_C1[c.charCodeAt(0) - 0x80]!)) : text;
}
