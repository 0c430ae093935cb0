// @ts-check
// Times on the job page and in the history, in one style: relative ("3 分鐘前", "in 29 days")
// with the absolute date and time in the title, kept current by a ticker while the page is open.
import { dateTime, locale, relativeTime } from "./i18n.js";
import { el } from "./dom.js";

// A <time> that says how long ago (or how soon) and holds the exact moment for a hover.
export function timeNode(iso) {
  if (!iso) return null;
  return el("time", { dateTime: iso, title: dateTime(iso), textContent: relativeTime(iso), dataset: { relative: "" } });
}

// How long until a job expires, in days while there is at least one ("in 29 days", "29 天後"),
// then hours: the retention is counted in days, and weeks would hide the number people plan by.
export function untilExpiry(iso, now = Date.now()) {
  const ms = new Date(iso).getTime() - now;
  const format = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
  const days = Math.round(ms / 86_400_000);
  if (days >= 1) return format.format(days, "day");
  return format.format(Math.max(0, Math.round(ms / 3_600_000)), "hour");
}

export function expiryNode(iso) {
  if (!iso) return null;
  return el("time", { dateTime: iso, title: dateTime(iso), textContent: untilExpiry(iso), dataset: { expiry: "" } });
}

// Relative times go stale on a page left open: each is said again every half minute.
export function keepTimesCurrent(root) {
  const tick = setInterval(() => {
    for (const node of root.querySelectorAll("time[data-relative]")) node.textContent = relativeTime(node.dateTime);
    for (const node of root.querySelectorAll("time[data-expiry]")) node.textContent = untilExpiry(node.dateTime);
  }, 30_000);
  return () => clearInterval(tick);
}
