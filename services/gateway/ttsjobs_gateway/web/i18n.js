// Translations and locale-aware formatting for the web app: one plain JSON dictionary per
// language (i18n/<locale>.json), loaded before the first render. No build step, no library.

export const LOCALES = { en: "English", "zh-TW": "繁體中文" }; // each named in its own language
const CHOICE = "ttsjobs.locale";

// The remembered choice, else the browser's first language we have: any Chinese reads the
// Traditional dictionary (it is the only Chinese one), anything else falls back to English.
function preferredLocale() {
  const stored = localStorage.getItem(CHOICE);
  if (stored in LOCALES) return stored;
  for (const tag of navigator.languages || [navigator.language]) {
    const base = tag.toLowerCase().split("-")[0];
    if (base === "zh") return "zh-TW";
    if (base === "en") return "en";
  }
  return "en";
}

export let locale = "en";
let messages = {};

export async function loadMessages(wanted = preferredLocale()) {
  let response = await fetch(`/assets/i18n/${wanted}.json`);
  if (!response.ok && wanted !== "en") {
    wanted = "en"; // a dictionary that will not load: the app in English, rather than in keys
    response = await fetch("/assets/i18n/en.json");
  }
  messages = await response.json();
  locale = wanted;
  document.documentElement.lang = wanted;
}

export async function chooseLocale(wanted) {
  localStorage.setItem(CHOICE, wanted);
  await loadMessages(wanted);
}

// A missing key shows as itself: loud in the UI and in the browser tests, never blank.
export function t(key, vars = {}) {
  const message = messages[key] ?? key;
  return message.replace(/\{(\w+)\}/g, (whole, name) => (name in vars ? String(vars[name]) : whole));
}

// A message with elements in it ("Job {id} is on its way"): the text around each {name} is
// translated, the element given for it is put in place as it is.
export function tNodes(key, slots = {}) {
  return t(key)
    .split(/\{(\w+)\}/)
    .map((part, i) => (i % 2 === 0 ? part : slots[part] ?? `{${part}}`))
    .filter((part) => part !== "");
}

// Static markup names its text by key: data-i18n for the content (children marked data-slot
// are kept and placed where the message names them), data-i18n-<attribute> for attributes.
const ATTRIBUTES = ["placeholder", "title", "aria-label", "label"];
export function translate(root) {
  const all = (selector) => [...(root.matches?.(selector) ? [root] : []), ...root.querySelectorAll(selector)];
  for (const node of all("[data-i18n]")) {
    const slots = Object.fromEntries([...node.querySelectorAll(":scope > [data-slot]")].map((s) => [s.dataset.slot, s]));
    node.replaceChildren(...tNodes(node.dataset.i18n, slots));
  }
  for (const attribute of ATTRIBUTES) {
    for (const node of all(`[data-i18n-${attribute}]`)) {
      node.setAttribute(attribute, t(node.getAttribute(`data-i18n-${attribute}`)));
    }
  }
}

// ---------- formatting in the chosen locale ----------
export function dateTime(iso) {
  return iso ? new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso)) : "";
}

const RELATIVE_STEPS = [["second", 60], ["minute", 60], ["hour", 24], ["day", 7], ["week", 4.35], ["month", 12], ["year", Infinity]];
export function relativeTime(iso, now = Date.now()) {
  if (!iso) return "";
  let amount = (new Date(iso).getTime() - now) / 1000;
  for (const [unit, size] of RELATIVE_STEPS) {
    if (Math.abs(amount) < size) {
      return new Intl.RelativeTimeFormat(locale, { numeric: "auto" }).format(Math.round(amount), unit);
    }
    amount /= size;
  }
  return "";
}

// 2.5 s, 1 min 5 s, 2.5 秒, 1 分 5 秒: whatever the locale writes, tenths below a minute.
export function duration(ms) {
  if (ms === null || ms === undefined) return "";
  const seconds = ms / 1000;
  if (seconds < 60) {
    return new Intl.NumberFormat(locale, { style: "unit", unit: "second", unitDisplay: "short", maximumFractionDigits: 1, minimumFractionDigits: 1 }).format(seconds);
  }
  const parts = { hours: Math.floor(seconds / 3600), minutes: Math.floor((seconds % 3600) / 60), seconds: Math.round(seconds % 60) };
  if ("DurationFormat" in Intl) return new Intl.DurationFormat(locale, { style: "short" }).format(parts);
  const unit = (value, name) => new Intl.NumberFormat(locale, { style: "unit", unit: name, unitDisplay: "short" }).format(value);
  return [parts.hours && unit(parts.hours, "hour"), unit(parts.minutes, "minute"), unit(parts.seconds, "second")].filter(Boolean).join(" ");
}

export function number(value) {
  return new Intl.NumberFormat(locale).format(value);
}

// A measurement with one decimal, as meters show it: -16.0, not -16.
export function decimal(value) {
  return new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value);
}

// A voice's language in the UI's language: "Chinese (China)" or 「中文（中國）」.
export function languageName(tag) {
  try {
    return new Intl.DisplayNames([locale], { type: "language" }).of(tag) || tag;
  } catch {
    return tag; // a tag Intl does not accept (espeak has a few) is shown as it is
  }
}
