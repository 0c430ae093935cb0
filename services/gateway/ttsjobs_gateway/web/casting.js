// "Who will read what" before a job exists: POST /api/v1/casting (or /casting/tts for a long
// text) with exactly the body the job would be sent with, answered by the same casting the job
// gets. Asked again a moment after each change; an answer to an older question is dropped.
import { el } from "./dom.js";
import { duration, t } from "./i18n.js";
import { verbatim } from "./problems.js";
import { voiceWithAccent } from "./voices.js";

const SETTLE_MS = 300; // typing a line asks once, when the typing pauses

// `question()` gives [path, body]; `shown(answer)` gets each answer (null: the request cannot
// be cast as it stands, e.g. an empty line; submitting says why). Once `form` has left the page
// (another page opened) nothing more is asked or shown.
export function castWatcher({ api, form, question, shown }) {
  let timer = null;
  let asked = 0;
  let latest = Promise.resolve(null);
  const ask = () => {
    clearTimeout(timer);
    timer = null;
    const mine = ++asked;
    const [path, body] = question();
    // Each answer says which question it answers (`asked`: the path, a dialogue's or a text's).
    latest = api(path, { method: "POST", body: JSON.stringify(body) }).then((answer) => ({ ...answer, asked: path }), () => null);
    latest.then((answer) => { if (mine === asked && form.isConnected) shown(answer); });
    return latest;
  };
  return {
    changed() { clearTimeout(timer); timer = setTimeout(() => form.isConnected && ask(), SETTLE_MS); },
    // The answer for the request as it is now (a preview of a cast voice needs it at once).
    now: () => (timer === null ? latest : ask()),
  };
}

// The server's casting warnings: the two it words today in the UI's language, any other as it
// came (marked verbatim).
const KNOWN = [
  [/^(.+) wished for (\S+): (\S+) is a Mandarin voice that reads the Taiwan way/, (m, name) => t("compose.castTaiwanNote", { speaker: m[1], voice: name(m[3]) })],
  [/^(\d+) speakers share the voice (\S+) \((.+)\): /, (m, name) => t("compose.castShared", { n: m[1], voice: name(m[2]), speakers: m[3] })],
];

function warningNode(warning, voiceName) {
  for (const [pattern, words] of KNOWN) {
    const m = warning.match(pattern);
    if (m) return document.createTextNode(words(m, voiceName));
  }
  return verbatim(warning);
}

// A cast voice as the speaker's row says it, with the reading standard casting chose for it (a
// Mandarin voice reads Traditional text the Taiwan way).
export function castLine(voice, reading) {
  const standard = { taiwan: "speaker.readingTaiwan", mainland: "speaker.readingMainland" }[reading];
  const named = voiceWithAccent(voice);
  return standard ? t("speaker.castAsReading", { voice: named, reading: t(standard) }) : t("speaker.castAs", { voice: named });
}

// Under the editor: how long the audio will be (and how long rendering takes, when the worker
// has measured its engine), and the casting notes. `voiceName(id)` names a voice for people.
export function showNotes(answer, voiceName) {
  const estimate = document.getElementById("cast-estimate");
  const key = answer?.estimated_render_ms != null ? "compose.estimateRender" : "compose.estimate";
  estimate.textContent = answer ? t(key, { audio: duration(answer.estimated_audio_ms), render: duration(answer.estimated_render_ms) }) : "";
  estimate.dataset.ms = answer?.estimated_audio_ms ?? "";
  document.getElementById("cast-warnings").replaceChildren(...(answer?.warnings || []).map((w) => el("li", {}, warningNode(w, voiceName))));
}
