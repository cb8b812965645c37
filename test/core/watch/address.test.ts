import { describe, expect, it } from "vitest";
import { isPublicAddress, isPublicHost } from "../../../src/core/watch/address.js";

describe("public addresses", () => {
  it("tell the Internet from this machine, local networks and cloud metadata", () => {
    for (const ip of ["127.0.0.1", "10.1.2.3", "172.20.0.1", "192.168.1.10", "169.254.169.254", "100.64.0.1", "0.0.0.0", "::1", "fe80::1", "fd00::1", "::ffff:127.0.0.1"]) {
      expect(isPublicAddress(ip), ip).toBe(false);
    }
    for (const ip of ["193.51.24.1", "172.15.0.1", "172.32.0.1", "2a01:e0a::1"]) expect(isPublicAddress(ip), ip).toBe(true);
    expect(isPublicAddress("pas une adresse")).toBe(false);
  });

  it("check literal hosts without asking the DNS, and refuse names that resolve locally", async () => {
    expect(await isPublicHost("127.0.0.1")).toBe(false);
    expect(await isPublicHost("[::1]")).toBe(false);
    expect(await isPublicHost("localhost")).toBe(false);
  });
});
