// Which addresses the bot may connect to. Any outgoing request (a feed, the page of a shared
// article) goes through src/net/http.ts, which connects only to an address this file calls public:
// without it, an animator adding a source or a member sharing a link could make the bot read its
// own machine, the local network or cloud metadata (169.254.169.254), and publish what it found.
//
// Public means ipaddr.js classifies the address as ordinary unicast. Everything else is refused:
// private, loopback, link-local, carrier-grade NAT, multicast, broadcast, documentation and other
// reserved ranges; IPv6 unique-local, link-local, multicast; and the IPv6 forms that carry an IPv4
// address (mapped ::ffff:…, compatible ::a.b.c.d, NAT64 64:ff9b::/96, 6to4 2002::/16, Teredo),
// which are refused outright rather than unwrapped, since a gateway could lead them anywhere.
import ipaddr from "ipaddr.js";

/**
 * An IPv6 address with a dotted tail in the form the system reads: ipaddr.js takes « ::8.8.8.8 »
 * for the mapped ::ffff:8.8.8.8, the system for the compatible ::808:808. The URL parser agrees
 * with the system, so its hexadecimal serialisation is what gets judged.
 */
function canonical(ip: string): string {
  const bare = ip.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  if (!bare.includes(":") || !bare.includes(".")) return bare;
  try {
    return new URL(`http://[${bare}]/`).hostname.replace(/^\[|\]$/g, "");
  } catch {
    return bare;
  }
}

export function isPublicAddress(ip: string): boolean {
  const bare = canonical(ip);
  if (!ipaddr.isValid(bare)) return false;
  let address = ipaddr.parse(bare);
  if (address.kind() === "ipv6") {
    const { parts } = address as ipaddr.IPv6;
    const zeros = (n: number) => parts.slice(0, n).every((p) => p === 0);
    // « ::ffff:8.8.8.8 » is how a dual-stack socket names an IPv4 peer: judge the IPv4 address.
    if (zeros(5) && parts[5] === 0xffff) address = (address as ipaddr.IPv6).toIPv4Address();
    else if (zeros(6)) return false; // ::a.b.c.d (deprecated IPv4-compatible form), ::1 and ::

  }
  return address.range() === "unicast";
}

/** Whether a URL's host is an IP literal (then no name is resolved and the check is immediate). */
export function isIpLiteral(hostname: string): boolean {
  return ipaddr.isValid(hostname.replace(/^\[|\]$/g, ""));
}
