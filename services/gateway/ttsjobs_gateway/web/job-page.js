// @ts-check
// One job: its status live from its feed (elapsed time and the estimate ticking between events),
// its parameters, the player with the caption line and the turn being spoken, and downloads.
import { duration, number, t, tNodes, translate } from "./i18n.js";
import { failureNodes } from "./problems.js";
import { el, typed } from "./dom.js";
import { api, feed, fetchFile, kindOf, showError } from "./api.js";
import { remember } from "./notify.js";
import { DRAFT } from "./compose.js";
import { captionsTrack, followCaptions } from "./captions-view.js";
import { textLanguage } from "./text-language.js";
import { expiryNode, keepTimesCurrent, timeNode } from "./time-view.js";
import { voiceLabel } from "./voices.js";
import { canListenLive, listenLive, playFinal } from "./live-player.js";
import { readersOf, settingsOf, turnsOf } from "./job-request.js";
import { showLoudness } from "./loudness-view.js";
import { showChapters } from "./chapters-view.js";
import { stemsDownload, wordDownloads } from "./extra-downloads.js";

/** @typedef {import("ttsjobs-api").components["schemas"]["JobView"]} Job  the job as GET answers it */

const view = document.getElementById("view");
const statusName = (status) => t(`status.${status}`);
const UNFINISHED = ["pending", "processing"];

// The catalogue once per page: voices are shown by their names (曉曉・女聲), not their ids.
let catalogue = null;
const catalogueOnce = () => (catalogue ??= api("/voices").catch(() => null));

/** @param {Job} job @param {string} id */
function voiceName(job, id, voices) {
  if (id === null || id === undefined) return t("speaker.castVoice");
  const voice = voices?.providers.find((p) => p.provider === job.provider)?.voices.find((v) => v.id === id);
  return voice ? voiceLabel(voice) : id; // a voice no worker offers any more keeps its id
}

