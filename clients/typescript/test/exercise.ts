// The client against a live gateway, as an integrator would use it (tests/e2e/test_typescript_client.py
// runs it and checks what it prints): submit, wait over the WebSocket feed, download, cancel,
// and list with a cursor. TTSJOBS_URL and TTSJOBS_API_KEY name the gateway and the user, whose
// history must be empty at the start; OUT_DIR is where the audio goes.
import { join } from "node:path";

import {
  ApiError,
  defaultWebSocket,
  TtsJobs,
  type FeedEvent,
  type MultiRoleRequest,
} from "@ttsjobs/client";

const tts = new TtsJobs({ baseUrl: process.env.TTSJOBS_URL!, apiKey: process.env.TTSJOBS_API_KEY! });

// Kokoro, a few seconds of work: the feed attaches while the job still runs, so wait() sees its
// events (an espeak job of two short turns could end before the feed was open; wait() then
// has only the snapshot of a finished job, and no event to report).
const short: MultiRoleRequest = {
  provider: "kokoro",
  title: "TypeScript client",
  turns: [
    { speaker: "Ann", text: "Hello from TypeScript. This job takes a few seconds to say." },
    { speaker: "Ben", text: "Hello back. Its feed ends with its completion." },
  ],
  voice_assignments: { Ann: { voice: "af_heart" }, Ben: { voice: "am_adam", speed: 1.2 } },
  output_format: "wav",
};
const submitted = await tts.submit(short);
const seen: FeedEvent[] = [];
const done = await tts.wait(submitted.id, { timeoutMs: 60_000, onEvent: (event) => seen.push(event) });
const audio = await tts.download(done.id);
const savedBytes = await tts.downloadTo(done.id, join(process.env.OUT_DIR!, "saved.wav"));

// A connection that drops after its first message (the snapshot): wait() resumes after it.
const Base = await defaultWebSocket();
const feedUrls: string[] = [];
class DroppingSocket extends Base {
  constructor(url: string, protocols: string[]) {
    super(url, protocols);
    feedUrls.push(url);
    const events = this as unknown as { addEventListener(type: "message", listener: () => void): void };
    if (feedUrls.length === 1) events.addEventListener("message", () => this.close(3000));
  }
}
const resumed: FeedEvent[] = [];
const dropping = new TtsJobs({
  baseUrl: process.env.TTSJOBS_URL!,
  apiKey: process.env.TTSJOBS_API_KEY!,
  WebSocket: DroppingSocket,
});
// Other words: the first job's turns would come from the segment cache, at once.
const again = await dropping.submit({
  ...short,
  title: "resumed",
  turns: short.turns.map((turn) => ({ ...turn, text: `${turn.text} Once more.` })),
});
const afterDrop = await dropping.wait(again.id, { timeoutMs: 60_000, onEvent: (event) => resumed.push(event) });

// Long enough (tone, 8 s a turn) that the cancel lands while it is pending or rendering.
const long: MultiRoleRequest = {
  provider: "tone",
  title: "to be cancelled",
  turns: Array.from({ length: 12 }, (_, i) => ({ speaker: "A", text: `turn ${i} ${"la ".repeat(200)}` })),
  voice_assignments: { A: { voice: "mid", speed: 0.5 } },
  output_format: "wav",
};
const doomed = await tts.submit(long);
const cancelAnswer = await tts.cancel(doomed.id);
const cancelled = await tts.wait(doomed.id, { timeoutMs: 60_000 });
let lateCancel: number | null = null;
try {
  await tts.cancel(done.id); // finished: refused, and kept
} catch (error) {
  lateCancel = error instanceof ApiError ? error.status : -1;
}

const first = await tts.list({ limit: 1 });
const second = await tts.list({ limit: 1, cursor: first.next_cursor });
const all: string[] = [];
for await (const job of tts.all({ limit: 1 })) all.push(job.id);

console.log(JSON.stringify({
  submitted: { id: submitted.id, status: submitted.status },
  done: { id: done.id, status: done.status, duration_ms: done.result?.duration_ms },
  events: seen.map((event) => event.type),
  download: { size: audio.bytes.length, head: [...audio.bytes.slice(0, 4)], contentType: audio.contentType, fileName: audio.fileName },
  savedBytes,
  resume: { id: again.id, status: afterDrop.status, urls: feedUrls, events: resumed.map((event) => event.id) },
  cancel: { id: doomed.id, answered: cancelAnswer.status, ended: cancelled.status },
  lateCancel,
  pages: { first: first.items.map((job) => job.id), cursor: first.next_cursor, second: second.items.map((job) => job.id) },
  all,
}));
