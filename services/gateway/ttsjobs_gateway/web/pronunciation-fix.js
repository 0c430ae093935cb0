// The click-to-fix editor under a pronunciation preview: a word's reading typed (Bopomofo,
// pinyin with tone numbers, or other words to say) or picked (the word as the other reading
// standard reads it, when that differs), and the lexicon to keep it in.
import { el } from "./dom.js";
import { t, tNodes } from "./i18n.js";
import { errorNodes } from "./problems.js";
import { NAME_PATTERN, lastUsedLexicon } from "./lexicon-api.js";
import { entryFor, kindOf, numberedPinyin } from "./readings.js";

const STANDARDS = { taiwan: "pron.choiceTaiwan", mainland: "pron.choiceMainland" };
const shownReading = (word, alphabet) => (alphabet === "bopomofo" ? word.bopomofo : numberedPinyin(word.pinyin));

// `open(word, alphabet, { standard, alternative })` shows it for a word; `alternative` is a
// promise of the text as the other standard reads it ({ standard, words }), or null.
export function fixForm({ lexiconNames, save }) {
  let word = null;
  const listId = `lexicon-names-${Math.random().toString(36).slice(2)}`;
  const heading = el("p", { className: "fix-word" });
  const choices = el("div", { className: "choices" });
  const reading = el("input", { name: "reading", required: true, autocomplete: "off", placeholder: t("pron.readingPlaceholder") });
  const kind = el("select", { name: "kind" },
    ...[["pinyin", "pron.kindPinyin"], ["bopomofo", "pron.kindBopomofo"], ["ipa", "pron.kindIpa"], ["alias", "pron.kindAlias"]]
      .map(([value, key]) => el("option", { value, textContent: t(key) })));
  const lexicon = el("input", { name: "lexicon", required: true, autocomplete: "off", pattern: NAME_PATTERN, maxLength: 64 });
  lexicon.setAttribute("list", listId); // a read-only property: only the attribute sets it
  const names = el("datalist", { id: listId });
  const error = el("p", { className: "error", role: "alert" });
  const submit = el("button", { type: "submit", className: "primary", textContent: t("pron.save") });
  const form = el("form", { className: "fix", hidden: true },
    heading,
    choices,
    el("div", { className: "row" },
      el("label", {}, t("pron.reading"), reading),
      el("label", {}, t("pron.kind"), kind),
      el("label", {}, t("pron.lexicon"), lexicon, names)),
    el("p", { className: "hint", textContent: t("pron.fixHint") }),
    error,
    el("div", { className: "actions" }, submit,
      el("button", { type: "button", textContent: t("pron.cancel"), onclick: () => (form.hidden = true) })));
  form.onkeydown = (e) => { if (e.key === "Escape") form.hidden = true; };
  // The kind follows what is typed until the person picks one.
  reading.oninput = () => { if (!kind.dataset.chosen) kind.value = kindOf(reading.value); };
  kind.onchange = () => (kind.dataset.chosen = "yes");
  form.onsubmit = async (event) => {
    event.preventDefault();
    error.replaceChildren();
    submit.disabled = true;
    try {
      await save(lexicon.value.trim(), entryFor(word.text, reading.value, kind.value));
      form.hidden = true;
    } catch (err) {
      error.replaceChildren(...errorNodes(err));
    } finally {
      submit.disabled = false;
    }
  };
  const pick = (value) => {
    reading.value = value;
    kind.value = kindOf(value);
    delete kind.dataset.chosen;
  };
  // The word's reading now and as the other standard has it, as buttons that fill the field.
  const offer = async (picked, alphabet, { standard, alternative }) => {
    choices.replaceChildren();
    const other = await alternative;
    const twin = other?.words.find((w) => w.start === picked.start && w.end === picked.end);
    if (word !== picked || !twin?.pinyin || twin.pinyin === picked.pinyin) return;
    choices.replaceChildren(...[[picked, STANDARDS[standard]], [twin, STANDARDS[other.standard]]].map(([w, label]) => {
      const value = shownReading(w, alphabet);
      return el("button", { type: "button", className: "choice", dataset: { reading: value }, onclick: () => pick(value) },
        el("span", { textContent: value, dataset: { verbatim: "" } }), " ", t(label));
    }));
  };
  const open = async (picked, alphabet, others = {}) => {
    word = picked;
    delete form.dataset.ready; // set again once the choices and the lexicons' names are in
    const shown = el("strong", { textContent: picked.text, lang: "zh-TW", dataset: { verbatim: "" } });
    heading.replaceChildren(...tNodes("pron.fixHeading", { word: shown }));
    delete kind.dataset.chosen;
    if (!others.standard) { // not Mandarin: the reading is IPA, to edit as it is
      reading.value = picked.reading || "";
      kind.value = "ipa";
      kind.dataset.chosen = "yes"; // IPA cannot be told from an alias by its letters
    } else {
      reading.value = picked.source === "latin" ? "" : shownReading(picked, alphabet) || "";
      kind.value = reading.value ? kindOf(reading.value) : "alias";
    }
    lexicon.value = lastUsedLexicon();
    error.replaceChildren();
    form.hidden = false;
    reading.focus();
    const [known] = await Promise.all([lexiconNames().catch(() => []), offer(picked, alphabet, others)]);
    names.replaceChildren(...known.map((name) => el("option", { value: name })));
    if (word === picked) form.dataset.ready = "yes";
  };
  return { form, open };
}