/** @param {Job} job */
function jobParameters(job, voices) {
  const settings = settingsOf(job);
  const names = readersOf(job, t("job.reader"))
    .map(([speaker, a]) => t("job.voiceEntry", { speaker, voice: voiceName(job, a.voice, voices), speed: number(a.speed) }))
    .join(t("job.listSeparator"));
  const unfinished = UNFINISHED.includes(job.status);
  // Only what is known: no completion time before the end, no expiry for a job still running.
  return [
    ["job.paramProvider", el("code", { textContent: job.provider })],
    ["job.paramVoices", typed("span", names)], // speaker names as typed
    ["job.paramFormat", (settings.output_format ?? "wav").toUpperCase()],
    ["job.paramLexicons", settings.lexicons?.length ? typed("span", settings.lexicons.join(t("job.listSeparator"))) : null],
    ["job.paramCreated", timeNode(job.created_at)],
    ["job.paramCompleted", timeNode(job.completed_at)],
    ["job.paramElapsed", job.elapsed === null || job.elapsed === undefined ? null : el("span", { id: "job-elapsed", textContent: duration(job.elapsed * 1000) })],
    ["job.paramExpires", unfinished ? null : expiryNode(job.expires_at)],
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

// Elapsed time and the estimate move every second between the feed's events, counted from when
// the server last said them (its clock, not this browser's).
/** @param {() => Job} current */
function liveClock(current) {
  let said = { at: performance.now(), elapsed: null, eta: null };
  const heard = (job) => { said = { at: performance.now(), elapsed: job.elapsed ?? null, eta: job.progress.eta_ms }; };
  // A progress event brings a new estimate only: the elapsed time runs on from where it was.
  const heardEta = (eta) => {
    const now = performance.now();
    const elapsed = said.elapsed === null ? null : said.elapsed + (now - said.at) / 1000;
    said = { at: now, elapsed, eta };
  };
  const tick = () => {
    const job = current();
    const since = performance.now() - said.at;
    const running = UNFINISHED.includes(job.status);
    const elapsed = document.getElementById("job-elapsed");
    if (elapsed && running && said.elapsed !== null) elapsed.textContent = duration(said.elapsed * 1000 + since);
    const eta = document.getElementById("job-eta");
    if (job.status !== "processing" || said.eta === null || said.eta === undefined) eta.textContent = "";
    else {
      const left = said.eta - since;
      eta.textContent = left > 500 ? t("job.eta", { duration: duration(left) }) : t("job.etaSoon");
    }
  };
  const timer = setInterval(tick, 1000);
  return { heard, heardEta, tick, stop: () => clearInterval(timer) };
}

/** @param {Job} job @param {Set<number>} done @param {boolean} showSpeakers */
function turnItems(job, done, showSpeakers) {
  return turnsOf(job).map((turn, i) =>
    el("li", { className: done.has(i) || job.status === "completed" ? "done" : "", dataset: { turn: String(i) } },
      showSpeakers ? typed("span", turn.speaker, { className: "who" }) : null,
      typed("span", turn.text), el("span", { className: "state" })));
}

/** @param {Job} job */
function renderHeader(job) {
  const title = document.getElementById("job-title");
  if (job.title) title.replaceChildren(typed("span", job.title));
  else title.replaceChildren(...tNodes("job.fallbackTitle", { id: el("code", { textContent: job.id }) }));
  const status = document.getElementById("job-status");
  status.textContent = statusName(job.status);
  status.dataset.status = job.status;
  const bar = /** @type {HTMLProgressElement} */ (document.getElementById("job-progress"));
  bar.max = job.progress.total;
  bar.value = job.status === "completed" ? job.progress.total : job.progress.done;
  bar.hidden = !UNFINISHED.includes(job.status); // a full bar under "completed" says nothing more
}

export async function jobPage(jobId) {
  view.replaceChildren(/** @type {HTMLTemplateElement} */ (document.getElementById("job-template")).content.cloneNode(true));
  translate(view);
  /** @type {Job} */
  let job = await api(`/jobs/${jobId}`);
  const voices = await catalogueOnce();
  const done = new Set();
  let loadingPlayer = null;
  let captions = null;
  let listening = null; // the finished part, heard while the job renders
  const jobError = document.getElementById("job-error");
  const clock = liveClock(() => job);
  const render = () => {
    renderHeader(job);
    jobError.replaceChildren(...failureNodes(job.error_message));
    jobWarnings(jobError).replaceChildren(...(job.warnings ?? []).map((warning) =>
      el("li", {}, ...tNodes("job.warning", { warning: typed("span", warning) })))); // the server's words
    document.getElementById("cancel").hidden = !UNFINISHED.includes(job.status);
    // A long text is one reader: no name before each sentence, and its heading is the text's.
    document.getElementById("job-dialogue").textContent = t(job.single ? "job.text" : "job.dialogue");
    document.getElementById("job-turns").replaceChildren(...turnItems(job, done, !job.single));
    document.getElementById("job-params").replaceChildren(...jobParameters(job, voices));
    captions?.refresh();
    clock.tick();
    if (job.status === "processing" && !listening && canListenLive()) listening = startListening(job);
    // Failed or cancelled: what was heard stays playable, but nothing more follows.
    if (listening && !UNFINISHED.includes(job.status)) document.getElementById("live-note").hidden = true;
    if (job.status === "completed" && !loadingPlayer) {
      loadingPlayer = showPlayer(job, listening).then((shown) => { captions = shown; }).catch((err) => showError(jobError, err));
    }
  };
  const fetched = (fresh) => { job = fresh; clock.heard(job); render(); };
  clock.heard(job);
  wireActions(jobId, () => job, fetched, jobError);
  render();
  const live = feed(`/jobs/${jobId}/events`, async (m) => {
    if (m.type === "snapshot") fetched(m.job);
    else if (applyEvent(job, m.event, { done, clock })) render();
    else fetched(await api(`/jobs/${jobId}`)); // its end: the full view, with the result
  });
  const stopTimes = keepTimesCurrent(view);
  return () => { live.close(); listening?.stop(); clock.stop(); stopTimes(); };
}

// What an event says, applied to the view in hand; false when only a fresh view from the API
// can say it (the job's end, with its result).
/** @param {Job} job */
function applyEvent(job, event, { done, clock }) {
  const kind = kindOf(event);
  const data = event.data;
  if (kind === "progressed") {
    done.add(data.turn_index);
    job.progress = { ...job.progress, done: data.done, eta_ms: data.eta_ms };
    job.status = "processing";
    clock.heardEta(data.eta_ms);
    return true;
  }
  if (kind === "started") {
    // From the event itself: a view fetched now may not have the start yet, and the estimate
    // the worker made before any turn is the one thing to show until the first turn ends.
    job.status = "processing";
    job.started_at = event.time;
    if (data.eta_ms !== null && data.eta_ms !== undefined && !job.progress.done) {
      job.progress = { ...job.progress, eta_ms: data.eta_ms };
      clock.heardEta(data.eta_ms);
    }
    return true;
  }
  if (kind === "renamed") {
    job.title = data.title; // from the event: the table may not have it yet
    return true;
  }
  return false;
}

/** @param {string} jobId @param {() => Job} current @param {(job: Job) => void} fetched */
function wireActions(jobId, current, fetched, jobError) {
  document.getElementById("cancel").onclick = async () => {
    try {
      // Cancel only: a job that ended as Cancel was clicked is a 409 and kept, shown as it is.
      fetched(await api(`/jobs/${jobId}/cancel`, { method: "POST" }));
    } catch (err) {
      if (err.status === 409) fetched(await api(`/jobs/${jobId}`));
      else showError(jobError, err);
    }
  };
  document.getElementById("rerun").onclick = async () => {
    const job = current();
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
    const job = current();
    // A long text opens in the composer's long-text mode, with the text as it was sent.
    const draft = job.single ? { ...job.single, provider: job.provider, mode: "text", single: job.single } : job.input;
    sessionStorage.setItem(DRAFT, JSON.stringify(draft));
    location.hash = "#/";
  };
  wireRename(jobId, current, fetched, jobError);
}

/** @param {string} jobId @param {() => Job} current @param {(job: Job) => void} fetched */
function wireRename(jobId, current, fetched, jobError) {
  const renameForm = /** @type {any} */ (document.getElementById("rename-form")); // its controls by name
  document.getElementById("rename").onclick = () => {
    renameForm.elements.title.value = current().title ?? "";
    renameForm.hidden = false;
    renameForm.elements.title.focus();
  };
  document.getElementById("rename-cancel").onclick = () => { renameForm.hidden = true; };
  renameForm.onsubmit = async (event) => {
    event.preventDefault();
    const title = renameForm.elements.title.value.trim() || null;
    try {
      const renamed = await api(`/jobs/${jobId}`, { method: "PATCH", body: JSON.stringify({ title }) });
      renameForm.hidden = true;
      jobError.replaceChildren();
      fetched(renamed);
    } catch (err) { showError(jobError, err); }
  };
}

// Chinese, Japanese and Korean are known from the text's script; other text takes its first
// speaker's voice's language, which only the catalogue knows.
/** @param {Job} job */
async function captionLanguage(job) {
  const bySight = textLanguage(job);
  if (bySight !== "und") return bySight;
  try {
    const voices = (await catalogueOnce()).providers.find((p) => p.provider === job.provider)?.voices ?? [];
    return textLanguage(job, (id) => voices.find((v) => v.id === id)?.language ?? null);
  } catch {
    return "und"; // the captions still play; only their language tag is unknown
  }
}

// The player while the job runs: the audio of its finished turns (not yet mastered), no downloads.
/** @param {Job} job */
function startListening(job) {
  const player = document.getElementById("player");
  player.hidden = false;
  player.dataset.audio = "live"; // what the player holds: "live", then "final" (tests wait on it)
  document.getElementById("job-downloads").hidden = true;
  document.getElementById("live-note").hidden = false;
  return listenLive(/** @type {HTMLAudioElement} */ (document.getElementById("audio")), job.id);
}

/** @param {Job} job */
async function showPlayer(job, listening) {
  // Word-timed captions drive the player where the engine timed words, to highlight the word
  // being spoken; without them (or should they fail) the turn-level ones do.
  const [sound, vtt, srt, words] = await Promise.all([
    ...[job.links.download, job.links.captions_vtt, job.links.captions_srt].map(fetchFile),
    job.links.captions_words ? fetchFile(job.links.captions_words).catch(() => null) : null,
  ]);
  const audio = document.getElementById("audio");
  playFinal(audio, sound.url, listening);
  document.getElementById("live-note").hidden = true;
  document.getElementById("job-downloads").hidden = false;
  const lang = await captionLanguage(job);
  const src = (words ?? vtt).url;
  const track = captionsTrack(audio, { src, srclang: lang, label: t("job.captionsTrack") });
  for (const [id, file] of [["download-audio", sound], ["download-vtt", vtt], ["download-srt", srt]]) {
    Object.assign(document.getElementById(id), { href: file.url, download: file.name || "" });
  }
  const jobError = document.getElementById("job-error");
  const failed = (err) => showError(jobError, err);
  document.getElementById("download-audio").after(...stemsDownload(job, failed));
  document.getElementById("job-word-downloads").replaceChildren(...wordDownloads(job, failed));
  showChapters(job, document.getElementById("job-chapters-box"), /** @type {HTMLAudioElement} */ (audio));
  showLoudness(job, document.getElementById("job-loudness-box"));
  const player = document.getElementById("player");
  player.hidden = false;
  player.dataset.audio = "final";
  const speakers = turnsOf(job).map((turn) => turn.speaker);
  return followCaptions({
    audio, track, speakers, lang,
    line: document.getElementById("caption-line"),
    turns: document.getElementById("job-turns"),
  });
}
