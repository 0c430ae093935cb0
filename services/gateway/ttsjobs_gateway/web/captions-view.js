// @ts-check
// The job page's captions: the line being spoken, shown under the player, and its turn
// highlighted in the list, from the WebVTT track as the audio plays. The captions have one cue
// per turn, numbered from 1, so a cue's id is its turn. A click on a turn seeks to it.
// Word-timed captions carry a karaoke timestamp before each word (<00:00:01.200>): the word
// being spoken is then highlighted in the line, and the words said before it marked as said.
import { el, typed } from "./dom.js";

// The track, hidden: an <audio> draws no captions, yet a hidden track still loads its cues and
// fires cuechange as playback crosses them.
export function captionsTrack(audio, { src, srclang, label }) {
  const track = el("track", { kind: "captions", src, srclang, label, default: true });
  audio.append(track);
  track.track.mode = "hidden";
  return track;
}

// The cue's text as spans, one per timed word: a timestamp (a "timestamp" processing
// instruction in the cue's HTML) starts the next one. Untimed cues give one span.
function timedWords(cue) {
  const words = [{ start: cue.startTime, text: "" }];
  const walk = (node) => {
    for (const child of node.childNodes) {
      if (child.nodeType === Node.PROCESSING_INSTRUCTION_NODE && child.target === "timestamp") {
        const [h, m, s] = child.data.split(":").map(Number);
        words.push({ start: h * 3600 + m * 60 + s, text: "" });
      } else if (child.nodeType === Node.TEXT_NODE) {
        words.at(-1).text += child.data;
      } else walk(child);
    }
  };
  walk(cue.getCueAsHTML());
  return words.filter((w) => w.text)
    .map((w) => typed("span", w.text, { className: "word", dataset: { start: String(w.start) } }));
}

// Marks the word being spoken at the audio's time, and those before it; while the audio plays,
// once a frame: timeupdate comes four times a second, too seldom for a word.
function followWords(audio, line) {
  const mark = () => {
    const words = [...line.querySelectorAll(".said .word")];
    const now = words.filter((w) => Number(w.dataset.start) <= audio.currentTime + 0.02).at(-1);
    for (const word of words) {
      word.classList.toggle("spoken", Number(word.dataset.start) <= audio.currentTime + 0.02);
      word.classList.toggle("now", word === now && words.length > 1);
    }
  };
  const tick = () => { mark(); if (!audio.paused) requestAnimationFrame(tick); };
  audio.addEventListener("play", tick);
  audio.addEventListener("seeked", mark);
  return mark;
}

const turnOf = (cue, cues) => (/^\d+$/.test(cue.id) ? Number(cue.id) - 1 : [...cues].indexOf(cue));

// `turns` is the <ol> of turns (each <li data-turn="i">), `line` the element the caption goes
// in; `speakers[i]` is turn i's speaker when the captions name speakers (null when they do not).
export function followCaptions({ audio, track, line, turns, speakers, lang }) {
  let current = -1;
  const markWords = followWords(audio, line);
  const highlight = () => {
    for (const item of turns.querySelectorAll("li[data-turn]")) {
      const on = Number(item.dataset.turn) === current;
      item.classList.toggle("current", on);
      if (on) item.setAttribute("aria-current", "true");
      else item.removeAttribute("aria-current");
    }
  };
  const show = () => {
    const cues = track.track.cues;
    const active = [...(track.track.activeCues || [])].at(-1);
    // Between two turns (a pause) the last line stays: a blank flash at every pause reads worse.
    if (!active || !cues) return;
    current = turnOf(active, cues);
    const speaker = speakers[current];
    line.lang = lang;
    line.replaceChildren(
      ...(speaker ? [typed("span", speaker, { className: "who" })] : []),
      el("span", { className: "said" }, ...timedWords(active)),
    );
    markWords();
    line.dataset.turn = String(current);
    highlight();
  };
  track.track.addEventListener("cuechange", show);
  const seek = (item) => {
    const cue = [...(track.track.cues || [])].find((c) => turnOf(c, track.track.cues) === Number(item.dataset.turn));
    if (!cue) return;
    audio.currentTime = cue.startTime;
    audio.play().catch(() => {}); // refused autoplay leaves it paused at the turn: still a seek
  };
  turns.classList.add("seekable");
  turns.onclick = (event) => {
    const item = event.target.closest("li[data-turn]");
    if (item) seek(item);
  };
  turns.onkeydown = (event) => {
    const item = event.target.closest("li[data-turn]");
    if (item && (event.key === "Enter" || event.key === " ")) { event.preventDefault(); seek(item); }
  };
  // The list is drawn again when the job changes (a rename): the highlight goes back on.
  return { refresh: highlight };
}
