// "How will this be read?" above a turn in the composer: on demand, POST /api/v1/pronunciations
// for the turn's text (with its speaker's voice or wish and the job's lexicons) and show the text
// as <ruby>, Bopomofo or pinyin over each character. Readings that did not come from plain G2P
// (Taiwan's dictionary, a lexicon, a normalised number) are marked, with a title that says where
// they came from. Clicking a word opens a small editor that saves a reading to one of the user's
// lexicons, then reads the text again so the fix shows.
import { el } from "./dom.js";
import { locale, t } from "./i18n.js";
import { errorNodes } from "./problems.js";
import { fixForm } from "./pronunciation-fix.js";
import { isHan } from "./readings.js";

const SHOWN = "ttsjobs.rubyAlphabet"; // "bopomofo" | "pinyin": the reader's choice, kept
const SOURCES = {
  g2p: "pron.sourceG2p",
  taiwan: "pron.sourceTaiwan",
  rule: "pron.sourceRule",
  normalised: "pron.sourceNormalised",
  latin: "pron.sourceLatin",
};
// Readings a person should notice: they differ from what a plain dictionary lookup gives.
const marked = (source) => source === "taiwan" || source === "normalised" || source.startsWith("lexicon:");
const LEXICON_SOURCE = "lexicon:";

// A new lexicon's language: Taiwan's readings are zh-TW's, whatever the voice's own tag.
const lexiconLanguage = (answer) => (answer?.reading === "taiwan" ? "zh-TW" : answer?.language);

function sourceTitle(source) {
  if (source.startsWith(LEXICON_SOURCE)) return t("pron.sourceLexicon", { name: source.slice(LEXICON_SOURCE.length) });
  return SOURCES[source] ? t(SOURCES[source]) : "";
}

// One reading syllable over each Han character when they pair up (垃ㄌㄜˋ 圾ㄙㄜˋ), else the
// whole reading over the whole word (YouBike, NT$1,200).
function rubyOf(text, reading) {
  const chars = [...text];
  const syllables = reading.split(/\s+/);
  if (chars.length === syllables.length && chars.every(isHan)) {
    return el("ruby", {}, ...chars.flatMap((c, i) => [c, el("rt", { textContent: syllables[i] })]));
  }
  return el("ruby", {}, text, el("rt", { textContent: reading }));
}

function wordNode(word, alphabet, pick) {
  const reading = (alphabet === "bopomofo" ? word.bopomofo : word.pinyin) || word.reading || "";
  if (!reading || word.source === "other") return document.createTextNode(word.text);
  return el("button", {
    type: "button",
    className: marked(word.source) ? "word marked" : "word",
    title: sourceTitle(word.source),
    onclick: () => pick(word),
    dataset: { source: word.source, bopomofo: word.bopomofo || "", pinyin: word.pinyin || "", reading: word.reading || "" },
  }, rubyOf(word.text, reading));
}

// The turn's own text, with each word the answer names in its place: the user's characters,
// never the text as normalised or converted for G2P. Offsets count code points, as Python does.
function rubyLine(text, words, alphabet, pick) {
  const chars = [...text];
  const nodes = [];
  let at = 0;
  for (const word of words) {
    if (word.start > at) nodes.push(chars.slice(at, word.start).join(""));
    nodes.push(wordNode(word, alphabet, pick));
    at = Math.max(at, word.end);
  }
  if (at < chars.length) nodes.push(chars.slice(at).join(""));
  return nodes;
}

async function ask(api, body) {
  return api("/pronunciations", { method: "POST", body: JSON.stringify(body) });
}

// The same text as the other reading standard reads it, for the editor's choices: asked once per
// answer, when a word is first clicked. Only Mandarin has a reading standard.
const alternatives = new WeakMap();
function otherStandard(api, answer) {
  if (!answer?.reading) return null;
  if (!alternatives.has(answer)) {
    const standard = answer.reading === "taiwan" ? "mainland" : "taiwan";
    const words = ask(api, { ...answer.asked, reading: standard }).then((r) => ({ standard, words: r.words }));
    alternatives.set(answer, words.catch(() => null)); // no choices then, the typing still works
  }
  return alternatives.get(answer);
}

