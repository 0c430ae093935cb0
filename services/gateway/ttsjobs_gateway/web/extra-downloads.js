// @ts-check
// The job page's downloads beyond the audio and the turn captions, where the job has them: the
// stems (one track per speaker, a zip), the word-level captions (WebVTT with a karaoke timestamp
// before each word; SRT with a cue per word) and the character alignment (JSON). Each is fetched
// when clicked, not with the page: a stems zip is several times the audio's size, and every
// link needs the user's key, which a plain <a href> cannot send.
import { fetchFile } from "./api.js";
import { el } from "./dom.js";
import { t } from "./i18n.js";

/** @typedef {import("ttsjobs-api").components["schemas"]["JobView"]} Job */

/** The stems' button, beside the audio's, if the job has stems; `onError(err)` when it cannot be fetched. @param {Job} job @param {(err: any) => void} onError */
export const stemsDownload = (job, onError) =>
  (job.links.stems ? [onDemand("download-stems", "job.downloadStems", job.links.stems, onError)] : []);

/** The word timing's buttons, where the engine timed words. @param {Job} job @param {(err: any) => void} onError */
export function wordDownloads(job, onError) {
  const { captions_words: words, alignment } = job.links;
  return [
    ["download-words-vtt", "job.captionsWordsVtt", words],
    ["download-words-srt", "job.captionsWordsSrt", words?.replace("format=vtt-words", "format=srt-words")],
    ["download-alignment", "job.downloadAlignment", alignment],
  ].filter(([, , path]) => path).map(([id, key, path]) => onDemand(id, key, path, onError));
}

function onDemand(id, key, path, onError) {
  const link = el("a", { id, className: "button", href: path, download: "", textContent: t(key), dataset: { i18n: key } });
  link.addEventListener("click", async (event) => {
    if (link.dataset.fetched) return; // in hand: the browser saves the file itself
    event.preventDefault();
    try {
      const file = await fetchFile(path);
      Object.assign(link, { href: file.url, download: file.name || "" });
      link.dataset.fetched = "true";
      link.click();
    } catch (err) { onError(err); }
  });
  return link;
}
