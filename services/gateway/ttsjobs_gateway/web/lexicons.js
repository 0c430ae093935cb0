// @ts-check
// The lexicons page (#/lexicons, and #/lexicons/<name> with that lexicon open): the user's
// lexicons listed, a PLS or JSON file uploaded, a new one made, one's entries edited in a table
// and saved (If-Match the ETag it was read with), exported as PLS or JSON, deleted.
import { el } from "./dom.js";
import { dateTime, locale, number, relativeTime, t, translate } from "./i18n.js";
import { errorNodes } from "./problems.js";
import { lexiconBody, nameFromFile } from "./lexicon-api.js";

/** @typedef {import("ttsjobs-api").components["schemas"]} Schemas */
/** @typedef {Schemas["LexiconSummary"]} LexiconSummary  a row of GET /lexicons */
/** @typedef {Schemas["LexiconDocument"]} LexiconDocument  a lexicon as GET answers it */
/**
 * An entry as the table edits it: "" for a field left blank (an alphabet: the lexicon's), which
 * lexiconBody drops before the PUT.
 * @typedef {Omit<Schemas["LexiconEntry"], "alphabet"> & { alphabet?: Schemas["Alphabet"] | "" | null }} EditedEntry
 */
/** @typedef {Omit<LexiconDocument, "entries"> & { entries: EditedEntry[] }} EditedLexicon  what a PUT is made from */
/**
 * What the page uses of lexicon-api.js's store.
 * @typedef {{ list: () => Promise<LexiconSummary[]>,
 *   get: (name: string) => Promise<{ lexicon: LexiconDocument, etag: string | null }>,
 *   put: (name: string, lexicon: EditedLexicon, etag: string | null) => Promise<unknown>,
 *   upload: (name: string, text: string, contentType: string) => Promise<unknown>,
 *   remove: (name: string) => Promise<unknown> }} LexiconStore
 */
/** @typedef {(path: string) => Promise<{ url: string, name?: string }>} FetchFile  the app's keyed download */
/** @typedef {HTMLFormElement & { elements: HTMLFormControlsCollection & { file: HTMLInputElement, name: HTMLInputElement } }} UploadForm */
/** @typedef {HTMLFormElement & { elements: HTMLFormControlsCollection & { name: HTMLInputElement } }} NewForm */
/** @typedef {HTMLFormElement & { elements: HTMLFormControlsCollection & { language: HTMLInputElement, "default-alphabet": HTMLSelectElement } }} EditorForm */

const ALPHABETS = [
  ["ipa", "lexicons.alphabetIpa"], ["x-sampa", "lexicons.alphabetXSampa"], ["pinyin", "lexicons.alphabetPinyin"],
  ["bopomofo", "lexicons.alphabetBopomofo"], ["kokoro", "lexicons.alphabetKokoro"], ["espeak", "lexicons.alphabetEspeak"],
];
/** @param {string} id */
const $ = (id) => document.getElementById(id);
/** @param {HTMLElement} node @param {unknown} error */
const show = (node, error) => node.replaceChildren(...errorNodes(error));
/**
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag @param {string} text
 * @param {Partial<Omit<HTMLElementTagNameMap[K], "dataset" | "style">>} [props]
 */
const typed = (tag, text, props = {}) => el(tag, { ...props, textContent: text, dataset: { verbatim: "" } });

/** @param {string | null | undefined} value @param {{ name: string, blank?: string | null }} options */
function alphabetSelect(value, { name, blank = null }) {
  const select = el("select", { name },
    ...(blank ? [el("option", { value: "", textContent: t(blank) })] : []),
    ...ALPHABETS.map(([v, key]) => el("option", { value: v, textContent: t(key) })));
  select.value = value || "";
  return select;
}

/** @param {number} bytes */
function size(bytes) {
  return new Intl.NumberFormat(locale, { style: "unit", unit: "kilobyte", unitDisplay: "short", maximumFractionDigits: 1 }).format(bytes / 1024);
}

