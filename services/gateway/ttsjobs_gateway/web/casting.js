// "Who will read what" before a job exists: POST /api/v1/casting (or /casting/tts for a long
// text) with exactly the body the job would be sent with, answered by the same casting the job
// gets. Asked again a moment after each change; an answer to an older question is dropped.
import { t } from "./i18n.js";
import { verbatim } from "./problems.js";

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
  [/^(.+) wished for (\S+): (\S+) is a Mandarin voice that reads the Taiwan way/, (m, name) => t("cast.taiwanNote", { speaker: m[1], voice: name(m[3]) })],
  [/^(\d+) speakers share the voice (\S+) \((.+)\): /, (m, name) => t("cast.shared", { n: m[1], voice: name(m[2]), speakers: m[3] })],
];

export function warningNode(warning, voiceName) {
  for (const [pattern, words] of KNOWN) {
    const m = warning.match(pattern);
    if (m) return document.createTextNode(words(m, voiceName));
  }
  return verbatim(warning);
}
