// ttsjobs web app: compose a dialogue, watch jobs live, play and download results.
// Plain modules, no build step: the gateway serves these files as they are.
import { LOCALES, chooseLocale, loadMessages, locale, translate } from "./i18n.js";
import { errorNodes } from "./problems.js";
import { el } from "./dom.js";
import { fetchFile, lexicons } from "./api.js";
import "./notify.js";
import { compose, draftSaver } from "./compose.js";
import { jobs } from "./history.js";
import { jobPage } from "./job-page.js";
import { lexiconsPage } from "./lexicons.js";
import { voiceMixer } from "./voice-mixer.js";

const view = document.getElementById("view");


// The dictionary first: every text on the page comes from it.
await loadMessages();
translate(document.body);
const localeSwitch = document.getElementById("locale");
localeSwitch.replaceChildren(...Object.entries(LOCALES).map(([value, name]) => new Option(name, value, false, value === locale)));
for (const option of localeSwitch.options) option.lang = option.value; // each name is in its own language
localeSwitch.onchange = async () => {
  draftSaver.save(); // what is being composed survives the switch
  await chooseLocale(localeSwitch.value);
  translate(document.body);
  route();
};

// ---------- routing ----------
let leave = null;
async function route() {
  if (leave) { leave(); leave = null; }
  draftSaver.clear();
  const hash = location.hash || "#/";
  const match = hash.match(/^#\/jobs\/([0-9a-f-]{36})$/);
  const lexicon = hash.match(/^#\/lexicons(?:\/([A-Za-z0-9][A-Za-z0-9_.-]{0,63}))?$/);
  const section = hash.startsWith("#/jobs") ? "jobs" : lexicon ? "lexicons" : hash === "#/voices" ? "voices" : "compose";
  for (const a of document.querySelectorAll("[data-nav]")) a.classList.toggle("active", a.dataset.nav === section);
  try {
    if (match) leave = await jobPage(match[1]);
    else if (lexicon) await lexiconsPage({ view, store: lexicons, fetchFile, selected: lexicon[1] });
    else if (hash.startsWith("#/jobs")) leave = await jobs();
    else if (hash === "#/voices") await voiceMixer({ view });
    else await compose();
  } catch (err) {
    // Without a valid key the key form above says what to do; the server's words are for API users.
    if (err.status === 401) view.replaceChildren();
    else view.replaceChildren(el("p", { className: "error" }, ...errorNodes(err)));
  }
}
window.addEventListener("hashchange", route);
route();
