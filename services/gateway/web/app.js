// ttsjobs web app: compose a dialogue, watch jobs live, play and download results.
// Plain modules, no build step: the gateway serves these files as they are.

const API = "/api/v1";
const view = document.getElementById("view");
const MINE = "ttsjobs.mine"; // ids of jobs started in this browser, for notifications
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
function askForKey(reason) {
  document.getElementById("key-reason").textContent = reason;
  keyForm.hidden = false;
  keyForm.elements.key.focus();
}
keyForm.onsubmit = (e) => {
  e.preventDefault();
  localStorage.setItem(KEY, keyForm.elements.key.value.trim());
  keyForm.hidden = true;
  location.reload();
};
document.getElementById("change-key").onclick = () => askForKey("Paste the API key to use in this browser.");

async function api(path, options = {}) {
  const response = await fetch(API + path, {
    ...options,
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${apiKey()}` },
  });
  const body = response.headers.get("content-type")?.includes("json") ? await response.json() : null;
  if (response.status === 401) {
    askForKey(apiKey() ? "This API key is not valid (or was revoked); paste another." : "Paste your API key to start.");
  }
  if (!response.ok) {
    const fields = (body?.errors || []).map((e) => `${e.field}: ${e.reason}`).join("\n");
    throw new Error(fields || body?.detail || `HTTP ${response.status}`);
  }
  return body;
}

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
// The file name is the one the server gives (Content-Disposition).
async function fetchFile(path) {
  const response = await fetch(path, { headers: { Authorization: `Bearer ${apiKey()}` } });
  if (!response.ok) throw new Error(`HTTP ${response.status} for ${path}`);
  const name = (response.headers.get("content-disposition") || "").match(/filename="([^"]+)"/)?.[1];
  return { url: URL.createObjectURL(await response.blob()), name };
}

const kindOf = (event) => event.type.split(".").at(-2);
const el = (tag, { dataset = {}, ...props } = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  Object.assign(node.dataset, dataset);
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
};
const when = (iso) => (iso ? new Date(iso).toLocaleString() : "");
const seconds = (ms) => (ms === null || ms === undefined ? "" : `${(ms / 1000).toFixed(1)} s`);

// ---------- notifications: a job this browser started has finished ----------
function remember(jobId) {
  const mine = JSON.parse(localStorage.getItem(MINE) || "[]");
  localStorage.setItem(MINE, JSON.stringify([jobId, ...mine].slice(0, 200)));
}
feed("/jobs/events", (message) => {
  if (message.type !== "event") return;
  const kind = kindOf(message.event);
  const mine = JSON.parse(localStorage.getItem(MINE) || "[]");
  if (!["completed", "failed"].includes(kind) || !mine.includes(message.job_id)) return;
  if ("Notification" in window && Notification.permission === "granted") {
    new Notification(`ttsjobs: job ${kind}`, { body: message.job_id, tag: message.job_id });
  }
});

// ---------- compose ----------
let catalogue = [];

async function compose() {
  view.replaceChildren(document.getElementById("compose-template").content.cloneNode(true));
  catalogue = (await api("/voices")).providers;
  const draft = JSON.parse(sessionStorage.getItem("ttsjobs.draft") || "null");
  sessionStorage.removeItem("ttsjobs.draft");
  const form = document.getElementById("compose");
  const providerSelect = document.getElementById("provider");
  for (const p of catalogue) providerSelect.append(el("option", { value: p.provider, textContent: p.provider }));
  const state = draft
    ? {
        speakers: draft.turns
          .map((t) => t.speaker)
          .filter((name, i, all) => all.indexOf(name) === i)
          .map((name) => speakerFrom(name, draft.voice_assignments[name] || {})),
        turns: draft.turns.map((t) => ({ speaker: t.speaker, text: t.text })),
      }
    : {
        speakers: [speakerFrom("Alice", {}), speakerFrom("Bob", {})],
        turns: [{ speaker: "Alice", text: "Hello Bob, how was your weekend?" }, { speaker: "Bob", text: "Quiet, thank you. I finally finished that book." }],
      };
  if (draft) {
    providerSelect.value = draft.provider;
    form.title.value = draft.title || "";
    form.output_format.value = draft.output_format || "wav";
  } else {
    // The best installed provider first: the same order the gateway casts in.
    providerSelect.value = ["kokoro", "piper", "espeak"].find((name) => catalogue.some((p) => p.provider === name)) || catalogue[0]?.provider;
  }
  const voices = () => catalogue.find((p) => p.provider === providerSelect.value)?.voices || [];
  // A new speaker gets a voice no other speaker has, of the gender the dialogue has fewer of.
  const distinctVoice = (speaker) => {
    const taken = state.speakers.filter((o) => o !== speaker).map((o) => o.voice);
    const byGender = (g) => state.speakers.filter((o) => o !== speaker && voices().find((v) => v.id === o.voice)?.gender === g).length;
    const language = voices()[0]?.language.split("-")[0];
    const free = voices().filter((v) => !taken.includes(v.id) && v.language.split("-")[0] === language);
    free.sort((a, b) => byGender(a.gender) - byGender(b.gender));
    return (free[0] || voices()[0])?.id || "";
  };
  const renderSpeakers = () => {
    const box = document.getElementById("speakers");
    for (const s of state.speakers) {
      if (s.voice === null || (s.voice !== CAST && !voices().some((v) => v.id === s.voice))) s.voice = distinctVoice(s);
    }
    box.replaceChildren(...state.speakers.map((s, i) => {
      const voice = voicePicker(voices(), s, `voice-${i}`, () => renderSpeakers());
      const wish = el("span", { className: "wish", hidden: s.voice !== CAST },
        el("label", {}, "Language", languagePicker(voices(), s, i)),
        el("label", {}, "Gender", el("select", { name: `gender-${i}`, onchange: (e) => (s.gender = e.target.value) },
          ...[["", "any"], ["female", "female"], ["male", "male"]].map(([value, text]) => el("option", { value, textContent: text, selected: s.gender === value })))));
      const preview = el("button", { type: "button", textContent: "Preview", className: "preview" });
      preview.onclick = () => previewVoice(providerSelect.value, s, preview);
      return el("div", { className: "speaker" },
        el("label", {}, "Name", el("input", { value: s.name, name: `speaker-${i}`, onchange: (e) => { s.name = e.target.value; renderTurns(); } })),
        el("label", {}, "Voice", voice),
        wish,
        el("label", {}, "Speed", el("input", { type: "number", min: 0.25, max: 4, step: 0.05, value: s.speed, onchange: (e) => (s.speed = Number(e.target.value)) })),
        preview,
        el("button", { type: "button", textContent: "Remove", onclick: () => { state.speakers.splice(i, 1); renderSpeakers(); renderTurns(); } }));
    }));
  };
  const renderTurns = () => {
    const list = document.getElementById("turns");
    list.replaceChildren(...state.turns.map((t, i) => {
      const who = el("select", { name: `turn-speaker-${i}`, onchange: (e) => (t.speaker = e.target.value) },
        ...state.speakers.map((s) => el("option", { value: s.name, textContent: s.name })));
      who.value = t.speaker;
      const move = (delta) => { const j = i + delta; if (j < 0 || j >= state.turns.length) return; [state.turns[i], state.turns[j]] = [state.turns[j], state.turns[i]]; renderTurns(); };
      return el("li", { className: "turn" }, who,
        el("textarea", { value: t.text, name: `turn-text-${i}`, oninput: (e) => (t.text = e.target.value) }),
        el("button", { type: "button", textContent: "↑", title: "Move up", onclick: () => move(-1) }),
        el("button", { type: "button", textContent: "↓", title: "Move down", onclick: () => move(1) }),
        el("button", { type: "button", textContent: "Remove", onclick: () => { state.turns.splice(i, 1); renderTurns(); } }));
    }));
  };
  providerSelect.onchange = renderSpeakers;
  document.getElementById("add-speaker").onclick = () => { state.speakers.push(speakerFrom(`Speaker ${state.speakers.length + 1}`, {})); renderSpeakers(); renderTurns(); };
  document.getElementById("add-turn").onclick = () => { state.turns.push({ speaker: state.speakers[0]?.name || "", text: "" }); renderTurns(); };
  renderSpeakers();
  renderTurns();
  form.onsubmit = async (event) => {
    event.preventDefault();
    const error = document.getElementById("compose-error");
    error.textContent = "";
    const body = {
      provider: providerSelect.value,
      title: form.title.value || null,
      output_format: form.output_format.value,
      turns: state.turns,
      // Only speakers that have a turn: the API refuses a voice for a speaker who never speaks.
      voice_assignments: Object.fromEntries(state.speakers
        .filter((s) => state.turns.some((t) => t.speaker === s.name))
        .map((s) => [s.name, assignment(s)])),
    };
    try {
      if ("Notification" in window && Notification.permission === "default") Notification.requestPermission();
      const job = await api("/jobs/tts/multi-role", { method: "POST", body: JSON.stringify(body) });
      remember(job.id);
      document.getElementById("submitted-id").textContent = job.id;
      document.getElementById("submitted-link").href = `#/jobs/${job.id}`;
      document.getElementById("submitted").hidden = false;
    } catch (err) {
      error.textContent = err.message;
    }
  };
}

