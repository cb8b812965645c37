// Bytes to text for feeds and pages: the charset comes from a byte-order mark, the HTTP header
// or the document's own declaration (XML prolog, HTML meta), with the usual real-world repairs.
import { isUtf8 } from "node:buffer";
import { decodeText } from "../text-decoding.js";

/** The WHATWG name of a charset label ("ISO-8859-1" → "windows-1252"), or null if unknown. */
function encodingName(label: string | null | undefined): string | null {
  if (!label) return null;
  try {
    return new TextDecoder(label.trim().replace(/^["']|["']$/g, "")).encoding;
  } catch {
    return null;
  }
}

export function charsetFromContentType(contentType: string | null | undefined): string | null {
  const m = contentType ? /;\s*charset\s*=\s*("?)([^";,\s]+)\1/i.exec(contentType) : null;
  return m ? m[2]! : null;
}

/** The encoding a byte-order mark announces (the BOM is then dropped by TextDecoder). */
function bomEncoding(bytes: Uint8Array): string | null {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return "utf-8";
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return "utf-16le";
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return "utf-16be";
  return null;
}

/** UTF-16 without a BOM, recognised by the shape of its first `<?` (XML 1.0, appendix F). */
function utf16Shape(bytes: Uint8Array): string | null {
  if (bytes[0] === 0x3c && bytes[1] === 0x00 && bytes[2] === 0x3f && bytes[3] === 0x00) return "utf-16le";
  if (bytes[0] === 0x00 && bytes[1] === 0x3c && bytes[2] === 0x00 && bytes[3] === 0x3f) return "utf-16be";
  return null;
}

/**
 * The charset a document declares about itself: `<?xml … encoding="…"?>` or, for an HTML page,
 * `<meta charset>` / `http-equiv`, read in the first 2 KB as ASCII, as browsers do.
 */
export function declaredEncoding(bytes: Uint8Array): string | null {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 2048)).toString("latin1");
  const prolog = /^\s*<\?xml\s[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head);
  if (prolog) return prolog[1]!;
  const meta = /<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9._:-]+)/i.exec(head);
  return meta ? meta[1]! : null;
}

interface Decoded {
  text: string;
  /** The WHATWG name of the encoding used. */
  encoding: string;
}

/** Decodes a response body: a byte-order mark wins, then validity as UTF-8, then the declared charset. */
export function decodeBody(bytes: Uint8Array, contentType?: string | null): Decoded {
  const bom = bomEncoding(bytes) ?? utf16Shape(bytes);
  if (bom) return decodeWith(bytes, bom);
  // A UTF-16 declaration in a prolog readable as ASCII cannot be true: ignored.
  const declared = [encodingName(charsetFromContentType(contentType)), encodingName(declaredEncoding(bytes))].filter(
    (e): e is string => e !== null && !e.startsWith("utf-16"),
  );
  // Bytes that are valid UTF-8 are UTF-8, whatever the labels say: text in a single-byte charset
  // practically never forms valid multi-byte sequences by chance, and a server labelling a UTF-8
  // file ISO-8859-1 is the commonest mistake on the web. ISO-2022 encodings look like ASCII.
  if (isUtf8(bytes) && !declared.some((e) => e.startsWith("iso-2022"))) return decodeWith(bytes, "utf-8");
  const other = declared.find((e) => e !== "utf-8");
  // Undecodable as UTF-8 and nothing else declared: windows-1252, what French sites mislabel most.
  return decodeWith(bytes, other ?? "windows-1252");
}

function decodeWith(bytes: Uint8Array, encoding: string): Decoded {
  return { text: decodeText(bytes, encoding), encoding };
}
