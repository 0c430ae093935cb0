// @ts-check
// The job page's chapters (JobResult.chapters, from `## Title` script lines or a turn's
// `chapter`): each title with where it starts; a click plays the audio from there, and the
// chapter being heard is marked as the audio plays.
import { el, typed } from "./dom.js";

/** @typedef {import("ttsjobs-api").components["schemas"]["JobView"]} Job */

// 1:02:05 or 2:05, as players show a position.
function position(ms) {
  const seconds = Math.floor(ms / 1000);
  const [h, m, s] = [Math.floor(seconds / 3600), Math.floor((seconds % 3600) / 60), seconds % 60];
  const two = (n) => String(n).padStart(2, "0");
  return h ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`;
}

/** Fills `box` (a section with an <ol>) or hides it. @param {Job} job @param {HTMLElement} box @param {HTMLAudioElement} audio */
export function showChapters(job, box, audio) {
  const chapters = job.result?.chapters ?? [];
  box.hidden = !chapters.length;
  const list = box.querySelector("ol");
  list.replaceChildren(...chapters.map((chapter, i) => {
    const seek = () => {
      audio.currentTime = chapter.start_ms / 1000;
      audio.play().catch(() => {}); // a browser that refuses leaves it paused at the chapter
    };
    return el("li", { dataset: { chapter: String(i) } },
      el("button", { type: "button", className: "chapter", onclick: seek },
        el("time", { textContent: position(chapter.start_ms) }), " ", typed("span", chapter.title)));
  }));
  const mark = () => {
    const now = audio.currentTime * 1000 + 20; // a seek lands a few ms before the start
    const current = chapters.findLastIndex((chapter) => chapter.start_ms <= now);
    for (const item of list.children) item.classList.toggle("now", item instanceof HTMLElement && Number(item.dataset.chapter) === current);
  };
  audio.addEventListener("timeupdate", mark);
  audio.addEventListener("seeked", mark);
  mark();
}
