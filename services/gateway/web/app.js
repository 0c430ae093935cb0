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
        speakers: Object.entries(draft.voice_assignments).map(([name, a]) => ({ name, voice: a.voice, speed: a.speed ?? 1 })),
        turns: draft.turns.map((t) => ({ speaker: t.speaker, text: t.text })),
      }
    : {
        speakers: [{ name: "Alice", voice: "", speed: 1 }, { name: "Bob", voice: "", speed: 1 }],
        turns: [{ speaker: "Alice", text: "Hello Bob, how was your weekend?" }, { speaker: "Bob", text: "Quiet, thank you. I finally finished that book." }],
      };
  if (draft) {
    providerSelect.value = draft.provider;
    form.title.value = draft.title || "";
    form.output_format.value = draft.output_format || "wav";
  } else if (catalogue.some((p) => p.provider === "piper")) {
    providerSelect.value = "piper";
  }
  const voices = () => catalogue.find((p) => p.provider === providerSelect.value)?.voices || [];
  const renderSpeakers = () => {
    const box = document.getElementById("speakers");
    box.replaceChildren(...state.speakers.map((s, i) => {
      const voice = el("select", { name: `voice-${i}`, onchange: (e) => (s.voice = e.target.value) },
        ...voices().map((v) => el("option", { value: v.id, textContent: `${v.name} (${v.language})` })));
      if (!voices().some((v) => v.id === s.voice)) {
        const english = voices().find((v) => v.id === "en-us" || v.language.startsWith("en"));
        s.voice = (english || voices()[0])?.id || "";
      }
      voice.value = s.voice;
      const preview = el("button", { type: "button", textContent: "Preview", className: "preview" });
      preview.onclick = () => previewVoice(providerSelect.value, s, preview);
      return el("div", { className: "speaker" },
        el("label", {}, "Name", el("input", { value: s.name, name: `speaker-${i}`, onchange: (e) => { s.name = e.target.value; renderTurns(); } })),
        el("label", {}, "Voice", voice),
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
  document.getElementById("add-speaker").onclick = () => { state.speakers.push({ name: `Speaker ${state.speakers.length + 1}`, voice: "", speed: 1 }); renderSpeakers(); renderTurns(); };
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
        .map((s) => [s.name, { voice: s.voice, speed: s.speed }])),
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

async function previewVoice(provider, speaker, button) {
  // A preview is a tiny job of its own: cached after the first time.
  button.disabled = true;
  try {
    const job = await api("/jobs/tts/multi-role", { method: "POST", body: JSON.stringify({
      provider, title: `preview ${speaker.voice}`,
      turns: [{ speaker: speaker.name, text: `Hello, this is how ${speaker.name} sounds.` }],
      voice_assignments: { [speaker.name]: { voice: speaker.voice, speed: speaker.speed } },
    }) });
    await new Promise((resolve) => {
      const f = feed(`/jobs/${job.id}/events`, (m) => {
        const status = m.type === "snapshot" ? m.job.status : kindOf(m.event);
        if (["completed", "failed", "cancelled"].includes(status)) { f.close(); resolve(); }
      });
    });
    new Audio((await fetchFile(`${API}/jobs/${job.id}/download`)).url).play().catch(() => {});
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
