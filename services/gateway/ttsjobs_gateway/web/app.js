// ttsjobs web app: compose a dialogue, watch jobs live, play and download results.
// Plain modules, no build step: the gateway serves these files as they are.
import { LOCALES, chooseLocale, dateTime, duration, loadMessages, locale, number, relativeTime, t, tNodes, translate } from "./i18n.js";
import { ApiError, AppError, errorNodes, failureNodes } from "./problems.js";
import { el } from "./dom.js";
import { CAST, assignment, languagePicker, pickVoice, readingPicker, speakerFrom, voicePicker } from "./voices.js";
import { lexiconStore } from "./lexicon-api.js";
import { lexiconChoice } from "./lexicon-choice.js";
import { lexiconsPage } from "./lexicons.js";
import { pronunciations } from "./pronunciation.js";

const API = "/api/v1";
const view = document.getElementById("view");
const MINE = "ttsjobs.mine"; // ids of jobs started in this browser, for notifications
const KEY = "ttsjobs.apiKey";

// The dictionary first: every text on the page comes from it.
await loadMessages();
translate(document.body);
const localeSwitch = document.getElementById("locale");
localeSwitch.replaceChildren(...Object.entries(LOCALES).map(([value, name]) => new Option(name, value, false, value === locale)));
for (const option of localeSwitch.options) option.lang = option.value; // each name is in its own language
localeSwitch.onchange = async () => {
  saveDraft?.(); // what is being composed survives the switch
  await chooseLocale(localeSwitch.value);
  translate(document.body);
  route();
};

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
const apiKey = () => localStorage.getItem(KEY) || "";
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
const keyForm = document.getElementById("key-form");
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
async function request(path, { contentType = "application/json", headers = {}, ...options } = {}) {
  const response = await fetch(API + path, {
    ...options,
    headers: { "Content-Type": contentType, Authorization: `Bearer ${apiKey()}`, ...headers },
  });
  const body = response.headers.get("content-type")?.includes("json") ? await response.json() : null;
  if (response.status === 401) {
    askForKey(apiKey() ? "key.reasonInvalid" : "key.reasonMissing");
  }
  if (!response.ok) throw new ApiError(response.status, body);
  return { body, response };
}
const api = async (path, options) => (await request(path, options)).body;
const lexicons = lexiconStore(request);

function feed(path, onMessage) {
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
// there is one (a title in Chinese), else the plain filename.
function fileName(disposition) {
  const extended = disposition.match(/filename\*=UTF-8''([^;\s]+)/i)?.[1];
  if (extended) {
    try { return decodeURIComponent(extended); } catch { /* malformed: the plain one */ }
  }
  return disposition.match(/filename="([^"]+)"/)?.[1];
}

async function fetchFile(path) {
  const response = await fetch(path, { headers: { Authorization: `Bearer ${apiKey()}` } });
  if (!response.ok) throw new AppError("error.download", { status: response.status });
  const name = fileName(response.headers.get("content-disposition") || "");
  return { url: URL.createObjectURL(await response.blob()), name };
}

const kindOf = (event) => event.type.split(".").at(-2);
const showError = (node, error) => node.replaceChildren(...errorNodes(error));

