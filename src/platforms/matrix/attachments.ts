// The files of a reply (a calendar, a chart, an export) as Matrix media: uploaded to the
// homeserver's media repository and sent as an m.file message (m.image for a picture). In an
// encrypted room the file is encrypted first, as the Client-Server specification's « Sending
// encrypted attachments » says: AES-256-CTR under a random key and IV, the ciphertext's SHA-256;
// the server only ever stores ciphertext, and the key travels inside the end-to-end encrypted message.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import type { ReplyFile } from "../../core/reply.js";

export interface EncryptedFile {
  url: string;
  key: { kty: "oct"; key_ops: string[]; alg: "A256CTR"; k: string; ext: true };
  iv: string;
  hashes: { sha256: string };
  v: "v2";
}

const unpadded = (bytes: Buffer) => bytes.toString("base64").replace(/=+$/, "");

export function encryptAttachment(data: Buffer): { ciphertext: Buffer; file: Omit<EncryptedFile, "url"> } {
  const key = randomBytes(32);
  // The IV's second half is the block counter: it starts at zero so the counter never wraps (spec).
  const iv = Buffer.concat([randomBytes(8), Buffer.alloc(8)]);
  const cipher = createCipheriv("aes-256-ctr", key, iv);
  const ciphertext = Buffer.concat([cipher.update(data), cipher.final()]);
  return {
    ciphertext,
    file: {
      key: { kty: "oct", key_ops: ["encrypt", "decrypt"], alg: "A256CTR", k: key.toString("base64url"), ext: true },
      iv: unpadded(iv),
      hashes: { sha256: unpadded(createHash("sha256").update(ciphertext).digest()) },
      v: "v2",
    },
  };
}

/** The clear file, after checking the ciphertext's hash (what a receiving client does). */
export function decryptAttachment(ciphertext: Buffer, file: Omit<EncryptedFile, "url">): Buffer {
  if (unpadded(createHash("sha256").update(ciphertext).digest()) !== file.hashes.sha256) throw new Error("attachment hash mismatch");
  const decipher = createDecipheriv("aes-256-ctr", Buffer.from(file.key.k, "base64url"), Buffer.from(file.iv, "base64"));
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
}

/** The message that shows an uploaded file: `url` in a clear room, `file` (with its key) in an encrypted one. */
export function fileMessage(file: ReplyFile, media: { url: string } | { file: EncryptedFile }): Record<string, unknown> {
  const mimetype = file.contentType ?? "application/octet-stream";
  return {
    msgtype: mimetype.startsWith("image/") ? "m.image" : "m.file",
    body: file.name,
    filename: file.name,
    info: { mimetype, size: file.data.length },
    "m.mentions": {},
    ...media,
  };
}
