// @ts-check
// The composer: a dialogue (speakers, turns, a pasted script) or a long text, sent as a job.
import { duration, number, t, translate } from "./i18n.js";
import { el, typed } from "./dom.js";
import { api, createJob, lexicons, request, showError } from "./api.js";
import { remember } from "./notify.js";
import { CAST, assignment, engineLabel, languagePicker, pickVoice, readingPicker, speakerFrom, speaksMandarin, voiceLabel, voicePicker } from "./voices.js";
import { castLine, castWatcher, showNotes } from "./casting.js";
import { playPreview } from "./voice-preview.js";
import { AppError } from "./problems.js";
import { lexiconChoice } from "./lexicon-choice.js";
import { pronunciations } from "./pronunciation.js";

/** @typedef {import("ttsjobs-api").components["schemas"]} Schemas */
/** @typedef {Schemas["MultiRoleRequest"]} MultiRoleRequest  a dialogue's body: POST /jobs/tts/multi-role, and /casting */
/** @typedef {Schemas["SingleRequest"]} SingleRequest  a long text's: POST /jobs/tts, and /casting/tts */
/** @typedef {Schemas["ProviderCatalogue"]} ProviderCatalogue */
/** @typedef {Schemas["VoiceAssignment"]} VoiceAssignment */
/** @typedef {Schemas["Turn"]} Turn */
/** @typedef {import("./voices.js").Speaker} Speaker */
/** @typedef {import("./voices.js").ShownVoice} ShownVoice */
/** @typedef {Schemas["CastingAnswer"] & { asked: string }} CastAnswer  casting.js's: with the path it answers */
/** @typedef {{ speakers: Speaker[], turns: Turn[] }} Dialogue  the dialogue as the editor holds it */
/**
 * What the composer opens with (sessionStorage DRAFT): a dialogue's request (saved on leaving the
 * page, or a dialogue job's input: its page's Edit) or a long text job's, with the mode and the
 * long text's own request (`single`) beside it.
 * @typedef {Partial<MultiRoleRequest> & { mode?: "dialogue" | "text", single?: SingleRequest }} Draft
 */
/**
 * The composer's form, with the controls it reads by name.
 * @typedef {HTMLFormElement & { elements: HTMLFormControlsCollection & { title: HTMLInputElement,
 *   output_format: HTMLSelectElement, bitrate_kbps: HTMLSelectElement, mastering: HTMLSelectElement,
 *   stems: HTMLInputElement, mode: RadioNodeList } }} ComposeForm
 */

const view = document.getElementById("view");
/** @type {ProviderCatalogue[]} */
let catalogue = [];
// Set while composing: keeps the dialogue across a change of language.
/** @type {(() => void) | null} */
let saveDraft = null;
export const draftSaver = { save: () => saveDraft?.(), clear: () => { saveDraft = null; } };
export const DRAFT = "ttsjobs.draft";

/** What the control an event came from holds (an input, a select, a textarea). @param {Event} e */
const valueOf = (e) => /** @type {HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement} */ (e.target).value;

// The sample dialogue a new page starts with, in the UI's language.
/** @returns {Dialogue} */
function sampleDialogue() {
  const [first, second] = [t("compose.firstSpeaker"), t("compose.secondSpeaker")];
  return {
    speakers: [speakerFrom(first, {}), speakerFrom(second, {})],
    turns: [{ speaker: first, text: t("compose.firstLine", { other: second }) }, { speaker: second, text: t("compose.secondLine") }],
  };
}

/** A turn's new text. Its markup's places (SSML's say-as, sub, phoneme and mark) are code
 * points into the old text, so they go with it rather than land on other words.
 * @param {Turn} turn @param {string} text */
function edited(turn, text) {
  turn.text = text;
  delete turn.spoken_as;
  delete turn.marks;
}

/** @param {Draft} draft @returns {Dialogue} */
function dialogueFrom(draft) {
  // Every speaker the draft names, in order, whether or not it has a turn yet.
  const names = [...Object.keys(draft.voice_assignments || {}), ...draft.turns.map((turn) => turn.speaker)];
  return {
    speakers: [...new Set(names)].map((name) => speakerFrom(name, draft.voice_assignments?.[name] || {})),
    // Whole turns: a job's Edit or a change of language keeps each turn's pause, chapter and
    // delivery, which the editor shows or carries but does not edit.
    turns: draft.turns.map((turn) => ({ ...turn })),
  };
}

