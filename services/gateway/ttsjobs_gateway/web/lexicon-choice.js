// The composer's "lexicons this job uses": the user's lexicons as checkboxes, the ones chosen
// numbered in the order they apply (for a word in several, the first listed wins; a lexicon a
// fix was just saved to goes first).
import { el } from "./dom.js";
import { number, t } from "./i18n.js";

export function lexiconChoice(store, list, initial = [], changed = () => {}) {
  let chosen = [...initial];
  let known = [];
  const toggle = (name, on) => {
    chosen = on ? [...chosen, name] : chosen.filter((n) => n !== name);
    render();
    changed();
  };
  const option = (name) => {
    const rank = chosen.indexOf(name);
    return el("label", { className: "lexicon-option" },
      el("input", { type: "checkbox", name: "lexicon", value: name, checked: rank >= 0, onchange: (e) => toggle(name, e.target.checked) }),
      el("span", { textContent: name, dataset: { verbatim: "" } }),
      rank >= 0 ? el("span", { className: "rank", textContent: number(rank + 1), title: t("compose.lexiconRank") }) : null);
  };
  const render = () => {
    const names = [...new Set([...chosen, ...known])];
    list.replaceChildren(...(names.length ? names.map(option) : [el("span", { className: "hint", textContent: t("compose.noLexicons") })]));
  };
  // The list is not worth holding the composer back for; it fills in when it comes.
  store.list().then((lexicons) => { known = lexicons.map((l) => l.name); render(); }).catch(() => {});
  render();
  return {
    chosen: () => [...chosen],
    choose(name) {
      chosen = [name, ...chosen.filter((n) => n !== name)];
      if (!known.includes(name)) known.push(name);
      render();
    },
  };
}
