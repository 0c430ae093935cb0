// 調聲: a voice of your own, mixed from two or three Kokoro voices by weight, heard as a preview
// and saved under a name (PUT /api/v1/voices/mine/{name}). A mix is a formula the server reads,
// zf_xiaoxiao(2)+zf_xiaoyi(1); saved voices are in the user's catalogue, so every voice picker
// offers them by name, and a job that uses one stores its formula.
import { api, request, showError } from "./api.js";
import { el, typed } from "./dom.js";
import { t } from "./i18n.js";
import { playPreview } from "./voice-preview.js";
import { voiceLabel } from "./voices.js";

const PARTS = 3;
const STARTING_WEIGHTS = [2, 1, 0]; // the third voice is left out until one is picked

// The formula of the rows that name a voice with a weight above 0; "" when none does.
export function formula(parts) {
  return parts.filter((p) => p.voice && p.weight > 0).map((p) => `${p.voice}(${p.weight})`).join("+");
}

function partRow(index, voices) {
  const voice = el("select", { name: `voice-${index}`, ariaLabel: t("mixer.voice", { n: index + 1 }) },
    ...(index > 0 ? [new Option(t("mixer.none"), "")] : []),
    ...voices.map((v) => new Option(voiceLabel(v), v.id)));
  voice.value = index < 2 ? voices[index]?.id || "" : "";
  const weight = el("input", { type: "number", name: `weight-${index}`, min: "0", max: "100", step: "0.1",
    value: String(STARTING_WEIGHTS[index]), ariaLabel: t("mixer.weight", { n: index + 1 }) });
  const row = el("div", { className: "row mix-part" },
    el("label", {}, el("span", { textContent: t("mixer.voice", { n: index + 1 }) }), voice),
    el("label", {}, el("span", { textContent: t("mixer.weightLabel") }), weight));
  return { row, read: () => ({ voice: voice.value, weight: Number(weight.value) }) };
}

function savedList(saved, { onPreview, onDelete }) {
  if (!saved.length) return el("p", { className: "empty", textContent: t("mixer.empty") });
  return el("ul", { id: "saved-voices" }, ...saved.map((s) => el("li", { dataset: { name: s.name } },
    typed("strong", s.name), " ", typed("code", s.voice), " ",
    el("button", { type: "button", textContent: t("mixer.preview"), onclick: () => onPreview(s.name) }),
    el("button", { type: "button", textContent: t("mixer.delete"), onclick: () => onDelete(s.name) }))));
}

export async function voiceMixer({ view }) {
  const catalogue = await api("/voices?provider=kokoro");
  const voices = (catalogue.providers[0]?.voices || []).filter((v) => !v.formula);
  const card = el("section", { className: "card", id: "voice-mixer" }, el("h1", { textContent: t("mixer.heading") }));
  view.replaceChildren(card);
  if (!voices.length) {
    card.append(el("p", { className: "empty", textContent: t("mixer.noKokoro") }));
    return;
  }
  const parts = Array.from({ length: PARTS }, (_, i) => partRow(i, voices));
  const shown = el("code", { id: "mix-formula" });
  const error = el("p", { className: "error", id: "mix-error", role: "alert" });
  const done = el("p", { className: "saved", id: "mix-saved", hidden: true });
  const name = el("input", { name: "name", id: "mix-name", maxLength: 40, required: true, autocomplete: "off",
    placeholder: t("mixer.namePlaceholder") });
  const mine = el("div", { id: "saved-voices-box" });
  const current = () => formula(parts.map((p) => p.read()));
  const refresh = () => { shown.textContent = current() || t("mixer.pickOne"); };
  const preview = async (voice) => {
    error.replaceChildren();
    try { await playPreview(request, { voice, provider: "kokoro" }); } catch (err) { showError(error, err); }
  };
  const listSaved = async () => {
    const { voices: saved } = await api("/voices/mine");
    mine.replaceChildren(savedList(saved, {
      onPreview: preview,
      onDelete: async (n) => { await api(`/voices/mine/${encodeURIComponent(n)}`, { method: "DELETE" }); await listSaved(); },
    }));
  };
  const save = async (e) => {
    e.preventDefault();
    error.replaceChildren();
    done.hidden = true;
    try {
      const stored = await api(`/voices/mine/${encodeURIComponent(name.value.trim())}`,
        { method: "PUT", body: JSON.stringify({ voice: current(), provider: "kokoro" }) });
      done.textContent = t("mixer.saved", { name: stored.name, voice: stored.voice });
      done.hidden = false;
      await listSaved();
    } catch (err) { showError(error, err); }
  };
  for (const p of parts) p.row.oninput = refresh;
  refresh();
  card.append(
    el("p", { className: "hint", textContent: t("mixer.intro") }),
    ...parts.map((p) => p.row),
    el("p", {}, el("span", { textContent: t("mixer.formula") }), " ", shown),
    el("form", { id: "mix-form", className: "row", onsubmit: save },
      el("button", { type: "button", id: "mix-preview", textContent: t("mixer.preview"), onclick: () => preview(current()) }),
      el("label", {}, el("span", { textContent: t("mixer.name") }), name),
      el("button", { type: "submit", className: "primary", id: "mix-save", textContent: t("mixer.save") })),
    error, done,
    el("h2", { textContent: t("mixer.savedHeading") }), mine);
  await listSaved();
}
