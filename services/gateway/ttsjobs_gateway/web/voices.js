// @ts-check
// A speaker's voice: the picker (voices grouped by language, named in the UI's language), the
// "cast a voice for me" wish, and the voice a new speaker starts with.
import { el } from "./dom.js";
import { languageName, locale, t } from "./i18n.js";

/** @typedef {import("ttsjobs-api").components["schemas"]} Schemas */
/** @typedef {Schemas["VoiceInfo"]} VoiceInfo  a voice as the catalogue (GET /voices) lists it */
/** @typedef {Schemas["ProviderCatalogue"]} ProviderCatalogue */
/** @typedef {Schemas["VoiceAssignment"]} VoiceAssignment  a speaker's voice, or its wish, as a request sends it */
/** @typedef {Pick<VoiceInfo, "id" | "name"> & Partial<VoiceInfo>} ShownVoice  the catalogue's, or one it does not list: its id for a name */
/**
 * A speaker as the composer edits it. `voice`: a voice id, CAST (cast from the wish) or null (none
 * yet: the picker gives it one); "" for a language, gender or reading standard not asked for.
 * @typedef {{ name: string, voice: string | null, language: string, gender: Schemas["Gender"] | "",
 *   speed: number, reading: Schemas["Reading"] | "" }} Speaker
 */

export const CAST = ""; // the voice picker's "cast a voice for me"

/** @param {string} name @param {VoiceAssignment} a @returns {Speaker} */
export function speakerFrom(name, a) {
  // No voice and no wish: null, so that the picker gives the speaker a voice of its own.
  return { name, voice: a.voice ?? (a.language || a.gender ? CAST : null), language: a.language || "", gender: a.gender || "", speed: a.speed ?? 1, reading: a.reading || "" };
}

/** A speaker as a request names it: its voice, else its wish. @param {Speaker} s @returns {VoiceAssignment} */
export function assignment(s) {
  const reading = s.reading ? { reading: s.reading } : {}; // else the server's default
  if (s.voice !== CAST) return { voice: s.voice, speed: s.speed, ...reading };
  /** @type {VoiceAssignment} */
  const wish = { speed: s.speed, ...reading };
  if (s.language) wish.language = s.language;
  if (s.gender) wish.gender = s.gender;
  return wish;
}

// espeak names Mandarin "cmn"; for "does this voice speak the UI's language" it is Chinese.
/** @param {string} tag */
const baseLanguage = (tag) => tag.toLowerCase().split("-")[0].replace(/^cmn$/, "zh");
/** @param {ShownVoice} v */
export const speaksMandarin = (v) => baseLanguage(v.language || "") === "zh";
/** @param {VoiceInfo} v */
const romanised = (v) => /-latn/i.test(v.language); // pinyin, jyutping: not for Han text

// A new speaker's voice: one no other speaker has, in the UI's language when the provider
// speaks it (else its first voice's), of the gender the dialogue has fewer of.
/** @param {VoiceInfo[]} voices @param {Speaker[]} others @returns {string} */
export function pickVoice(voices, others) {
  const taken = others.map((o) => o.voice);
  const byGender = (g) => others.filter((o) => voices.find((v) => v.id === o.voice)?.gender === g).length;
  const wanted = baseLanguage(locale);
  const language = voices.some((v) => baseLanguage(v.language) === wanted) ? wanted : baseLanguage(voices[0]?.language || "");
  let free = voices.filter((v) => !taken.includes(v.id) && baseLanguage(v.language) === language);
  if (free.some((v) => !romanised(v))) free = free.filter((v) => !romanised(v));
  free.sort((a, b) => byGender(a.gender) - byGender(b.gender));
  return (free[0] || voices[0])?.id || "";
}

/** @param {string} gender */
const genderName = (gender) => (["female", "male"].includes(gender) ? t(`gender.${gender}`) : gender);
/** @param {string} tag */
const languageLabel = (tag) => t("voice.languageGroup", { name: languageName(tag), tag });
// The catalogue's own words for the accent ("普通話（中國大陸口音）") when it has them: a
// language name alone would not say that a Mandarin voice is not Taiwan's.
/** @param {VoiceInfo} v */
const accentLabel = (v) => (v.accent?.[locale] ? t("voice.accentGroup", { accent: v.accent[locale], tag: v.language }) : languageLabel(v.language));

