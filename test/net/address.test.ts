import { describe, expect, it } from "vitest";
import { isIpLiteral, isPublicAddress } from "../../src/net/address.js";

describe("public addresses", () => {
  it("refuse this machine, local networks, cloud metadata and every reserved IPv4 range", () => {
    const refused = [
      "127.0.0.1", "127.8.9.10", "10.1.2.3", "172.20.0.1", "192.168.1.10", "169.254.169.254", "100.64.0.1", "100.127.255.254",
      "0.0.0.0", "0.1.2.3", "224.0.0.1", "239.255.255.250", "255.255.255.255", "192.0.2.1", "198.51.100.7", "203.0.113.9",
      "198.18.0.1", "240.0.0.1", "192.0.0.8",
    ];
    for (const ip of refused) expect(isPublicAddress(ip), ip).toBe(false);
  });

  it("refuse every IPv6 range that is not global unicast, and every form that wraps an IPv4 address", () => {
    const refused = [
      "::1", "::", "fe80::1", "[fe80::1%eth0]", "fd00::1", "fc12::1", "ff02::1", "2001:db8::1",
      "::ffff:127.0.0.1", "::ffff:7f00:1", "::ffff:10.0.0.1", "::ffff:169.254.169.254",
      "::127.0.0.1", "::8.8.8.8", "64:ff9b::7f00:1", "64:ff9b::808:808", "2002:7f00:1::", "2002:0808:0808::1", "2001::1", "[::1]",
    ];
    for (const ip of refused) expect(isPublicAddress(ip), ip).toBe(false);
  });

  it("accept the Internet, including an IPv4 peer named the dual-stack way", () => {
    for (const ip of ["193.51.24.1", "172.15.0.1", "172.32.0.1", "100.128.0.1", "8.8.8.8", "2a01:e0a::1", "[2a00:1450:4007::65]", "::ffff:193.51.24.1"]) {
      expect(isPublicAddress(ip), ip).toBe(true);
    }
    expect(isPublicAddress("pas une adresse")).toBe(false);
    expect(isPublicAddress("localhost")).toBe(false);
  });

  it("tell an IP literal from a name", () => {
    expect(isIpLiteral("[::1]")).toBe(true);
    expect(isIpLiteral("127.0.0.1")).toBe(true);
    expect(isIpLiteral("localhost")).toBe(false);
  });
});
