/** Account endpoints: whoami, filters, push rules, account data (m.direct), profiles, capabilities. */
import { matrixError, type Route } from "./routing.js";
import type { Json } from "./state.js";

export const accountRoutes: Route[] = [
  ["GET", /^\/account\/whoami$/, ({ account, device }) => ({ user_id: account.userId, device_id: device.deviceId })],
  ["POST", /^\/logout$/, ({ device }) => {
    device.accessToken = "";
    return {};
  }],
  ["POST", /^\/user\/([^/]+)\/filter$/, () => ({ filter_id: "1" })],
  ["GET", /^\/user\/([^/]+)\/filter\/([^/]+)$/, () => ({})],
  ["GET", /^\/pushrules\/?$/, () => ({ global: { override: [], content: [], room: [], sender: [], underride: [] } })],
  ["GET", /^\/capabilities$/, () => ({ capabilities: { "m.change_password": { enabled: false } } })],
  ["GET", /^\/voip\/turnServer$/, () => ({})],
  ["PUT", /^\/user\/([^/]+)\/account_data\/([^/]+)$/, ({ hs, account, body }, [userId, type]) => {
    if (decodeURIComponent(userId!) !== account.userId) throw matrixError(403, "M_FORBIDDEN", "Cannot add account data for other users.");
    hs.setAccountData(account, decodeURIComponent(type!), body);
    return {};
  }],
  ["GET", /^\/user\/([^/]+)\/account_data\/([^/]+)$/, ({ account }, [, type]) => {
    const data = account.accountData.get(decodeURIComponent(type!));
    if (!data) throw matrixError(404, "M_NOT_FOUND", "Account data not found");
    return data.content;
  }],
  ["PUT", /^\/user\/([^/]+)\/rooms\/([^/]+)\/account_data\/([^/]+)$/, () => ({})],
  ["GET", /^\/profile\/([^/]+)(?:\/(displayname|avatar_url))?$/, ({ hs }, [userId]) => {
    const target = hs.accounts.get(decodeURIComponent(userId!));
    if (!target) throw matrixError(404, "M_NOT_FOUND", "Profile was not found");
    return { displayname: target.displayName } as Json;
  }],
];
