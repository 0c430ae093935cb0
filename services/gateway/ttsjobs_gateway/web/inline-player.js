// @ts-check
// The history's player: one <audio> for the whole list, shown in a row of its own under the job
// it plays. Playing another job stops the first; the list may be drawn again while it plays.
import { el } from "./dom.js";
import { fetchFile } from "./api.js";

export function inlinePlayer({ onChange }) {
  const audio = el("audio", { controls: true, preload: "auto", className: "inline" });
  const row = el("tr", { className: "player-row" }, el("td", { colSpan: 5 }, audio));
  let playing = null; // { id, url }
  const changed = () => onChange(playing?.id ?? null, !audio.paused);
  audio.addEventListener("play", changed);
  audio.addEventListener("pause", changed);
  audio.addEventListener("ended", changed);

  const stop = () => {
    audio.pause();
    audio.removeAttribute("src");
    if (playing) URL.revokeObjectURL(playing.url);
    playing = null;
    row.remove();
    changed();
  };
  // Put the player back under its job after the rows were drawn again; a job no longer listed
  // (deleted, or filtered out) stops it.
  const place = (rows) => {
    if (!playing) return;
    const under = rows.querySelector(`tr[data-job="${playing.id}"]`);
    if (under) under.after(row);
    else stop();
  };
  const toggle = async (job, rows) => {
    if (playing?.id === job.id) {
      if (audio.paused) await audio.play();
      else audio.pause();
      return;
    }
    if (playing) stop();
    const file = await fetchFile(job.links.download);
    playing = { id: job.id, url: file.url };
    audio.src = file.url;
    place(rows);
    await audio.play();
  };
  return { audio, toggle, place, stop, playingId: () => playing?.id ?? null, isPlaying: () => !audio.paused };
}
