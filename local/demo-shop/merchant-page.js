// What every part of the local back office shares: the API's path, the page's URL
// parameters, and the small DOM helpers.
import { statusLabel, when } from "./merchant-i18n.js";

export const API = "/merchant/orders";
export const params = new URLSearchParams(location.search);

export function element(tag, props = {}, ...children) {
  const el = Object.assign(document.createElement(tag), props);
  el.append(...children.map((c) => c ?? "—"));
  return el;
}

export const byId = (id) => document.getElementById(id);

/** The API's error message, or what HTTP said. */
export async function readAnswer(response) {
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new Error(body.error?.message ?? body.message ?? `HTTP ${response.status}`);
  }
  return body;
}

// Object.assign cannot set dataset: put it in by hand.
export function withData(el, data) {
  for (const [key, value] of Object.entries(data)) el.dataset[key] = value;
  return el;
}

/** A time in the reader's zone, the API's UTC value on hover. */
export function time(iso) {
  return iso ? element("time", { dateTime: iso, title: iso, textContent: when(iso) }) : null;
}

export function statusBadge(status) {
  return withData(
    element("span", { className: "badge", textContent: statusLabel(status), title: status }),
    { status },
  );
}
