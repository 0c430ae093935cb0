// 試聽: a short sample in a voice, from POST /api/v1/voices/preview. Not a job: the server
// answers it over request-reply and caches it, so it never shows in anyone's history. The page
// keeps each sample it got, by what was asked.
import { AppError } from "./problems.js";

const samples = new Map(); // the request body (JSON) → an object URL of its WAV

// `body`: {voice, provider, speed, reading}. Plays the sample; the audio element is returned.
export async function playPreview(request, body) {
  const key = JSON.stringify(body);
  if (!samples.has(key)) {
    try {
      const { response } = await request("/voices/preview", { method: "POST", body: key, headers: { Accept: "audio/wav" } });
      samples.set(key, URL.createObjectURL(await response.blob()));
    } catch (err) {
      // No synthesis worker answered: a sentence in the UI's language, not the server's.
      throw err.status === 503 ? new AppError("preview.unavailable") : err;
    }
  }
  const audio = new Audio(samples.get(key));
  audio.dataset.preview = key;
  document.body.dataset.previewed = (Number(document.body.dataset.previewed || 0) + 1).toString();
  audio.play().catch(() => {}); // a browser that will not autoplay: the sample is still fetched
  return audio;
}