/** @param {string} url @param {string} name */
function save(url, name) {
  const a = el("a", { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
}

// A file uploaded as it is: the server reads PLS or JSON by its Content-Type.
/** @param {File} file @param {string} text */
const contentTypeOf = (file, text) =>
  /\.json$/i.test(file.name) || /^\s*[[{]/.test(text) ? "application/json" : "application/pls+xml";

// `store` is lexicon-api.js's; `fetchFile(path)` the app's keyed download ({ url, name }).
/** @param {{ view: HTMLElement, store: LexiconStore, fetchFile: FetchFile, selected?: string | null }} page */
export async function lexiconsPage({ view, store, fetchFile, selected }) {
  view.replaceChildren(/** @type {HTMLTemplateElement} */ ($("lexicons-template")).content.cloneNode(true));
  translate(view);
  const error = $("lexicons-error");
  const exports = {
    /** @param {string} name */
    async pls(name) {
      const file = await fetchFile(`/api/v1/lexicons/${encodeURIComponent(name)}?format=pls`);
      save(file.url, file.name || `${name}.pls`);
    },
    /** @param {string} name */
    async json(name) {
      const { lexicon } = await store.get(name);
      const blob = new Blob([JSON.stringify(lexiconBody(lexicon), null, 2)], { type: "application/json" });
      save(URL.createObjectURL(blob), `${name}.json`);
    },
  };
  /** @param {() => Promise<void>} action */
  const act = (action) => async () => {
    error.replaceChildren();
    try { await action(); } catch (err) { show(error, err); }
  };
  /** @param {string} name @param {HTMLButtonElement} button */
  const remove = (name, button) => act(async () => {
    if (!button.dataset.armed) { // a second click confirms: no blocking confirm() dialog
      button.dataset.armed = "yes";
      button.textContent = t("lexicons.deleteConfirm");
      return;
    }
    await store.remove(name);
    if (location.hash === `#/lexicons/${name}`) location.hash = "#/lexicons";
    else await load();
  });
  /** @param {LexiconSummary} l */
  const row = (l) => {
    const del = el("button", { type: "button", className: "delete", textContent: t("lexicons.delete") });
    del.onclick = remove(l.name, del);
    /** @param {string} key */
    const labelled = (key) => ({ dataset: { label: t(key) } }); // named at phone width, where the head is hidden
    return el("tr", { dataset: { lexicon: l.name } },
      el("td", {}, typed("a", l.name, { href: `#/lexicons/${l.name}` })),
      el("td", labelled("lexicons.columnLanguage"), l.language ? typed("span", l.language) : "—"),
      el("td", { ...labelled("lexicons.columnEntries"), textContent: number(l.entry_count) }),
      el("td", { ...labelled("lexicons.columnSize"), textContent: size(l.size_bytes) }),
      el("td", labelled("lexicons.columnUpdated"),
        el("time", { dateTime: l.updated_at, title: dateTime(l.updated_at), textContent: relativeTime(l.updated_at) })),
      el("td", { className: "actions" },
        el("button", { type: "button", className: "export-pls", textContent: t("lexicons.exportPls"), onclick: act(() => exports.pls(l.name)) }),
        el("button", { type: "button", className: "export-json", textContent: t("lexicons.exportJson"), onclick: act(() => exports.json(l.name)) }),
        del));
  };
  const load = async () => {
    const lexicons = await store.list();
    $("lexicon-rows").replaceChildren(...lexicons.map(row));
    $("lexicons-empty").hidden = lexicons.length > 0;
  };
  wireUpload(store, error);
  const create = /** @type {NewForm} */ ($("lexicon-new"));
  create.onsubmit = (e) => {
    e.preventDefault();
    act(async () => {
      const name = create.elements.name.value.trim();
      await store.put(name, { language: locale === "zh-TW" ? "zh-TW" : null, alphabet: "pinyin", entries: [] }, null);
      location.hash = `#/lexicons/${name}`;
    })();
  };
  await load();
  if (selected) await editor({ store, name: selected, exports, reload: load });
}

/** @param {LexiconStore} store @param {HTMLElement} error */
function wireUpload(store, error) {
  const form = /** @type {UploadForm} */ ($("lexicon-upload"));
  form.elements.file.onchange = () => {
    const file = form.elements.file.files[0];
    if (file && !form.elements.name.value) form.elements.name.value = nameFromFile(file.name);
  };
  form.onsubmit = async (e) => {
    e.preventDefault();
    error.replaceChildren();
    const file = form.elements.file.files[0];
    const name = form.elements.name.value.trim();
    try {
      const text = await file.text();
      await store.upload(name, text, contentTypeOf(file, text));
      location.hash = `#/lexicons/${name}`;
    } catch (err) {
      show(error, err);
    }
  };
}

// One lexicon's entries as a table of inputs: a grapheme, an alias and/or a phoneme (with its
// alphabet, else the lexicon's). Rows left blank are dropped on save.
/**
 * @param {{ store: LexiconStore, name: string, reload: () => Promise<void>,
 *   exports: Record<"pls" | "json", (name: string) => Promise<void>> }} editing
 */
async function editor({ store, name, exports, reload }) {
  let { lexicon, etag } = await store.get(name);
  const section = $("lexicon-editor");
  const error = $("lexicon-error");
  const form = /** @type {EditorForm} */ ($("lexicon-form"));
  section.hidden = false;
  if (matchMedia("(max-width: 600px)").matches) section.scrollIntoView(); // below the list, on a phone
  $("lexicon-name").replaceChildren(typed("span", name));
  /** @type {EditedEntry[]} */
  let rows = [];
  /** @param {EditedEntry} entry @param {"grapheme" | "alias" | "phoneme"} field @param {string} label */
  const cell = (entry, field, label) => el("td", { dataset: { label: t(label) } },
    el("input", { name: field, value: entry[field] || "", ariaLabel: t(label), autocomplete: "off", oninput: (e) => (entry[field] = /** @type {HTMLInputElement} */ (e.target).value) }));
  const render = () => {
    $("entry-rows").replaceChildren(...rows.map((entry, i) => {
      const alphabet = alphabetSelect(entry.alphabet, { name: "entry-alphabet", blank: "lexicons.alphabetDefault" });
      alphabet.ariaLabel = t("lexicons.columnAlphabet");
      alphabet.onchange = () => (entry.alphabet = /** @type {EditedEntry["alphabet"]} */ (alphabet.value)); // "" or one of ALPHABETS
      return el("tr", { dataset: { grapheme: entry.grapheme || "" } },
        cell(entry, "grapheme", "lexicons.columnGrapheme"),
        cell(entry, "alias", "lexicons.columnAlias"),
        cell(entry, "phoneme", "lexicons.columnPhoneme"),
        el("td", { dataset: { label: t("lexicons.columnAlphabet") } }, alphabet),
        el("td", {}, el("button", { type: "button", textContent: t("lexicons.removeEntry"), onclick: () => { rows.splice(i, 1); render(); } })));
    }));
  };
  const fill = () => {
    form.elements.language.value = lexicon.language || "";
    form.elements["default-alphabet"].replaceWith(alphabetSelect(lexicon.alphabet, { name: "default-alphabet" }));
    rows = lexicon.entries.map((entry) => ({ ...entry }));
    render();
  };
  fill();
  $("add-entry").onclick = () => { rows.push({ grapheme: "", alias: "", phoneme: "", alphabet: "" }); render(); };
  $("lexicon-export-pls").onclick = () => exports.pls(name).catch((err) => show(error, err));
  $("lexicon-export-json").onclick = () => exports.json(name).catch((err) => show(error, err));
  form.onsubmit = async (e) => {
    e.preventDefault();
    error.replaceChildren();
    $("lexicon-saved").hidden = true;
    const entries = rows.filter((r) => r.grapheme || r.alias || r.phoneme);
    try {
      // The default alphabet's select has no blank option: its value is one of ALPHABETS.
      const alphabet = /** @type {Schemas["Alphabet"]} */ (form.elements["default-alphabet"].value);
      await store.put(name, { language: form.elements.language.value.trim(), alphabet, entries }, etag);
      ({ lexicon, etag } = await store.get(name)); // the stored form, and the ETag to write on
      fill();
      $("lexicon-saved").hidden = false;
      await reload();
    } catch (err) {
      show(error, err);
    }
  };
}