export async function compose() {
  // The catalogue first: the new form replaces the old one only once it can be filled at once,
  // so a draft carried across a change of language is never shown blank.
  catalogue = /** @type {Schemas["VoiceCatalogue"]} */ (await api("/voices")).providers;
  view.replaceChildren(/** @type {HTMLTemplateElement} */ (document.getElementById("compose-template")).content.cloneNode(true));
  translate(view);
  /** @type {Draft | null} */
  const draft = JSON.parse(sessionStorage.getItem(DRAFT) || "null");
  sessionStorage.removeItem(DRAFT);
  const form = /** @type {ComposeForm} */ (document.getElementById("compose"));
  const fields = form.elements;
  const providerSelect = /** @type {HTMLSelectElement} */ (document.getElementById("provider"));
  for (const p of catalogue) providerSelect.append(el("option", { value: p.provider, textContent: engineLabel(p) }));
  const state = draft?.turns?.length ? dialogueFrom(draft) : sampleDialogue();
  // The long text's one voice, a speaker like the dialogue's (the same picker and wish).
  const reader = speakerFrom("text", draft?.single || {});
  const longText = /** @type {HTMLTextAreaElement} */ (document.getElementById("long-text"));
  longText.value = draft?.single?.text || "";
  if (draft) {
    providerSelect.value = draft.provider;
    fields.title.value = draft.title || "";
    fields.output_format.value = draft.output_format || "wav";
    fields.bitrate_kbps.value = draft.bitrate_kbps ? String(draft.bitrate_kbps) : "";
    fields.mastering.value = draft.mastering || "none";
    fields.stems.checked = Boolean(draft.stems);
  } else {
    // The best installed provider first: the same order the gateway casts in.
    providerSelect.value = ["kokoro", "piper", "espeak"].find((name) => catalogue.some((p) => p.provider === name)) || catalogue[0]?.provider;
  }
  const mode = () => /** @type {"dialogue" | "text"} */ (fields.mode.value); // the radios' values
  /** @type {ReturnType<typeof castWatcher> | null} */
  let caster = null; // asks the server how the request would be cast; set once the form is built
  /** @type {CastAnswer | null} */
  let lastCast = null; // its latest answer, shown again whenever the speakers are drawn again
  /** @param {string} provider @param {string} id @returns {ShownVoice} */
  const voiceOf = (provider, id) => catalogue.find((p) => p.provider === provider)?.voices.find((v) => v.id === id.split("+")[0]) || { id, name: id };
  // A speaker's voice as cast: a long text's one speaker, or the dialogue's speaker of that name.
  /** @param {CastAnswer | null} answer @param {Speaker} s @returns {VoiceAssignment | null} */
  const castOf = (answer, s) => {
    if (!answer || (s === reader) !== answer.asked.endsWith("/tts")) return null; // the other mode's
    return s === reader ? Object.values(answer.voice_assignments)[0] : answer.voice_assignments[s.name];
  };
  // Each speaker left to casting shows the voice it would get; the notes and the estimate below.
  /** @param {CastAnswer | null} answer */
  function showCast(answer) {
    const rows = /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll("#speakers .speaker"));
    for (const row of [...rows, document.getElementById("text-voice")]) {
      const s = row.id === "text-voice" ? reader : state.speakers.find((o) => o.name === row.dataset.speaker);
      const got = s ? castOf(answer, s) : null;
      const output = /** @type {HTMLOutputElement | null} */ (row.querySelector("output.cast"));
      if (!output) continue;
      output.hidden = !(got && s.voice === CAST);
      output.textContent = output.hidden ? "" : castLine(voiceOf(answer.provider, got.voice), got.reading);
      output.dataset.voice = got?.voice || "";
      // A reading standard is for Mandarin: once casting has said the voice is not, it goes.
      const reading = row.querySelector("select[name^=reading-]")?.closest("label");
      if (reading) reading.hidden = Boolean(got && s.voice === CAST && !speaksMandarin(voiceOf(answer.provider, got.voice)));
    }
    showNotes(answer, (id) => voiceLabel(voiceOf(answer.provider, id)));
  }
  // A change of the job's lexicons shows in the open previews (pronounce is there by then).
  const choice = lexiconChoice(lexicons, document.getElementById("lexicon-options"), draft?.lexicons || [], () => pronounce.reloadOpen());
  const pronounce = pronunciations({ api, store: lexicons, chosen: choice.chosen, choose: choice.choose });
  // A voice id is the chosen provider's (two providers may have one of the same name).
  /** @param {Speaker | undefined} s */
  const wishOf = (s) => { const wish = previewWish(s); return wish.voice ? { ...wish, provider: providerSelect.value } : wish; };
  const voices = () => catalogue.find((p) => p.provider === providerSelect.value)?.voices || [];
  /** @param {Speaker} speaker */
  const distinctVoice = (speaker) => pickVoice(voices(), state.speakers.filter((o) => o !== speaker));
  // No voice yet, or one the chosen provider does not have (the cast wish is always kept).
  /** @param {Speaker} s */
  const needsVoice = (s) => s.voice === null || (s.voice !== CAST && !voices().some((v) => v.id === s.voice));
  // A speaker's voice, its wish when cast, its speed and a preview; `key` names the fields.
  /** @param {Speaker} s @param {string | number} key @param {() => void} rerender */
  const voiceControls = (s, key, rerender) => {
    const voice = voicePicker(voices(), s, `voice-${key}`, rerender);
    const genders = [["", t("gender.any")], ["female", t("gender.female")], ["male", t("gender.male")]];
    const wish = el("span", { className: "wish", hidden: s.voice !== CAST },
      el("label", {}, t("speaker.language"), languagePicker(voices(), s, key)),
      el("label", {}, t("speaker.gender"), el("select", { name: `gender-${key}`, onchange: (e) => (s.gender = /** @type {Speaker["gender"]} */ (valueOf(e))) }, // "", female or male
        ...genders.map(([value, text]) => el("option", { value, textContent: text, selected: s.gender === value })))));
    const preview = el("button", { type: "button", textContent: t("speaker.preview"), className: "preview" });
    preview.onclick = () => previewVoice(s, preview);
    return [
      el("label", {}, t("speaker.voice"), voice),
      // The voice casting gives this speaker, filled in by showCast.
      el("output", { className: "cast", name: `cast-${key}`, hidden: true }),
      wish,
      readingPicker(voices(), s, key),
      el("label", {}, t("speaker.speed"), el("input", { type: "number", name: `speed-${key}`, min: "0.25", max: "4", step: "0.05", value: String(s.speed), onchange: (e) => (s.speed = Number(valueOf(e))) })),
      preview,
    ];
  };
  const renderSpeakers = () => {
    const box = document.getElementById("speakers");
    for (const s of state.speakers) {
      if (needsVoice(s)) s.voice = distinctVoice(s);
    }
    box.replaceChildren(...state.speakers.map((s, i) => {
      const controls = voiceControls(s, i, () => renderSpeakers());
      const remove = el("button", { type: "button", className: "remove", textContent: t("speaker.remove"), onclick: () => { state.speakers.splice(i, 1); renderSpeakers(); renderTurns(); } });
      // 試聽 and 移除 in one group: a narrow row wraps them together, never 移除 alone.
      return el("div", { className: "speaker", dataset: { speaker: s.name } },
        el("label", {}, t("speaker.name"), el("input", { value: s.name, name: `speaker-${i}`, onchange: (e) => { s.name = valueOf(e); renderTurns(); } })),
        ...controls.slice(0, -1), el("span", { className: "speaker-actions" }, controls.at(-1), remove));
    }));
    showCast(lastCast);
    caster?.changed();
  };
  const renderTurns = () => {
    const list = document.getElementById("turns");
    list.replaceChildren(...state.turns.map((turn, i) => {
      const n = number(i + 1);
      const who = el("select", { name: `turn-speaker-${i}`, ariaLabel: t("turn.speaker", { n }), onchange: (e) => (turn.speaker = valueOf(e)) },
        ...state.speakers.map((s) => typed("option", s.name, { value: s.name })));
      who.value = turn.speaker;
      /** @param {number} delta */
      const move = (delta) => { const j = i + delta; if (j < 0 || j >= state.turns.length) return; [state.turns[i], state.turns[j]] = [state.turns[j], state.turns[i]]; renderTurns(); };
      // A pause from a script's [pause 2s] line rides on the turn before it.
      const pause = turn.pause_after_ms != null ? el("span", { className: "pause", textContent: t("turn.pause", { duration: duration(turn.pause_after_ms) }) }) : null;
      const text = el("textarea", { value: turn.text, name: `turn-text-${i}`, ariaLabel: t("turn.text", { n }), oninput: (e) => edited(turn, valueOf(e)) });
      const speaker = () => state.speakers.find((s) => s.name === turn.speaker);
      const preview = pronounce.forTurn({ key: turn, text: () => turn.text, wish: () => wishOf(speaker()), inputs: [who, text] });
      // The turn's buttons in one group, so that a narrow screen wraps them together.
      return el("li", { className: "turn" }, preview.box, who, text,
        pause,
        el("span", { className: "turn-actions" },
          preview.button,
          el("button", { type: "button", textContent: "↑", title: t("turn.moveUp"), ariaLabel: t("turn.moveUp"), onclick: () => move(-1) }),
          el("button", { type: "button", textContent: "↓", title: t("turn.moveDown"), ariaLabel: t("turn.moveDown"), onclick: () => move(1) }),
          el("button", { type: "button", textContent: t("turn.remove"), onclick: () => { state.turns.splice(i, 1); renderTurns(); } })));
    }));
    caster?.changed();
  };
  const renderReader = () => {
    if (needsVoice(reader)) reader.voice = pickVoice(voices(), []);
    document.getElementById("text-voice").replaceChildren(...voiceControls(reader, "text", () => renderReader()));
    showCast(lastCast);
  };
  const countText = () => {
    document.getElementById("text-count").textContent = t("text.count", { n: number([...longText.value].length) });
  };
  const showMode = () => {
    document.getElementById("dialogue-editor").hidden = mode() !== "dialogue";
    document.getElementById("text-editor").hidden = mode() !== "text";
    document.getElementById("stems-choice").hidden = mode() !== "dialogue"; // a long text has one reader
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
      const text = /** @type {HTMLTextAreaElement} */ (document.getElementById("script-text")).value;
      /** @type {Schemas["ParsedScript"]} */
      const script = await api("/scripts/parse", { method: "POST", body: text, contentType: "text/plain; charset=utf-8" });
      Object.assign(state, dialogueOfScript(script, state.speakers));
      if (script.title && !fields.title.value) fields.title.value = script.title; // its "# 晨間節目" line
      renderSpeakers();
      renderTurns();
      /** @type {HTMLDetailsElement} */ (document.getElementById("script-box")).open = false;
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
  for (const radio of fields.mode) radio.onchange = showMode;
  fields.mode.value = draft?.mode === "text" ? "text" : "dialogue";
  renderSpeakers();
  renderTurns();
  renderReader();
  countText();
  showMode();
  // A bitrate only for the formats coded at one: the API refuses it on the others.
  const bitrateFits = () => { fields.bitrate_kbps.disabled = !["mp3", "opus", "m4a"].includes(fields.output_format.value); };
  fields.output_format.addEventListener("change", bitrateFits);
  bitrateFits();
  // What both kinds of request take alike. The selects' values are the contract's: their options
  // are OutputFormat's and Mastering's.
  /** @returns {Pick<MultiRoleRequest & SingleRequest, "provider" | "title" | "output_format" | "mastering" | "bitrate_kbps" | "lexicons">} */
  const common = () => ({
    provider: providerSelect.value, title: fields.title.value || null,
    output_format: /** @type {Schemas["OutputFormat"]} */ (fields.output_format.value),
    mastering: /** @type {Schemas["Mastering"]} */ (fields.mastering.value),
    // Only lossy formats but Vorbis take a bitrate; the others leave the choice off.
    ...(!fields.bitrate_kbps.disabled && fields.bitrate_kbps.value ? { bitrate_kbps: Number(fields.bitrate_kbps.value) } : {}),
    ...(choice.chosen().length ? { lexicons: choice.chosen() } : {}),
  });
  /** Each speaker's voice or wish, by name. @param {Speaker[]} speakers */
  const assignments = (speakers) => Object.fromEntries(speakers.map((s) => /** @type {[string, VoiceAssignment]} */ ([s.name, assignment(s)])));
  /** @returns {MultiRoleRequest} */
  const dialogueRequest = () => ({
    ...common(),
    ...(fields.stems.checked ? { stems: true } : {}),
    turns: state.turns,
    // Only speakers that have a turn: the API refuses a voice for a speaker who never speaks.
    voice_assignments: assignments(state.speakers.filter((s) => state.turns.some((turn) => turn.speaker === s.name))),
  });
  /** @returns {SingleRequest} */
  const textRequest = () => ({ ...common(), text: longText.value, ...assignment(reader) });
  /** @returns {[string, MultiRoleRequest | SingleRequest]} */
  const question = () => (mode() === "text" ? ["/casting/tts", textRequest()] : ["/casting", dialogueRequest()]);
  caster = castWatcher({ api, form, question, shown: (answer) => { lastCast = answer; showCast(answer); } });
  for (const kind of ["input", "change"]) form.addEventListener(kind, (e) => { if (/** @type {HTMLElement} */ (e.target).id !== "script-text") caster.changed(); });
  caster.changed();
  // 試聽 plays the voice the job would use: a cast speaker's from casting, with its reading.
  /** @param {Speaker} s @param {HTMLButtonElement} button */
  const previewVoice = async (s, button) => {
    const error = document.getElementById("compose-error");
    button.disabled = true;
    error.replaceChildren();
    try {
      const cast = castOf(await caster.now(), s);
      const voice = s.voice === CAST ? cast?.voice : s.voice;
      if (!voice) throw new AppError("preview.noVoice");
      /** @type {Schemas["VoicePreviewRequest"]} */
      const sample = { voice, provider: providerSelect.value, speed: s.speed, reading: s.reading || cast?.reading || null };
      await playPreview(request, sample);
    } catch (err) {
      showError(error, err);
    } finally {
      button.disabled = false;
    }
  };
  saveDraft = () => {
    /** @type {Draft} */
    const all = { ...dialogueRequest(), voice_assignments: assignments(state.speakers), mode: mode(), single: textRequest() };
    sessionStorage.setItem(DRAFT, JSON.stringify(all));
  };
  form.onsubmit = async (event) => {
    event.preventDefault();
    const error = document.getElementById("compose-error");
    const button = /** @type {HTMLButtonElement} */ (document.getElementById("submit"));
    error.replaceChildren();
    // Pending while it is sent, and sent again (createJob): one click, one job.
    button.disabled = true;
    form.setAttribute("aria-busy", "true");
    try {
      if ("Notification" in window && Notification.permission === "default") Notification.requestPermission();
      const [path, body] = mode() === "text" ? ["/jobs/tts", textRequest()] : ["/jobs/tts/multi-role", dialogueRequest()];
      const job = await createJob(path, body);
      remember(job.id);
      document.getElementById("submitted-id").textContent = job.id;
      /** @type {HTMLAnchorElement} */ (document.getElementById("submitted-link")).href = `#/jobs/${job.id}`;
      document.getElementById("submitted").hidden = false;
    } catch (err) {
      showError(error, err);
    } finally {
      button.disabled = false;
      form.removeAttribute("aria-busy");
    }
  };
}

