// @ts-check
// The job page's measured loudness: the mastering asked for and what the finished audio measures
// (JobResult.loudness: integrated LUFS, true peak dBTP, loudness range LU), so a producer sees
// whether it meets a platform's target (Apple Podcasts about -16 LUFS, peaks at -1 dBTP) without
// measuring the file again.
import { decimal, t } from "./i18n.js";
import { el } from "./dom.js";

/** @typedef {import("ttsjobs-api").components["schemas"]["JobView"]} Job */

const PRESETS = { none: "compose.masteringNone", podcast: "compose.masteringPodcast", audiobook: "compose.masteringAudiobook" };

// null: the audio is silence, which has no loudness to measure.
const measured = (value, unit) => (value === null || value === undefined ? t("job.loudnessSilent") : `${decimal(value)} ${unit}`);

/** Fills `box` (a section with a <dl>) with the job's loudness, or hides it. @param {Job} job @param {HTMLElement} box */
export function showLoudness(job, box) {
  const loudness = job.result?.loudness;
  box.hidden = !loudness;
  if (!loudness) return;
  const rows = [
    ["preset", "job.loudnessPreset", t(PRESETS[loudness.preset] ?? loudness.preset)],
    ["integrated", "job.loudnessIntegrated", measured(loudness.integrated_lufs, "LUFS")],
    ["peak", "job.loudnessPeak", measured(loudness.true_peak_dbtp, "dBTP")],
    ["range", "job.loudnessRange", measured(loudness.loudness_range_lu, "LU")],
  ];
  box.querySelector("dl").replaceChildren(...rows.flatMap(([name, key, value]) => [
    el("dt", { textContent: t(key) }),
    el("dd", { textContent: value, dataset: { loudness: name } }),
  ]));
}
