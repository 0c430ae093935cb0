// Notifications: a job this browser started has finished.
import { t } from "./i18n.js";
import { feed, kindOf } from "./api.js";

const MINE = "ttsjobs.mine"; // ids of jobs started in this browser, for notifications
// A quick job can finish before the answer to its submission has been handled here, so the
// feed's recent endings of jobs not yet known as ours are kept for remember() to find.
const endedBeforeKnown = new Map(); // job id → "completed" | "failed"
function notifyEnded(kind, jobId) {
  if ("Notification" in window && Notification.permission === "granted") {
    new Notification(t(`notify.${kind}`), { body: jobId, tag: jobId });
  }
}
export function remember(jobId) {
  const mine = JSON.parse(localStorage.getItem(MINE) || "[]");
  localStorage.setItem(MINE, JSON.stringify([jobId, ...mine].slice(0, 200)));
  const kind = endedBeforeKnown.get(jobId);
  if (kind) {
    endedBeforeKnown.delete(jobId);
    notifyEnded(kind, jobId);
  }
}
feed("/jobs/events", (message) => {
  if (message.type !== "event") return;
  const kind = kindOf(message.event);
  if (!["completed", "failed"].includes(kind)) return;
  const mine = JSON.parse(localStorage.getItem(MINE) || "[]");
  if (mine.includes(message.job_id)) {
    notifyEnded(kind, message.job_id);
    return;
  }
  endedBeforeKnown.set(message.job_id, kind);
  if (endedBeforeKnown.size > 50) endedBeforeKnown.delete(endedBeforeKnown.keys().next().value);
});