// A voice as people read it: its name in the UI's language, and its gender ("曉曉・女聲").
/** @param {ShownVoice} v */
export function voiceLabel(v) {
  const name = v.names?.[locale] || v.name;
  return v.gender ? t("voice.option", { name, gender: genderName(v.gender) }) : name;
}

// The voice with its accent, for where only one is shown ("曉曉・女聲・普通話（中國大陸口音）").
/** @param {ShownVoice} v */
export function voiceWithAccent(v) {
  return v.accent?.[locale] ? t("voice.withAccent", { voice: voiceLabel(v), accent: v.accent[locale] }) : voiceLabel(v);
}

// The UI's own language first (繁體中文: the Mandarin voices), the rest as the catalogue lists them.
/** @param {VoiceInfo[]} voices */
function byUiLanguage(voices) {
  const wanted = baseLanguage(locale);
  return [...voices.filter((v) => baseLanguage(v.language) === wanted), ...voices.filter((v) => baseLanguage(v.language) !== wanted)];
}

// Voices grouped by language, each with its gender; "cast a voice for me" comes first.
/** @param {VoiceInfo[]} voices @param {Speaker} speaker @param {string} name @param {() => void} changed */
export function voicePicker(voices, speaker, name, changed) {
  /** @type {Map<string, VoiceInfo[]>} */
  const groups = new Map();
  for (const v of byUiLanguage(voices)) groups.set(v.language, [...(groups.get(v.language) || []), v]);
  /** @param {VoiceInfo} v */
  const option = (v) => el("option", { value: v.id, textContent: voiceLabel(v) });
  const select = el("select", { name, onchange: (e) => { speaker.voice = /** @type {HTMLSelectElement} */ (e.target).value; changed(); } },
    el("option", { value: CAST, textContent: t("speaker.castVoice") }),
    ...[...groups].map(([, members]) => el("optgroup", { label: accentLabel(members[0]) }, ...members.map(option))));
  select.value = speaker.voice;
  return select;
}

/** @param {VoiceInfo[]} voices @param {Speaker} speaker @param {string | number} i */
export function languagePicker(voices, speaker, i) {
  const languages = [...new Set(byUiLanguage(voices).map((v) => v.language))];
  // Taiwan's users write zh-TW; Mandarin voices are cast for it.
  if (languages.some((l) => l.startsWith("zh")) && !languages.includes("zh-TW")) languages.unshift("zh-TW");
  return el("select", { name: `language-${i}`, onchange: (e) => (speaker.language = /** @type {HTMLSelectElement} */ (e.target).value) },
    el("option", { value: "", textContent: t("speaker.languageFromText") }),
    ...languages.map((l) => el("option", { value: l, textContent: languageLabel(l), selected: speaker.language === l })));
}

// How a Mandarin voice reads (Taiwan's standard or the mainland's); by default the server goes
// by the text and the wish (Traditional text or a zh-TW wish: Taiwan). Only for Mandarin.
/** @param {VoiceInfo[]} voices @param {Speaker} speaker @param {string | number} key */
export function readingPicker(voices, speaker, key) {
  const voice = voices.find((v) => v.id === speaker.voice);
  const mandarin = voice ? baseLanguage(voice.language) === "zh" : speaker.voice === CAST;
  if (!mandarin) return null;
  const options = [["", "speaker.readingAuto"], ["taiwan", "speaker.readingTaiwan"], ["mainland", "speaker.readingMainland"]];
  /** @param {Event} e the select's, whose values are the options' ("" or a Reading) */
  const chosen = (e) => /** @type {Speaker["reading"]} */ (/** @type {HTMLSelectElement} */ (e.target).value);
  return el("label", {}, t("speaker.reading"), el("select", { name: `reading-${key}`, onchange: (e) => (speaker.reading = chosen(e)) },
    ...options.map(([value, label]) => el("option", { value, textContent: t(label), selected: speaker.reading === value }))));
}

// An engine in the provider picker: its name and what it is like ("kokoro：神經網路語音，自然").
/** @param {ProviderCatalogue} p */
export function engineLabel(p) {
  const summary = p.summary?.[locale];
  return summary ? t("engine.option", { name: p.provider, summary }) : p.provider;
}
