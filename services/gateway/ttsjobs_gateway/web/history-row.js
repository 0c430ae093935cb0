// @ts-check
// One job in the history: its title (with when it expires), status, when it was made, its length,
// and what can be done with it: play, download and delete when it is finished, cancel before.
import { duration, t } from "./i18n.js";
import { el, typed } from "./dom.js";
import { expiryNode, timeNode } from "./time-view.js";

/** @typedef {import("ttsjobs-api").components["schemas"]["JobView"]} Job  the job as GET answers it */

const statusName = (status) => t(`status.${status}`);
export const UNFINISHED = ["pending", "processing"];

/** @param {Job} job */
function titleCell(job) {
  const link = job.title
    ? typed("a", job.title, { href: `#/jobs/${job.id}` })
    : el("a", { href: `#/jobs/${job.id}` }, el("code", { textContent: job.id.slice(0, 8) }));
  const expiry = UNFINISHED.includes(job.status) || !job.expires_at
    ? null
    : el("div", { className: "expiry" }, ...expiresNodes(job.expires_at));
  return el("td", { className: "title", dataset: { label: t("jobs.columnTitle") } }, link, expiry);
}

// "Expires in 29 days" / 「到期：29 天後」: the message around the ticking <time>.
/** @param {string} iso */
function expiresNodes(iso) {
  return t("jobs.expires").split(/\{when\}/).flatMap((part, i) => (i ? [expiryNode(iso), part] : [part])).filter((p) => p !== "");
}

const button = (action, label, props = {}) =>
  el("button", { type: "button", textContent: t(label), dataset: { action }, ...props });

// `state` says what the list knows beyond the job: which one plays, which delete is armed.
/** @param {Job} job */
function actionsCell(job, state) {
  const buttons = [];
  if (job.status === "completed") {
    const playing = state.playingId === job.id && state.isPlaying;
    buttons.push(button("play", playing ? "jobs.pause" : "jobs.play", { ariaPressed: String(playing) }));
    buttons.push(button("download", "jobs.download"));
  }
  if (UNFINISHED.includes(job.status)) buttons.push(button("cancel", "jobs.cancel"));
  else {
    const armed = state.armed.has(job.id);
    buttons.push(button("delete", armed ? "jobs.deleteConfirm" : "jobs.delete", { className: "delete", dataset: { action: "delete", ...(armed ? { armed: "yes" } : {}) } }));
  }
  return el("td", { className: "row-actions" }, el("div", { className: "buttons" }, ...buttons));
}

/** @param {Job} job */
export function jobRow(job, state) {
  return el("tr", { dataset: { job: job.id } },
    titleCell(job),
    el("td", { textContent: statusName(job.status), dataset: { status: job.status, label: t("jobs.columnStatus") } }),
    el("td", { dataset: { label: t("jobs.columnCreated") } }, timeNode(job.created_at)),
    el("td", { textContent: duration(job.result?.duration_ms), dataset: { label: t("jobs.columnDuration") } }),
    actionsCell(job, state));
}
