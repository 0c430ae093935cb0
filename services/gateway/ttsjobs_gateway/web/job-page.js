// One job: its status live from its feed, its parameters, the player and downloads.
import { dateTime, duration, number, t, tNodes, translate } from "./i18n.js";
import { failureNodes } from "./problems.js";
import { el, typed } from "./dom.js";
import { API, api, feed, fetchFile, kindOf, showError } from "./api.js";
import { remember } from "./notify.js";
import { DRAFT } from "./compose.js";

const view = document.getElementById("view");
const statusName = (status) => t(`status.${status}`);

function jobParameters(job) {
  const voices = Object.entries(job.input.voice_assignments)
    .map(([speaker, a]) => t("job.voiceEntry", { speaker, voice: a.voice ?? t("speaker.castVoice"), speed: number(a.speed) }))
    .join(t("job.listSeparator"));
  return [
    ["job.paramProvider", el("code", { textContent: job.provider })],
    ["job.paramVoices", typed("span", voices)], // speaker names as typed, and voice ids
    ["job.paramFormat", job.input.output_format.toUpperCase()],
    ["job.paramLexicons", job.input.lexicons?.length ? typed("span", job.input.lexicons.join(t("job.listSeparator"))) : null],
    ["job.paramCreated", dateTime(job.created_at)],
    ["job.paramCompleted", dateTime(job.completed_at)],
    ["job.paramElapsed", job.elapsed ? duration(job.elapsed * 1000) : ""],
  ].filter(([, value]) => value !== null).flatMap(([key, value]) => [el("dt", { textContent: t(key) }), el("dd", {}, value)]);
}

// What the job does other than asked (speakers casting gave one voice), after its error line.
function jobWarnings(after) {
  let list = document.getElementById("job-warnings");
  if (!list) {
    list = el("ul", { id: "job-warnings", className: "warnings" });
    after.after(list);
  }
  return list;
}

export async function jobPage(jobId) {
  view.replaceChildren(document.getElementById("job-template").content.cloneNode(true));
  translate(view);
  let job = await api(`/jobs/${jobId}`);
  const done = new Set();
  let loadingPlayer = null;
  const jobError = document.getElementById("job-error");
  const render = () => {
    const title = document.getElementById("job-title");
    if (job.title) title.replaceChildren(typed("span", job.title));
    else title.replaceChildren(...tNodes("job.fallbackTitle", { id: el("code", { textContent: job.id }) }));
    const status = document.getElementById("job-status");
    status.textContent = statusName(job.status);
    status.dataset.status = job.status;
    const bar = document.getElementById("job-progress");
    bar.max = job.progress.total;
    bar.value = job.progress.done;
    document.getElementById("job-eta").textContent =
      job.status === "processing" && job.progress.eta_ms ? t("job.eta", { duration: duration(job.progress.eta_ms) }) : "";
    jobError.replaceChildren(...failureNodes(job.error_message));
    jobWarnings(jobError).replaceChildren(...(job.warnings ?? []).map((warning) =>
      el("li", {}, ...tNodes("job.warning", { warning: typed("span", warning) })))); // the server's words
    document.getElementById("cancel").hidden = !["pending", "processing"].includes(job.status);
    document.getElementById("job-turns").replaceChildren(...job.input.turns.map((turn, i) =>
      el("li", { className: done.has(i) || job.status === "completed" ? "done" : "" },
        typed("span", turn.speaker, { className: "who" }), typed("span", turn.text), el("span", { className: "state" }))));
    document.getElementById("job-params").replaceChildren(...jobParameters(job));
    if (job.status === "completed" && document.getElementById("player").hidden && !loadingPlayer) {
      loadingPlayer = showPlayer(job).catch((err) => showError(jobError, err));
    }
  };
  document.getElementById("cancel").onclick = async () => {
    try { job = await api(`/jobs/${jobId}`, { method: "DELETE" }); render(); }
    catch (err) { showError(jobError, err); }
  };
  document.getElementById("rerun").onclick = async () => {
    try {
      // A single_tts job runs again from the text as sent: its sentences may be far more turns
      // than a dialogue may have.
      const [path, body] = job.single ? ["/jobs/tts", job.single] : ["/jobs/tts/multi-role", job.input];
      const again = await api(path, { method: "POST", body: JSON.stringify(body) });
      remember(again.id);
      location.hash = `#/jobs/${again.id}`;
    } catch (err) { showError(jobError, err); }
  };
  document.getElementById("edit").onclick = () => {
    // A long text opens in the composer's long-text mode, with the text as it was sent.
    const draft = job.single ? { ...job.single, provider: job.provider, mode: "text", single: job.single } : job.input;
    sessionStorage.setItem(DRAFT, JSON.stringify(draft));
    location.hash = "#/";
  };
  const renameForm = document.getElementById("rename-form");
  document.getElementById("rename").onclick = () => {
    renameForm.elements.title.value = job.title ?? "";
    renameForm.hidden = false;
    renameForm.elements.title.focus();
  };
  document.getElementById("rename-cancel").onclick = () => { renameForm.hidden = true; };
  renameForm.onsubmit = async (event) => {
    event.preventDefault();
    const title = renameForm.elements.title.value.trim() || null;
    try {
      job = await api(`/jobs/${jobId}`, { method: "PATCH", body: JSON.stringify({ title }) });
      renameForm.hidden = true;
      jobError.replaceChildren();
      render();
    } catch (err) { showError(jobError, err); }
  };
  render();
  const live = feed(`/jobs/${jobId}/events`, async (m) => {
    if (m.type === "snapshot") { job = m.job; render(); return; }
    const kind = kindOf(m.event);
    if (kind === "progressed") {
      done.add(m.event.data.turn_index);
      job.progress = { ...job.progress, done: m.event.data.done, eta_ms: m.event.data.eta_ms };
      job.status = "processing";
      render();
    } else if (kind === "renamed") {
      job.title = m.event.data.title; // from the event: the table may not have it yet
      render();
    } else {
      job = await api(`/jobs/${jobId}`); // started, finished: the full view from the API
      render();
    }
  });
  return () => live.close();
}

async function showPlayer(job) {
  const [sound, vtt, srt] = await Promise.all(
    [job.links.download, job.links.captions_vtt, job.links.captions_srt].map(fetchFile));
  const audio = document.getElementById("audio");
  audio.src = sound.url;
  audio.append(el("track", { kind: "captions", src: vtt.url, default: true, srclang: "en", label: t("job.captionsTrack") }));
  for (const [id, file] of [["download-audio", sound], ["download-vtt", vtt], ["download-srt", srt]]) {
    Object.assign(document.getElementById(id), { href: file.url, download: file.name || "" });
  }
  document.getElementById("player").hidden = false;
}
