// The history: the user's jobs, searched and filtered by the server, reloaded as events come.
import { dateTime, duration, relativeTime, t, translate } from "./i18n.js";
import { el, typed } from "./dom.js";
import { api, feed } from "./api.js";

const view = document.getElementById("view");
const statusName = (status) => t(`status.${status}`);
const timeCell = (iso, relative) =>
  el("td", {}, iso ? el("time", { dateTime: iso, title: dateTime(iso), textContent: relative ? relativeTime(iso) : dateTime(iso) }) : null);

export async function jobs() {
  view.replaceChildren(document.getElementById("jobs-template").content.cloneNode(true));
  translate(view);
  const filter = document.getElementById("status-filter");
  const search = document.getElementById("job-search");
  const rows = document.getElementById("job-rows");
  const empty = document.getElementById("jobs-empty"); // held: a late reload may find another page
  const noMatch = document.getElementById("jobs-no-match");
  let asked = 0; // only the answer to the newest question is shown
  const load = async () => {
    const query = new URLSearchParams({ limit: "50" });
    if (filter.value) query.set("status", filter.value);
    const q = search.value.trim();
    if (q) query.set("q", q); // searched by the server, in all of the user's history
    const mine = ++asked;
    const page = await api(`/jobs?${query}`);
    if (mine !== asked) return;
    rows.replaceChildren(...page.items.map((j) => el("tr", { dataset: { job: j.id } },
      el("td", {}, j.title ? typed("a", j.title, { href: `#/jobs/${j.id}` }) : el("a", { href: `#/jobs/${j.id}` }, el("code", { textContent: j.id.slice(0, 8) }))),
      el("td", { textContent: statusName(j.status), dataset: { status: j.status } }),
      timeCell(j.created_at, true),
      timeCell(j.completed_at, false),
      el("td", { textContent: duration(j.result?.duration_ms) }))));
    empty.hidden = page.items.length > 0 || Boolean(q);
    noMatch.hidden = page.items.length > 0 || !q;
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
  return () => live.close();
}
