import { describe, expect, it } from "vitest";
import { decodeText } from "../../../src/core/text-decoding.js";
import { charsetFromContentType, decodeBody, declaredEncoding } from "../../../src/core/watch/charset.js";
import { fixture } from "../../helpers/feed-server.js";

const latin1 = (s: string) => Buffer.from(s, "latin1");

describe("charset decoding", () => {
  it("reads ISO-8859-1 from the XML prolog when the header says nothing", () => {
    const { text, encoding } = decodeBody(fixture("latin1.xml"), "application/rss+xml");
    expect(encoding).toBe("windows-1252");
    expect(text).toContain("Réseau parentalité : journée départementale à Épinal");
    expect(text).toContain("« Écrans en famille »");
  });

  it("maps windows-1252's 0x80–0x9F to ’ œ € … (Node 20 decodes them as C1 controls)", () => {
    const { text } = decodeBody(fixture("cp1252.xml"), "text/xml; charset=windows-1252");
    expect(text).toContain("L’œil du numérique : « cœur de cible »");
    expect(text).not.toMatch(/[\u0080-\u009f]/);
    expect(decodeBody(Buffer.from([0x80, 0x85, 0x9c, 0x9f]), "text/plain; charset=iso-8859-1").text).toBe("€…œŸ");
  });

  it("follows the header charset over the prolog, unless the bytes are valid UTF-8", () => {
    const body = latin1('<?xml version="1.0" encoding="utf-8"?><t>été</t>');
    expect(decodeBody(body, 'text/xml; charset="ISO-8859-15"').text).toContain("<t>été</t>");
    // A server that labels a UTF-8 file ISO-8859-1 (the usual Apache default): UTF-8 wins.
    const utf8 = Buffer.from('<?xml version="1.0"?><t>été</t>');
    expect(decodeBody(utf8, "text/xml; charset=ISO-8859-1").text).toContain("<t>été</t>");
  });

  it("takes undeclared, non-UTF-8 bytes as windows-1252 rather than showing �", () => {
    const { text, encoding } = decodeBody(latin1("<rss><title>Caf des Vosges : actualités</title></rss>"), null);
    expect(encoding).toBe("windows-1252");
    expect(text).toContain("actualités");
  });

  it("lets a byte-order mark win and drops it", () => {
    const { text, encoding } = decodeBody(fixture("bom.xml"), "text/xml; charset=iso-8859-1");
    expect(encoding).toBe("utf-8");
    expect(text.startsWith("<?xml")).toBe(true);
    expect(text).toContain("Pass Sport : les démarches pour la rentrée");
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<?xml version="1.0" encoding="UTF-16"?><t>é</t>', "utf16le")]);
    expect(decodeBody(utf16, null).text).toBe('<?xml version="1.0" encoding="UTF-16"?><t>é</t>');
  });

  it("recognises UTF-16 without BOM by its first bytes, and ignores a UTF-16 label on ASCII bytes", () => {
    expect(decodeBody(Buffer.from('<?xml version="1.0"?><t>ü</t>', "utf16le"), null).text).toBe('<?xml version="1.0"?><t>ü</t>');
    expect(decodeBody(Buffer.from('<?xml version="1.0" encoding="UTF-16"?><t>é</t>'), null).text).toContain("<t>é</t>");
  });

  it("survives an unknown charset label", () => {
    expect(decodeBody(Buffer.from("<t>é</t>"), "text/xml; charset=x-martien").text).toBe("<t>é</t>");
  });

  it("reads the charset of a header and of a document", () => {
    expect(charsetFromContentType('application/rss+xml; charset="UTF-8"')).toBe("UTF-8");
    expect(charsetFromContentType("text/html;charset=windows-1252; foo=bar")).toBe("windows-1252");
    expect(charsetFromContentType("text/xml")).toBeNull();
    expect(declaredEncoding(Buffer.from("<?xml version='1.0' encoding='ISO-8859-1' ?>"))).toBe("ISO-8859-1");
    expect(declaredEncoding(Buffer.from('<!doctype html><html><head><meta charset="windows-1252">'))).toBe("windows-1252");
  });
});

describe("Windows-1252, wherever the bot decodes it", () => {
  it("maps the whole 0x80–0x9F range as the Encoding Standard does, under every label that means it", () => {
    const bytes = Uint8Array.from([0x80, 0x85, 0x8c, 0x92, 0x93, 0x94, 0x96, 0x97, 0x99, 0x9c, 0x9f, 0x81]);
    for (const label of ["windows-1252", "cp1252", "iso-8859-1", "latin1", "us-ascii"]) expect(decodeText(bytes, label), label).toBe("€…Œ’“”–—™œŸ\u0081");
  });
});
