// @ts-check
// The API: the key this browser holds, JSON requests, resumable feeds and files fetched with the key.
import { translate } from "./i18n.js";
import { ApiError, AppError, errorNodes } from "./problems.js";
import { lexiconStore } from "./lexicon-api.js";

export const API = "/api/v1";
const KEY = "ttsjobs.apiKey";

// ---------- the API key ----------
// `ttsjobs dev` prints a link with the local user's key in the fragment (#key=...), which the
// browser never sends to a server; it is kept in localStorage and the fragment is cleared.
// A link never silently replaces a different key this browser already holds: the person is
// asked, since a link can come from someone else.
if (location.hash.startsWith("#key=")) {
  const linked = decodeURIComponent(location.hash.slice(5)).trim();
  const stored = localStorage.getItem(KEY);
  history.replaceState(null, "", `${location.pathname}#/`);
  if (!stored || stored === linked) localStorage.setItem(KEY, linked);
  else offerKeySwap(linked, stored);
}
export const apiKey = () => localStorage.getItem(KEY) || "";
// Only a key's id is ever shown (tj_<id>_<secret>); the secret stays out of the page.
function keyId(key) {
  return key.split("_")[1] || "?";
}
function offerKeySwap(linked, stored) {
  const card = document.getElementById("key-swap");
  document.getElementById("key-swap-new").textContent = keyId(linked);
  document.getElementById("key-swap-old").textContent = keyId(stored);
  card.hidden = false;
  document.getElementById("key-swap-use").onclick = () => {
    localStorage.setItem(KEY, linked);
    location.reload();
  };
  document.getElementById("key-swap-keep").onclick = () => (card.hidden = true);
}
const keyForm = /** @type {any} */ (document.getElementById("key-form")); // its controls by name
function askForKey(reasonKey) {
  const reason = document.getElementById("key-reason");
  reason.dataset.i18n = reasonKey; // a data-i18n text follows a change of language
  translate(reason);
  keyForm.hidden = false;
  keyForm.elements.key.focus();
}
keyForm.onsubmit = (e) => {
  e.preventDefault();
  localStorage.setItem(KEY, keyForm.elements.key.value.trim());
  keyForm.hidden = true;
  location.reload();
};
document.getElementById("change-key").onclick = () => askForKey("key.reasonChange");

// The answer's body and the response itself (its headers: a lexicon's ETag), or an ApiError.

export async function request(path, { contentType = "application/json", headers = {}, ...options } = {}) {
  const response = await fetch(API + path, {
    ...options,
    headers: { "Content-Type": contentType, Authorization: `Bearer ${apiKey()}`, ...headers },
  });
  const body = response.headers.get("content-type")?.includes("json") ? await response.json() : null;
  if (response.status === 401) {
    askForKey(apiKey() ? "key.reasonInvalid" : "key.reasonMissing");
  }
  if (!response.ok) throw Object.assign(new ApiError(response.status, body), { retryAfter: response.headers.get("retry-after") });
  return { body, response };
}
export const api = async (path, options) => (await request(path, options)).body;

// A POST that makes a job: sent with an Idempotency-Key of its own, and sent again with it while
// no answer came (fetch failed), the answer was 502/503/504 (a gateway gone behind the front,
// NATS electing a leader) or the 409 of that key still in flight elsewhere, for up to 30 s. The
// key makes a repeat safe: the gateway answers it with the job the first try made, never a
// second. Waits follow Retry-After, else 0.5 s doubling up to 2 s.
const RETRY_FOR_MS = 30000;
const IN_FLIGHT = "urn:ttsjobs:problem:idempotency-key-in-use";
const retryable = (error) => error instanceof TypeError ||
  (error instanceof ApiError && ([502, 503, 504].includes(error.status) || (error.status === 409 && error.problem?.type === IN_FLIGHT)));
export async function createJob(path, body) {
  const headers = { "Idempotency-Key": newKey() };
  const deadline = Date.now() + RETRY_FOR_MS;
  for (let backoff = 500; ; backoff = Math.min(backoff * 2, 2000)) {
    try {
      return await api(path, { method: "POST", body: JSON.stringify(body), headers });
    } catch (error) {
      const after = Number.parseFloat(error.retryAfter);
      const wait = Number.isFinite(after) && after >= 0 ? after * 1000 : backoff;
      if (!retryable(error) || Date.now() + wait >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}
// crypto.randomUUID exists only on https and localhost; a page served over plain http on a
// LAN address makes its version 4 UUID from random bytes, which every browser gives.
function newKey() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function feed(path, onMessage) {
  // A feed that resumes where it left off (after=<seq>) if the connection drops.
  let after = null;
  let closed = false;
  let socket;
  const open = () => {
    const url = `${location.origin.replace("http", "ws")}${API}${path}${after === null ? "" : `?after=${after}`}`;
    // Browsers cannot set headers on a WebSocket: the key goes as a subprotocol instead.
    socket = new WebSocket(url, ["ttsjobs", `bearer.${apiKey()}`]);
    socket.onmessage = (raw) => {
      const message = JSON.parse(raw.data);
      if (message.type === "ping") return;
      after = message.seq;
      onMessage(message);
    };
    socket.onclose = (event) => {
      if (!closed && ![1000, 4400, 4401, 4404].includes(event.code)) setTimeout(open, 1000);
    };
  };
  open();
  return { close() { closed = true; socket.close(); } };
}

// Audio and captions need the key too, so they are fetched and handed to the page as blobs.
// The file name is the one the server gives (Content-Disposition): the UTF-8 filename* when

function fileName(disposition) {
  const extended = disposition.match(/filename\*=UTF-8''([^;\s]+)/i)?.[1];
  if (extended) {
    try { return decodeURIComponent(extended); } catch { /* malformed: the plain one */ }
  }
  return disposition.match(/filename="([^"]+)"/)?.[1];
}

export async function fetchFile(path) {
  const response = await fetch(path, { headers: { Authorization: `Bearer ${apiKey()}` } });
  if (!response.ok) throw new AppError("error.download", { status: response.status });
  const name = fileName(response.headers.get("content-disposition") || "");
  return { url: URL.createObjectURL(await response.blob()), name };
}

export const kindOf = (event) => event.type.split(".").at(-2);
export const showError = (node, error) => node.replaceChildren(...errorNodes(error));
export const lexicons = lexiconStore(request);
