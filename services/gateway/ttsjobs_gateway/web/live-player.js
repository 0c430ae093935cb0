// @ts-check
// Listening while a job renders: the job's live playlist (GET /jobs/{id}/live.m3u8, HLS of MP3
// segments) read by this module and fed to the page's <audio> through MediaSource, segment after
// segment, as the turns land. Chromium plays no HLS itself, and hls.js would be 400 kB to parse
// one kind of playlist: the segments are one continuous MP3 stream, so appending them in order
// ("sequence" mode) is all it takes to play them without gaps. When the job completes, the page
// swaps in the final, mastered file at the same place (playFinal).
import { API, apiKey } from "./api.js";

const MIME = "audio/mpeg";
const POLL_MS = 1000; // a turn takes seconds to render: asking more often finds nothing new

export const canListenLive = () => typeof MediaSource !== "undefined" && MediaSource.isTypeSupported(MIME);

async function fetchWithKey(path) {
  const response = await fetch(path, { headers: { Authorization: `Bearer ${apiKey()}` } });
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response;
}

// The segment URIs of a playlist, in order, and whether it has ended.
export function parsePlaylist(text) {
  const lines = text.split("\n").map((line) => line.trim());
  const uris = lines.filter((line, i) => line && !line.startsWith("#") && lines[i - 1]?.startsWith("#EXTINF"));
  return { uris, ended: lines.includes("#EXT-X-ENDLIST") };
}

const updated = (buffer) => new Promise((resolve, reject) => {
  buffer.addEventListener("updateend", resolve, { once: true });
  buffer.addEventListener("error", reject, { once: true });
});

// Plays the job's finished part in `audio` from now on; `stop()` ends it (the page left, or the
// final file took over). `onSegment(count)` after each segment appended.
/** @param {HTMLAudioElement} audio @param {string} jobId @param {{ onSegment?: (count: number) => void }} [options] */
export function listenLive(audio, jobId, { onSegment = () => {} } = {}) {
  const source = new MediaSource();
  const url = URL.createObjectURL(source);
  let stopped = false;
  audio.src = url;
  const follow = async () => {
    await new Promise((resolve) => source.addEventListener("sourceopen", resolve, { once: true }));
    const buffer = source.addSourceBuffer(MIME);
    buffer.mode = "sequence"; // each segment right after the last: the stream as it was encoded
    let appended = 0;
    while (!stopped) {
      const { uris, ended } = parsePlaylist(await (await fetchWithKey(`${API}/jobs/${jobId}/live.m3u8`)).text());
      for (const uri of uris.slice(appended)) {
        const data = await (await fetchWithKey(`${API}/jobs/${jobId}/${uri}`)).arrayBuffer();
        if (stopped) return;
        const done = updated(buffer);
        buffer.appendBuffer(data);
        await done;
        onSegment(++appended);
      }
      if (ended) {
        if (source.readyState === "open") source.endOfStream();
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  };
  // A failure here costs only the early listening: the final file still comes with the job.
  follow().catch((error) => console.warn("live audio stopped", error));
  return {
    stop() {
      stopped = true;
      URL.revokeObjectURL(url);
    },
  };
}

// The final file in `audio`, continuing from where the live audio was (and playing if it was).
export function playFinal(audio, url, live) {
  const at = live ? audio.currentTime : 0;
  const playing = live && !audio.paused;
  live?.stop();
  audio.src = url;
  if (!at && !playing) return;
  audio.addEventListener("loadedmetadata", () => {
    audio.currentTime = at;
    if (playing) audio.play().catch(() => {}); // a browser that refuses shows the play button
  }, { once: true });
}