// One composer's previews. `api` is the app's; `store` the lexicons (lexicon-api.js); `chosen()`
// the job's lexicons in order, and `choose(name)` puts one first (a fix must win over the rest).
export function pronunciations({ api, store, chosen, choose }) {
  const previews = new Set(); // what is on screen, to redraw or read again
  const opened = new WeakMap(); // turn → open, across re-renders of the turn list
  let alphabet = localStorage.getItem(SHOWN) || (locale === "zh-TW" ? "bopomofo" : "pinyin");
  const live = () => {
    for (const p of previews) if (!p.box.isConnected) previews.delete(p); // a re-rendered turn's old box
    return [...previews];
  };

  const reloadOpen = () => Promise.all(live().filter((p) => !p.box.hidden).map((p) => p.load()));
  async function saved(name, entry, language) {
    await store.saveEntry(name, entry, { language });
    choose(name);
    await reloadOpen();
  }

  // The button for a turn's row and the preview box above it. `text()` and `wish()` read the
  // turn as it is now; a change to any of `inputs` reads it again while the box is open.
  function forTurn({ key, text, wish, inputs }) {
    let asked = 0;
    let answer = null;
    let typing = null;
    const line = el("p", { className: "ruby-line", dataset: { verbatim: "" } });
    const error = el("p", { className: "error", role: "alert" });
    const switcher = el("button", { type: "button", className: "link alphabet" });
    const fix = fixForm({ lexiconNames: async () => (await store.list()).map((l) => l.name), save: (name, entry) => saved(name, entry, lexiconLanguage(answer)) });
    const box = el("div", { className: "pronunciation", hidden: true, dataset: { state: "idle" } },
      el("div", { className: "pron-bar" }, el("span", { className: "hint", textContent: t("pron.clickHint") }), switcher),
      line, fix.form, error);
    const button = el("button", { type: "button", className: "pron-toggle", textContent: t("pron.show"), ariaExpanded: "false" });
    const render = () => {
      switcher.textContent = t(alphabet === "bopomofo" ? "pron.showPinyin" : "pron.showBopomofo");
      if (!answer) return;
      line.lang = answer.language || "zh-TW";
      line.replaceChildren(...rubyLine(answer.text, answer.words, alphabet, (word) => fix.open(word, alphabet, { standard: answer.reading, alternative: otherStandard(api, answer) })));
    };
    const load = async () => {
      const mine = ++asked;
      const said = text();
      error.replaceChildren();
      if (!said.trim()) {
        answer = null;
        line.replaceChildren(t("pron.empty"));
        box.dataset.state = "ready";
        return;
      }
      box.dataset.state = "loading";
      try {
        const lexicons = chosen();
        const body = { text: said, ...wish(), ...(lexicons.length ? { lexicons } : {}) };
        const result = await ask(api, body);
        if (mine !== asked) return; // a newer question is on its way
        answer = { ...result, text: said, asked: body };
        render();
        box.dataset.state = "ready";
      } catch (err) {
        if (mine !== asked) return;
        error.replaceChildren(...errorNodes(err));
        box.dataset.state = "error";
      }
    };
    const show = (open) => {
      box.hidden = !open;
      opened.set(key, open);
      button.ariaExpanded = String(open);
      button.textContent = t(open ? "pron.hide" : "pron.show");
      if (open) load();
    };
    button.onclick = () => show(box.hidden);
    switcher.onclick = () => {
      alphabet = alphabet === "bopomofo" ? "pinyin" : "bopomofo";
      localStorage.setItem(SHOWN, alphabet);
      for (const p of live()) p.render();
    };
    for (const input of inputs) {
      input.addEventListener(input.tagName === "SELECT" ? "change" : "input", () => {
        if (box.hidden) return;
        clearTimeout(typing);
        typing = setTimeout(load, 600); // read again once the typing pauses
      });
    }
    previews.add({ box, load, render });
    render();
    if (opened.get(key)) show(true);
    return { button, box };
  }

  // `reloadOpen()`: the job's lexicons changed, every open preview reads its text again.
  return { forTurn, reloadOpen };
}