// ---------- voices ----------
const CAST = ""; // the voice picker's "cast a voice for me"

function speakerFrom(name, a) {
  // No voice and no wish: null, so that the picker gives the speaker a voice of its own.
  return { name, voice: a.voice ?? (a.language || a.gender ? CAST : null), language: a.language || "", gender: a.gender || "", speed: a.speed ?? 1 };
}

function assignment(s) {
  if (s.voice !== CAST) return { voice: s.voice, speed: s.speed };
  const wish = { speed: s.speed };
  if (s.language) wish.language = s.language;
  if (s.gender) wish.gender = s.gender;
  return wish;
}

const languageName = (tag) => {
  try {
    return new Intl.DisplayNames([navigator.language, "en"], { type: "language" }).of(tag) || tag;
  } catch {
    return tag;
  }
};

// Voices grouped by language, each with its gender; "cast a voice for me" comes first.
function voicePicker(voices, speaker, name, changed) {
  const groups = new Map();
  for (const v of voices) groups.set(v.language, [...(groups.get(v.language) || []), v]);
  const select = el("select", { name, onchange: (e) => { speaker.voice = e.target.value; changed(); } },
    el("option", { value: CAST, textContent: "Cast a voice for me" }),
    ...[...groups].map(([language, members]) => el("optgroup", { label: `${languageName(language)} (${language})` },
      ...members.map((v) => el("option", { value: v.id, textContent: v.gender ? `${v.name} · ${v.gender}` : v.name })))));
  select.value = speaker.voice;
  return select;
}

