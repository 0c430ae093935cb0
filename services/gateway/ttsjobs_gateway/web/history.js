// @ts-check
// The history, a library of the user's jobs: searched and filtered by the server, reloaded as
// events come, each finished job played inline, downloaded and deleted from its row.
import { t, translate } from "./i18n.js";
import { el } from "./dom.js";
import { api, feed, fetchFile, showError } from "./api.js";
import { jobRow } from "./history-row.js";
import { inlinePlayer } from "./inline-player.js";
import { keepTimesCurrent } from "./time-view.js";

/** @typedef {import("ttsjobs-api").components["schemas"]["JobView"]} Job  the job as GET answers it */
/** @typedef {import("ttsjobs-api").components["schemas"]["JobPage"]} JobPage */

const view = document.getElementById("view");

// The file as the server names it, saved through a link: the audio needs the key, so it comes
// as a blob first.
/** @param {Job} job */
async function download(job) {
  const file = await fetchFile(job.links.download);
  const link = el("a", { href: file.url, download: file.name || "" });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(file.url), 60_000); // the download has started by then
}

export async function jobs() {
  view.replaceChildren(/** @type {HTMLTemplateElement} */ (document.getElementById("jobs-template")).content.cloneNode(true));
  translate(view);
  const filter = /** @type {HTMLSelectElement} */ (document.getElementById("status-filter"));
  const search = /** @type {HTMLInputElement} */ (document.getElementById("job-search"));
  const rows = document.getElementById("job-rows");
  const error = document.getElementById("jobs-error");
  const empty = document.getElementById("jobs-empty"); // held: a late reload may find another page
  const noMatch = document.getElementById("jobs-no-match");
  /** @type {Map<string, Job>} */
  let listed = new Map(); // id → job, as last drawn
  const armed = new Set(); // jobs whose delete was clicked once: the next click deletes
  const deleted = new Set(); // kept out of a reload the projection answers before it has caught up
  const draw = () => {
    const state = { armed, playingId: player.playingId(), isPlaying: player.isPlaying() };
    rows.replaceChildren(...[...listed.values()].map((job) => jobRow(job, state)));
    player.place(rows);
  };
  // Only the button changes as the audio plays or stops: the rows (and the focus) stay.
  const player = inlinePlayer({ onChange: (id, playing) => {
    for (const button of rows.querySelectorAll("button[data-action=play]")) {
      const on = playing && button.closest("tr").dataset.job === id;
      button.textContent = t(on ? "jobs.pause" : "jobs.play");
      button.ariaPressed = String(on);
    }
  } });
  let asked = 0; // only the answer to the newest question is shown
  const load = async () => {
    const query = new URLSearchParams({ limit: "50" });
    if (filter.value) query.set("status", filter.value);
    const q = search.value.trim();
    if (q) query.set("q", q); // searched by the server, in all of the user's history
    const mine = ++asked;
    /** @type {JobPage} */
    const page = await api(`/jobs?${query}`);
    if (mine !== asked) return;
    listed = new Map(page.items.filter((job) => !deleted.has(job.id)).map((job) => [job.id, job]));
    draw();
    empty.hidden = page.items.length > 0 || Boolean(q);
    noMatch.hidden = page.items.length > 0 || !q;
  };
  const actions = {
    play: (job) => player.toggle(job, rows),
    download,
    cancel: async (job) => {
      try { await api(`/jobs/${job.id}/cancel`, { method: "POST" }); } // never deletes a job just ended
      catch (err) { if (err.status !== 409) throw err; }
      await load();
    },
    delete: async (job) => {
      if (!armed.has(job.id)) { armed.add(job.id); draw(); return; } // a second click confirms
      await api(`/jobs/${job.id}`, { method: "DELETE" });
      armed.delete(job.id);
      deleted.add(job.id);
      listed.delete(job.id); // gone at once; the reload agrees when the projection does
      draw();
    },
  };
  rows.onclick = async (event) => {
    const button = /** @type {any} */ (event.target).closest("button[data-action]"); // its dataset
    const job = listed.get(button?.closest("tr[data-job]")?.dataset.job);
    if (!button || !job) return;
    // Any other click disarms a delete that was armed.
    if (button.dataset.action !== "delete" && armed.size) { armed.clear(); draw(); }
    try { error.replaceChildren(); await actions[button.dataset.action](job); }
    catch (err) { showError(error, err); }
  };
  filter.onchange = load;
  let typing = null;
  search.oninput = () => { clearTimeout(typing); typing = setTimeout(load, 250); };
  await load();
  let pending = null;
  const live = feed("/jobs/events", (m) => {
    if (m.type !== "event") return;
    clearTimeout(pending);
    pending = setTimeout(load, 150); // a burst of progress events is one reload
  });
  const stopTimes = keepTimesCurrent(view);
  return () => { live.close(); player.stop(); stopTimes(); };
}
