/**
 * End-to-end encryption plumbing: device keys, one-time and fallback keys, key queries and claims,
 * and to-device messages. Keys are stored and handed out as uploaded; nothing is decrypted here.
 */
import { matrixError, type Route } from "./routing.js";
import type { Device, Homeserver, Json } from "./state.js";

function deviceKeysOf(hs: Homeserver, userId: string, wanted: string[]): Json {
  const account = hs.accounts.get(userId);
  if (!account) return {};
  const devices = [...account.devices.values()].filter((d) => d.keys && (wanted.length === 0 || wanted.includes(d.deviceId)));
  return Object.fromEntries(devices.map((d) => [d.deviceId, { ...d.keys, unsigned: { device_display_name: d.displayName } }]));
}

/** One one-time key of the device, or its fallback key when they have all been claimed. */
function claimKey(device: Device): Json | undefined {
  const first = device.oneTimeKeys.keys().next();
  if (!first.done) {
    const key = device.oneTimeKeys.get(first.value)!;
    device.oneTimeKeys.delete(first.value);
    return { [first.value]: key };
  }
  const fallback = device.fallbackKeys.entries().next();
  if (fallback.done) return undefined;
  device.fallbackUsed = true;
  return { [fallback.value[0]]: fallback.value[1] };
}

export const keyRoutes: Route[] = [
  ["POST", /^\/keys\/upload$/, ({ hs, account, device, body }) => {
    if (body.device_keys) {
      const isNew = JSON.stringify(device.keys) !== JSON.stringify(body.device_keys);
      device.keys = body.device_keys as Json;
      if (isNew) hs.deviceChanged(account.userId);
    }
    for (const [id, key] of Object.entries((body.one_time_keys as Json | undefined) ?? {})) device.oneTimeKeys.set(id, key as Json);
    const fallback = Object.entries((body.fallback_keys as Json | undefined) ?? {});
    if (fallback.length > 0) {
      device.fallbackKeys = new Map(fallback.map(([id, key]) => [id, key as Json]));
      device.fallbackUsed = false;
    }
    return { one_time_key_counts: { signed_curve25519: device.oneTimeKeys.size } };
  }],
  ["POST", /^\/keys\/query$/, ({ hs, body }) => {
    const asked = (body.device_keys as Record<string, string[]> | undefined) ?? {};
    const deviceKeys = Object.fromEntries(Object.entries(asked).map(([userId, ids]) => [userId, deviceKeysOf(hs, userId, ids ?? [])]));
    return { device_keys: deviceKeys, failures: {}, master_keys: {}, self_signing_keys: {}, user_signing_keys: {} };
  }],
  ["POST", /^\/keys\/claim$/, ({ hs, body }) => {
    const asked = (body.one_time_keys as Record<string, Record<string, string>> | undefined) ?? {};
    const claimed: Json = {};
    for (const [userId, devices] of Object.entries(asked)) {
      const account = hs.accounts.get(userId);
      const forUser: Json = {};
      for (const deviceId of Object.keys(devices)) {
        const key = account?.devices.get(deviceId) && claimKey(account.devices.get(deviceId)!);
        if (key) forUser[deviceId] = key;
      }
      claimed[userId] = forUser;
    }
    return { one_time_keys: claimed, failures: {} };
  }],
  ["GET", /^\/keys\/changes$/, ({ hs, query }) => {
    const from = Number((query.get("from") ?? "s0").replace(/^s/, ""));
    return { changed: [...new Set(hs.deviceChanges.filter((c) => c.pos > from).map((c) => c.userId))], left: [] };
  }],
  ["PUT", /^\/sendToDevice\/([^/]+)\/([^/]+)$/, ({ hs, account, body }, [type]) => {
    hs.sendToDevice(account.userId, decodeURIComponent(type!), (body.messages as Record<string, Record<string, Json>>) ?? {});
    return {};
  }],
  ["GET", /^\/room_keys\/version$/, () => {
    throw matrixError(404, "M_NOT_FOUND", "No current backup version");
  }],
];