function languagePicker(voices, speaker, i) {
  const languages = [...new Set(voices.map((v) => v.language))];
  // Taiwan's users write zh-TW; Mandarin voices are cast for it.
  if (languages.some((l) => l.startsWith("zh")) && !languages.includes("zh-TW")) languages.unshift("zh-TW");
  return el("select", { name: `language-${i}`, onchange: (e) => (speaker.language = e.target.value) },
    el("option", { value: "", textContent: "from the text" }),
    ...languages.map((l) => el("option", { value: l, textContent: `${languageName(l)} (${l})`, selected: speaker.language === l })));
}

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
        provider, title: `preview ${speaker.voice || "cast"}`,
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
    document.getElementById("compose-error").textContent = err.message;
  } finally {
    button.disabled = false;
  }
}

// ---------- jobs ----------
async function jobs() {
  view.replaceChildren(document.getElementById("jobs-template").content.cloneNode(true));
  const filter = document.getElementById("status-filter");
  const rows = document.getElementById("job-rows");
  const load = async () => {
    const page = await api(`/jobs?limit=50${filter.value ? `&status=${filter.value}` : ""}`);
    rows.replaceChildren(...page.items.map((j) => el("tr", { dataset: { job: j.id } },
      el("td", {}, el("a", { href: `#/jobs/${j.id}`, textContent: j.title || j.id.slice(0, 8) })),
      el("td", { textContent: j.status, dataset: { status: j.status } }),
      el("td", { textContent: when(j.created_at) }),
      el("td", { textContent: when(j.completed_at) }),
      el("td", { textContent: seconds(j.result?.duration_ms) }))));
  };
  filter.onchange = load;
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
async function jobPage(jobId) {
  view.replaceChildren(document.getElementById("job-template").content.cloneNode(true));
  let job = await api(`/jobs/${jobId}`);
  const done = new Set();
  let loadingPlayer = null;
  const render = () => {
    document.getElementById("job-title").textContent = job.title || `Job ${job.id}`;
    const status = document.getElementById("job-status");
    status.textContent = job.status;
    status.dataset.status = job.status;
    const bar = document.getElementById("job-progress");
    bar.max = job.progress.total;
    bar.value = job.progress.done;
    document.getElementById("job-eta").textContent =
      job.status === "processing" && job.progress.eta_ms ? `about ${seconds(job.progress.eta_ms)} left` : "";
    document.getElementById("job-error").textContent = job.error_message || "";
    document.getElementById("cancel").hidden = !["pending", "processing"].includes(job.status);
    document.getElementById("job-turns").replaceChildren(...job.input.turns.map((t, i) =>
      el("li", { className: done.has(i) || job.status === "completed" ? "done" : "" },
        el("span", { className: "who", textContent: `${t.speaker}:` }), t.text, el("span", { className: "state" }))));
    const params = document.getElementById("job-params");
    const voices = Object.entries(job.input.voice_assignments).map(([s, a]) => `${s}: ${a.voice} ×${a.speed}`).join(", ");
    params.replaceChildren(...[["Provider", job.provider], ["Voices", voices], ["Format", job.input.output_format],
      ["Created", when(job.created_at)], ["Completed", when(job.completed_at)], ["Elapsed", job.elapsed ? `${job.elapsed.toFixed(1)} s` : ""]]
      .flatMap(([k, v]) => [el("dt", { textContent: k }), el("dd", { textContent: v })]));
    if (job.status === "completed" && document.getElementById("player").hidden && !loadingPlayer) {
      loadingPlayer = showPlayer(job).catch((err) => {
        document.getElementById("job-error").textContent = err.message;
      });
    }
  };
  document.getElementById("cancel").onclick = async () => {
    try { job = await api(`/jobs/${jobId}`, { method: "DELETE" }); render(); }
    catch (err) { document.getElementById("job-error").textContent = err.message; }
  };
  document.getElementById("rerun").onclick = async () => {
    const again = await api("/jobs/tts/multi-role", { method: "POST", body: JSON.stringify(job.input) });
    remember(again.id);
    location.hash = `#/jobs/${again.id}`;
  };
  document.getElementById("edit").onclick = () => {
    sessionStorage.setItem("ttsjobs.draft", JSON.stringify(job.input));
    location.hash = "#/";
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
  audio.append(el("track", { kind: "captions", src: vtt.url, default: true, srclang: "en", label: "Dialogue" }));
  for (const [id, file] of [["download-audio", sound], ["download-vtt", vtt], ["download-srt", srt]]) {
    Object.assign(document.getElementById(id), { href: file.url, download: file.name || "" });
  }
  document.getElementById("player").hidden = false;
}

// ---------- routing ----------
let leave = null;
async function route() {
  if (leave) { leave(); leave = null; }
  const hash = location.hash || "#/";
  const match = hash.match(/^#\/jobs\/([0-9a-f-]{36})$/);
  for (const a of document.querySelectorAll("[data-nav]")) {
    a.classList.toggle("active", (a.dataset.nav === "jobs") === hash.startsWith("#/jobs"));
  }
  try {
    if (match) leave = await jobPage(match[1]);
    else if (hash.startsWith("#/jobs")) leave = await jobs();
    else await compose();
  } catch (err) {
    view.replaceChildren(el("p", { className: "error", textContent: err.message }));
  }
}
window.addEventListener("hashchange", route);
route();