// What the pronunciation preview reads a turn with: its speaker's voice, else the wish's
// language; with neither, the server goes by the text.
/** @param {Speaker | undefined} speaker @returns {Pick<Schemas["PronunciationRequest"], "voice" | "language" | "reading">} */
function previewWish(speaker) {
  if (!speaker) return {};
  const reading = speaker.reading ? { reading: speaker.reading } : {};
  if (speaker.voice && speaker.voice !== CAST) return { voice: speaker.voice, ...reading };
  return { ...(speaker.language ? { language: speaker.language } : {}), ...reading };
}

// A pasted script, read by the server (the parser the API and the CLI use), as the editor's
// dialogue. A speaker the editor already has keeps the voice picked for it; a new one takes the
// voice its "# voice" line names, or is cast from the language of what it says.
/** @param {Schemas["ParsedScript"]} script @param {Speaker[]} speakers @returns {Dialogue} */
function dialogueOfScript(script, speakers) {
  const known = new Map(speakers.map((s) => [s.name, s]));
  const names = [...new Set(script.turns.map((turn) => turn.speaker))];
  return {
    speakers: names.map((name) => known.get(name) ||
      (script.voices[name] ? speakerFrom(name, { voice: script.voices[name] }) : { ...speakerFrom(name, {}), voice: CAST })),
    turns: script.turns.map((turn) => ({ ...turn })),
  };
}