// ---------- notifications: a job this browser started has finished ----------
// A quick job can finish before the answer to its submission has been handled here, so the
// feed's recent endings of jobs not yet known as ours are kept for remember() to find.
const endedBeforeKnown = new Map(); // job id → "completed" | "failed"
function notifyEnded(kind, jobId) {
  if ("Notification" in window && Notification.permission === "granted") {
    new Notification(t(`notify.${kind}`), { body: jobId, tag: jobId });
  }
}
function remember(jobId) {
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

// ---------- compose ----------
let catalogue = [];
let saveDraft = null; // set while composing: keeps the dialogue across a change of language
const DRAFT = "ttsjobs.draft";

// The sample dialogue a new page starts with, in the UI's language.
function sampleDialogue() {
  const [first, second] = [t("compose.firstSpeaker"), t("compose.secondSpeaker")];
  return {
    speakers: [speakerFrom(first, {}), speakerFrom(second, {})],
    turns: [{ speaker: first, text: t("compose.firstLine", { other: second }) }, { speaker: second, text: t("compose.secondLine") }],
  };
}

function dialogueFrom(draft) {
  // Every speaker the draft names, in order, whether or not it has a turn yet.
  const names = [...Object.keys(draft.voice_assignments || {}), ...draft.turns.map((turn) => turn.speaker)];
  return {
    speakers: [...new Set(names)].map((name) => speakerFrom(name, draft.voice_assignments?.[name] || {})),
    turns: draft.turns.map((turn) => ({ speaker: turn.speaker, text: turn.text })),
  };
}

async function compose() {
  // The catalogue first: the new form replaces the old one only once it can be filled at once,
  // so a draft carried across a change of language is never shown blank.
  catalogue = (await api("/voices")).providers;
  view.replaceChildren(document.getElementById("compose-template").content.cloneNode(true));
  translate(view);
  const draft = JSON.parse(sessionStorage.getItem(DRAFT) || "null");
  sessionStorage.removeItem(DRAFT);
  const form = document.getElementById("compose");
  const providerSelect = document.getElementById("provider");
  for (const p of catalogue) providerSelect.append(el("option", { value: p.provider, textContent: p.provider }));
  const state = draft?.turns?.length ? dialogueFrom(draft) : sampleDialogue();
  // The long text's one voice, a speaker like the dialogue's (the same picker and wish).
  const reader = speakerFrom("text", draft?.single || {});
  const longText = document.getElementById("long-text");
  longText.value = draft?.single?.text || "";
  if (draft) {
    providerSelect.value = draft.provider;
    form.title.value = draft.title || "";
    form.output_format.value = draft.output_format || "wav";
  } else {
    // The best installed provider first: the same order the gateway casts in.
    providerSelect.value = ["kokoro", "piper", "espeak"].find((name) => catalogue.some((p) => p.provider === name)) || catalogue[0]?.provider;
  }
  const mode = () => form.elements.mode.value;
  // A change of the job's lexicons shows in the open previews (pronounce is there by then).
  const choice = lexiconChoice(lexicons, document.getElementById("lexicon-options"), draft?.lexicons || [], () => pronounce.reloadOpen());
  const pronounce = pronunciations({ api, store: lexicons, chosen: choice.chosen, choose: choice.choose });
  // A voice id is the chosen provider's (two providers may have one of the same name).
  const wishOf = (s) => { const wish = previewWish(s); return wish.voice ? { ...wish, provider: providerSelect.value } : wish; };
  const voices = () => catalogue.find((p) => p.provider === providerSelect.value)?.voices || [];
  const distinctVoice = (speaker) => pickVoice(voices(), state.speakers.filter((o) => o !== speaker));
  // No voice yet, or one the chosen provider does not have (the cast wish is always kept).
  const needsVoice = (s) => s.voice === null || (s.voice !== CAST && !voices().some((v) => v.id === s.voice));
  // A speaker's voice, its wish when cast, its speed and a preview; `key` names the fields.
  const voiceControls = (s, key, rerender) => {
    const voice = voicePicker(voices(), s, `voice-${key}`, rerender);
    const genders = [["", t("gender.any")], ["female", t("gender.female")], ["male", t("gender.male")]];
    const wish = el("span", { className: "wish", hidden: s.voice !== CAST },
      el("label", {}, t("speaker.language"), languagePicker(voices(), s, key)),
      el("label", {}, t("speaker.gender"), el("select", { name: `gender-${key}`, onchange: (e) => (s.gender = e.target.value) },
        ...genders.map(([value, text]) => el("option", { value, textContent: text, selected: s.gender === value })))));
    const preview = el("button", { type: "button", textContent: t("speaker.preview"), className: "preview" });
    preview.onclick = () => previewVoice(providerSelect.value, s, preview);
    return [
      el("label", {}, t("speaker.voice"), voice),
      wish,
      readingPicker(voices(), s, key),
      el("label", {}, t("speaker.speed"), el("input", { type: "number", name: `speed-${key}`, min: 0.25, max: 4, step: 0.05, value: s.speed, onchange: (e) => (s.speed = Number(e.target.value)) })),
      preview,
    ];
  };
  const renderSpeakers = () => {
    const box = document.getElementById("speakers");
    for (const s of state.speakers) {
      if (needsVoice(s)) s.voice = distinctVoice(s);
    }
    box.replaceChildren(...state.speakers.map((s, i) => el("div", { className: "speaker" },
      el("label", {}, t("speaker.name"), el("input", { value: s.name, name: `speaker-${i}`, onchange: (e) => { s.name = e.target.value; renderTurns(); } })),
      ...voiceControls(s, i, () => renderSpeakers()),
      el("button", { type: "button", textContent: t("speaker.remove"), onclick: () => { state.speakers.splice(i, 1); renderSpeakers(); renderTurns(); } }))));
  };
  const renderTurns = () => {
    const list = document.getElementById("turns");
    list.replaceChildren(...state.turns.map((turn, i) => {
      const n = number(i + 1);
      const who = el("select", { name: `turn-speaker-${i}`, ariaLabel: t("turn.speaker", { n }), onchange: (e) => (turn.speaker = e.target.value) },
        ...state.speakers.map((s) => typed("option", s.name, { value: s.name })));
      who.value = turn.speaker;
      const move = (delta) => { const j = i + delta; if (j < 0 || j >= state.turns.length) return; [state.turns[i], state.turns[j]] = [state.turns[j], state.turns[i]]; renderTurns(); };
      // A pause from a script's [pause 2s] line rides on the turn before it.
      const pause = turn.pause_after_ms != null ? el("span", { className: "pause", textContent: t("turn.pause", { duration: duration(turn.pause_after_ms) }) }) : null;
      const text = el("textarea", { value: turn.text, name: `turn-text-${i}`, ariaLabel: t("turn.text", { n }), oninput: (e) => (turn.text = e.target.value) });
      const speaker = () => state.speakers.find((s) => s.name === turn.speaker);
      const preview = pronounce.forTurn({ key: turn, text: () => turn.text, wish: () => wishOf(speaker()), inputs: [who, text] });
      return el("li", { className: "turn" }, preview.box, who, text,
        pause,
        preview.button,
        el("button", { type: "button", textContent: "↑", title: t("turn.moveUp"), ariaLabel: t("turn.moveUp"), onclick: () => move(-1) }),
        el("button", { type: "button", textContent: "↓", title: t("turn.moveDown"), ariaLabel: t("turn.moveDown"), onclick: () => move(1) }),
        el("button", { type: "button", textContent: t("turn.remove"), onclick: () => { state.turns.splice(i, 1); renderTurns(); } }));
    }));
  };
  const renderReader = () => {
    if (needsVoice(reader)) reader.voice = pickVoice(voices(), []);
    document.getElementById("text-voice").replaceChildren(...voiceControls(reader, "text", () => renderReader()));
  };
  const countText = () => {
    document.getElementById("text-count").textContent = t("text.count", { n: number([...longText.value].length) });
  };
  const showMode = () => {
    document.getElementById("dialogue-editor").hidden = mode() !== "dialogue";
    document.getElementById("text-editor").hidden = mode() !== "text";
    const heading = document.getElementById("compose-heading");
    heading.dataset.i18n = mode() === "text" ? "compose.headingText" : "compose.heading";
    translate(heading);
  };
  providerSelect.onchange = () => { renderSpeakers(); renderReader(); };
  document.getElementById("add-speaker").onclick = () => {
    state.speakers.push(speakerFrom(t("compose.newSpeaker", { n: number(state.speakers.length + 1) }), {}));
    renderSpeakers();
    renderTurns();
  };
  document.getElementById("add-turn").onclick = () => { state.turns.push({ speaker: state.speakers[0]?.name || "", text: "" }); renderTurns(); };
  document.getElementById("script-fill").onclick = async () => {
    const error = document.getElementById("script-error");
    error.replaceChildren();
    try {
      const script = await api("/scripts/parse", { method: "POST", body: document.getElementById("script-text").value, contentType: "text/plain; charset=utf-8" });
      Object.assign(state, dialogueOfScript(script, state.speakers));
      renderSpeakers();
      renderTurns();
      document.getElementById("script-box").open = false;
    } catch (err) {
      showError(error, err);
    }
  };
  longText.oninput = countText;
  // A speaker's voice, wish or reading standard changed: the open previews read with it.
  for (const id of ["speakers", "text-voice"]) document.getElementById(id).addEventListener("change", () => pronounce.reloadOpen());
  // The long text's preview, the same as a turn's: the button after the count, the ruby above.
  const textPreview = pronounce.forTurn({ key: reader, text: () => longText.value, wish: () => wishOf(reader), inputs: [longText] });
  document.getElementById("text-count").after(textPreview.button);
  longText.closest("label").before(textPreview.box);
  for (const radio of form.elements.mode) radio.onchange = showMode;
  form.elements.mode.value = draft?.mode === "text" ? "text" : "dialogue";
  renderSpeakers();
  renderTurns();
  renderReader();
  countText();
  showMode();
  const common = () => ({
    provider: providerSelect.value, title: form.title.value || null, output_format: form.output_format.value,
    ...(choice.chosen().length ? { lexicons: choice.chosen() } : {}),
  });
  const dialogueRequest = () => ({
    ...common(),
    turns: state.turns,
    // Only speakers that have a turn: the API refuses a voice for a speaker who never speaks.
    voice_assignments: Object.fromEntries(state.speakers
      .filter((s) => state.turns.some((turn) => turn.speaker === s.name))
      .map((s) => [s.name, assignment(s)])),
  });
  const textRequest = () => ({ ...common(), text: longText.value, ...assignment(reader) });
  saveDraft = () => {
    const all = { ...dialogueRequest(), voice_assignments: Object.fromEntries(state.speakers.map((s) => [s.name, assignment(s)])) };
    sessionStorage.setItem(DRAFT, JSON.stringify({ ...all, mode: mode(), single: textRequest() }));
  };
  form.onsubmit = async (event) => {
    event.preventDefault();
    const error = document.getElementById("compose-error");
    error.replaceChildren();
    try {
      if ("Notification" in window && Notification.permission === "default") Notification.requestPermission();
      const [path, body] = mode() === "text" ? ["/jobs/tts", textRequest()] : ["/jobs/tts/multi-role", dialogueRequest()];
      const job = await api(path, { method: "POST", body: JSON.stringify(body) });
      remember(job.id);
      document.getElementById("submitted-id").textContent = job.id;
      document.getElementById("submitted-link").href = `#/jobs/${job.id}`;
      document.getElementById("submitted").hidden = false;
    } catch (err) {
      showError(error, err);
    }
  };
}

// What the pronunciation preview reads a turn with: its speaker's voice, else the wish's
// language; with neither, the server goes by the text.
function previewWish(speaker) {
  if (!speaker) return {};
  const reading = speaker.reading ? { reading: speaker.reading } : {};
  if (speaker.voice && speaker.voice !== CAST) return { voice: speaker.voice, ...reading };
  return { ...(speaker.language ? { language: speaker.language } : {}), ...reading };
}

// A pasted script, read by the server (the parser the API and the CLI use), as the editor's
// dialogue. A speaker the editor already has keeps the voice picked for it; a new one takes the
// voice its "# voice" line names, or is cast from the language of what it says.
function dialogueOfScript(script, speakers) {
  const known = new Map(speakers.map((s) => [s.name, s]));
  const names = [...new Set(script.turns.map((turn) => turn.speaker))];
  return {
    speakers: names.map((name) => known.get(name) ||
      (script.voices[name] ? speakerFrom(name, { voice: script.voices[name] }) : { ...speakerFrom(name, {}), voice: CAST })),
    turns: script.turns.map((turn) => ({ ...turn })),
  };
}

// ---------- voice previews ----------
const PREVIEW_LINES = {
  zh: "你好，這是我的聲音。今天天氣很好。",
  es: "Hola, así suena mi voz.",
  fr: "Bonjour, voici ma voix.",
  hi: "नमस्ते, यह मेरी आवाज़ है।",
  it: "Ciao, questa è la mia voce.",
  pt: "Olá, esta é a minha voz.",
  ja: "こんにちは、これが私の声です。",
};
const previews = new Map(); // a voice's sample, fetched once per page

async function previewVoice(provider, speaker, button) {
  // A preview is a tiny job of its own, in the voice's language; the segment cache makes a
  // repeat cheap on the server, and the page keeps the audio it got.
  const cacheKey = JSON.stringify([provider, assignment(speaker)]);
  button.disabled = true;
  try {
    if (!previews.has(cacheKey)) {
      const voice = catalogue.find((p) => p.provider === provider)?.voices.find((v) => v.id === speaker.voice);
      const language = (voice?.language || speaker.language || "en").split("-")[0].replace("cmn", "zh");
      const text = PREVIEW_LINES[language] || "Hello, this is how I sound. What a lovely day.";
      const job = await api("/jobs/tts/multi-role", { method: "POST", body: JSON.stringify({
        provider, title: t("preview.jobTitle", { voice: speaker.voice || "cast" }),
        turns: [{ speaker: "preview", text }],
        voice_assignments: { preview: assignment(speaker) },
      }) });
      await new Promise((resolve) => {
        const f = feed(`/jobs/${job.id}/events`, (m) => {
          const status = m.type === "snapshot" ? m.job.status : kindOf(m.event);
          if (["completed", "failed", "cancelled"].includes(status)) { f.close(); resolve(); }
        });
      });
      previews.set(cacheKey, (await fetchFile(`${API}/jobs/${job.id}/download`)).url);
    }
    const audio = new Audio(previews.get(cacheKey));
    audio.dataset.preview = cacheKey;
    document.body.dataset.previewed = (Number(document.body.dataset.previewed || 0) + 1).toString();
    audio.play().catch(() => {});
  } catch (err) {
    showError(document.getElementById("compose-error"), err);
  } finally {
    button.disabled = false;
  }
}

// ---------- jobs ----------
// Text people typed (titles, speaker names, turns) is shown as written, marked data-verbatim
// like the server's own words: it is not the UI's to translate.
const typed = (tag, text, props = {}) => el(tag, { ...props, textContent: text, dataset: { ...props.dataset, verbatim: "" } });
const statusName = (status) => t(`status.${status}`);
const timeCell = (iso, relative) =>
  el("td", {}, iso ? el("time", { dateTime: iso, title: dateTime(iso), textContent: relative ? relativeTime(iso) : dateTime(iso) }) : null);

async function jobs() {
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

// ---------- one job ----------
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

async function jobPage(jobId) {
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

// ---------- routing ----------
let leave = null;
async function route() {
  if (leave) { leave(); leave = null; }
  saveDraft = null;
  const hash = location.hash || "#/";
  const match = hash.match(/^#\/jobs\/([0-9a-f-]{36})$/);
  const lexicon = hash.match(/^#\/lexicons(?:\/([A-Za-z0-9][A-Za-z0-9_.-]{0,63}))?$/);
  const section = hash.startsWith("#/jobs") ? "jobs" : lexicon ? "lexicons" : "compose";
  for (const a of document.querySelectorAll("[data-nav]")) a.classList.toggle("active", a.dataset.nav === section);
  try {
    if (match) leave = await jobPage(match[1]);
    else if (lexicon) await lexiconsPage({ view, store: lexicons, fetchFile, selected: lexicon[1] });
    else if (hash.startsWith("#/jobs")) leave = await jobs();
    else await compose();
  } catch (err) {
    view.replaceChildren(el("p", { className: "error" }, ...errorNodes(err)));
  }
}
window.addEventListener("hashchange", route);
route();
