// @ts-check
// A job's request as the page shows it, for both kinds: a dialogue's turns and speakers, or a
// long text's sentences and its one reader. A single_tts job's view carries its text once
// (`single`) and where its sentences end (`sentence_ends`, in code points), not a dialogue.

/** @typedef {import("ttsjobs-api").components["schemas"]["JobView"]} Job */
/** @typedef {{ speaker: string | null, text: string }} ShownTurn  a long text's have no speaker */

/** The job's turns in order: a dialogue's, or a long text's sentences. @param {Job} job @returns {ShownTurn[]} */
export function turnsOf(job) {
  if (!job.single) return (job.input?.turns ?? []).map((turn) => ({ speaker: turn.speaker, text: turn.text }));
  const chars = Array.from(job.single.text); // code points, as the ends count them
  let start = 0;
  return (job.sentence_ends ?? [chars.length]).map((end) => {
    const text = chars.slice(start, end).join("");
    start = end;
    return { speaker: null, text };
  });
}

/**
 * Who reads with which voice: a dialogue's speakers, or the long text's one reader (named `reader`).
 * @param {Job} job @param {string} reader
 * @returns {[string, { voice?: string | null, speed?: number, reading?: string | null }][]}
 */
export function readersOf(job, reader) {
  if (job.single) return [[reader, job.single]];
  return Object.entries(job.input?.voice_assignments ?? {});
}

/** Output format and lexicons, where either kind keeps them. @param {Job} job */
export const settingsOf = (job) => job.single ?? job.input ?? { output_format: "wav", lexicons: [] };
