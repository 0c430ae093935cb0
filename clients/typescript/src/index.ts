// A thin typed client of the ttsjobs job API. The request and answer types are generated from
// proto-schemas/openapi.json (src/schema.ts, `make schemas`), so a contract change breaks the
// build of whatever uses them. What a generated client does badly is written here: waiting for
// a job over its WebSocket feed (resuming after a dropped connection), paging by cursor, and
// downloads as bytes or to a file.
import createClient, { type Client } from "openapi-fetch";

import type { components, paths } from "./schema.js";

export type { components, paths } from "./schema.js";
export type Job = components["schemas"]["JobView"];
export type JobPage = components["schemas"]["JobPage"];
export type JobStatus = components["schemas"]["JobStatus"];
export type MultiRoleRequest = components["schemas"]["MultiRoleRequest"];
export type SingleRequest = components["schemas"]["SingleRequest"];
export type Problem = components["schemas"]["Problem"];
export type ListQuery = NonNullable<paths["/api/v1/jobs"]["get"]["parameters"]["query"]>;

export const FINISHED: readonly JobStatus[] = ["completed", "failed", "cancelled"];

/** A refused request: the HTTP status and the problem+json the gateway answered with. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem | undefined,
  ) {
    super(problem ? `${status} ${problem.title}: ${problem.detail}` : `HTTP ${status}`);
    this.name = "ApiError";
  }
}

/** The constructor both the browser's WebSocket and the `ws` package's satisfy. */
export type WebSocketClass = new (url: string, protocols: string[]) => FeedSocket;
interface FeedSocket {
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  close(code?: number): void;
}

export interface TtsJobsOptions {
  /** The gateway, e.g. http://127.0.0.1:8000 (no /api/v1). */
  baseUrl: string;
  apiKey: string;
  /** Node before 22 has no global WebSocket: the `ws` package is used then. */
  WebSocket?: WebSocketClass;
  fetch?: typeof globalThis.fetch;
}

export interface WaitOptions {
  /** Give up (rejecting) after this long; the job goes on. Default: no limit. */
  timeoutMs?: number;
  /** Every event of the job's feed, in stream order, each once (resumes ask for what was missed). */
  onEvent?: (event: FeedEvent) => void;
}

/** One CloudEvent of a job, as the feed relays it. */
export interface FeedEvent {
  type: string;
  id: string;
  data: Record<string, unknown>;
  [key: string]: unknown;
}

export interface Download {
  bytes: Uint8Array;
  contentType: string;
  /** The file name the server gives (Content-Disposition), if any. */
  fileName: string | undefined;
}

// Feed closes a reconnect would not change: the job's feed is over (1000), or a bad query, a bad
// key, an unknown job (4400, 4401, 4404). Any other (a gateway gone, 1001 at the hour's end, 4008
// for a reader fallen behind) is resumed with after=<seq>.
const FINAL_CLOSES = new Set([1000, 4400, 4401, 4404]);
const RECONNECT_MS = 500;

export class TtsJobs {
  /** The generated client, for every operation this layer does not wrap. */
  readonly raw: Client<paths>;
  private readonly baseUrl: string;
  private readonly apiKey: string;
  private readonly webSocket: WebSocketClass | undefined;

  constructor(options: TtsJobsOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.apiKey = options.apiKey;
    this.webSocket = options.WebSocket;
    this.raw = createClient<paths>({
      baseUrl: this.baseUrl,
      headers: { Authorization: `Bearer ${options.apiKey}` },
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
  }

  /** Submit a multi-role dialogue; answers at once with the pending job. */
  async submit(request: MultiRoleRequest, { idempotencyKey = newKey() } = {}): Promise<Job> {
    const { data, error, response } = await this.raw.POST("/api/v1/jobs/tts/multi-role", {
      body: request,
      params: { header: { "Idempotency-Key": idempotencyKey } },
    });
    return answer(data, error, response);
  }

  /** Submit one text in one voice (a single_tts job). */
  async submitSingle(request: SingleRequest, { idempotencyKey = newKey() } = {}): Promise<Job> {
    const { data, error, response } = await this.raw.POST("/api/v1/jobs/tts", {
      body: request,
      params: { header: { "Idempotency-Key": idempotencyKey } },
    });
    return answer(data, error, response);
  }

  async get(jobId: string): Promise<Job> {
    const { data, error, response } = await this.raw.GET("/api/v1/jobs/{job_id}", {
      params: { path: { job_id: jobId } },
    });
    return answer(data, error, response);
  }

  /** One page of your jobs, newest first; pass `next_cursor` back as `cursor` for the next. */
  async list(query: ListQuery = {}): Promise<JobPage> {
    const { data, error, response } = await this.raw.GET("/api/v1/jobs", { params: { query } });
    return answer(data, error, response);
  }

  /** Every job the query matches, page after page, newest first. */
  async *all(query: Omit<ListQuery, "cursor"> = {}): AsyncGenerator<Job> {
    let cursor: string | null | undefined;
    do {
      const page = await this.list({ ...query, cursor });
      yield* page.items;
      cursor = page.next_cursor;
    } while (cursor);
  }

  /**
   * Cancel an unfinished job (a finished one is a 409 ApiError, and kept). A pending job is
   * cancelled at once; a processing one stops at its next turn: `wait()` sees it end.
   */
  async cancel(jobId: string): Promise<Job> {
    const { error, response } = await this.raw.POST("/api/v1/jobs/{job_id}/cancel", {
      params: { path: { job_id: jobId } },
    });
    if (error !== undefined || !response.ok) throw new ApiError(response.status, error as Problem);
    return this.get(jobId);
  }

  /** The finished job's audio, whole. */
  async download(jobId: string): Promise<Download> {
    const { data, error, response } = await this.raw.GET("/api/v1/jobs/{job_id}/download", {
      params: { path: { job_id: jobId } },
      parseAs: "arrayBuffer",
    });
    if (error !== undefined || !response.ok || data === undefined) {
      throw new ApiError(response.status, error as Problem | undefined);
    }
    return {
      bytes: new Uint8Array(data),
      contentType: response.headers.get("content-type") ?? "",
      fileName: fileName(response.headers.get("content-disposition") ?? ""),
    };
  }

  /** Node only: stream the finished job's audio into a file; answers with its size in bytes. */
  async downloadTo(jobId: string, path: string): Promise<number> {
    const { data, error, response } = await this.raw.GET("/api/v1/jobs/{job_id}/download", {
      params: { path: { job_id: jobId } },
      parseAs: "stream",
    });
    if (error !== undefined || !response.ok || !data) {
      throw new ApiError(response.status, error as Problem | undefined);
    }
    const { createWriteStream } = await import("node:fs");
    const { Readable } = await import("node:stream");
    const { pipeline } = await import("node:stream/promises");
    const file = createWriteStream(path);
    await pipeline(Readable.fromWeb(data as import("node:stream/web").ReadableStream), file);
    return file.bytesWritten;
  }

  /**
   * The job once it has ended (completed, failed or cancelled), watched over its WebSocket feed.
   * A dropped connection resumes with `after=<last seq>`: no event is lost or repeated.
   */
  async wait(jobId: string, { timeoutMs, onEvent }: WaitOptions = {}): Promise<Job> {
    const WebSocketImpl = this.webSocket ?? (await defaultWebSocket());
    const base = `${this.baseUrl.replace(/^http/, "ws")}/api/v1/jobs/${jobId}/events`;
    await new Promise<void>((resolve, reject) => {
      let after: number | null = null;
      let socket: FeedSocket | undefined;
      let settled = false;
      const finish = (failure?: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket?.close();
        if (failure) reject(failure);
        else resolve();
      };
      const timer =
        timeoutMs === undefined
          ? undefined
          : setTimeout(() => finish(new Error(`job ${jobId} did not end within ${timeoutMs} ms`)), timeoutMs);
      const open = () => {
        if (settled) return;
        // Headers cannot go on a browser's WebSocket: the key goes as a subprotocol.
        socket = new WebSocketImpl(base + (after === null ? "" : `?after=${after}`), [
          "ttsjobs",
          `bearer.${this.apiKey}`,
        ]);
        socket.onmessage = (raw) => {
          const message = JSON.parse(String(raw.data)) as FeedMessage;
          if (message.type === "ping") return;
          after = message.seq;
          if (message.type === "event" && message.event) onEvent?.(message.event);
        };
        socket.onerror = () => {}; // its close follows, and says what to do
        socket.onclose = ({ code, reason }) => {
          if (code === 1000) finish();
          else if (FINAL_CLOSES.has(code)) finish(new Error(`feed of job ${jobId} closed: ${code} ${reason}`));
          else setTimeout(open, RECONNECT_MS);
        };
      };
      open();
    });
    // The feed closes (1000) after the job's final event; the gateway's GET shows that end.
    return this.get(jobId);
  }
}

interface FeedMessage {
  type: "snapshot" | "event" | "events" | "ping";
  seq: number;
  event?: FeedEvent;
}

/** The WebSocket `wait()` uses unless told another: the global one, else the `ws` package's. */
export async function defaultWebSocket(): Promise<WebSocketClass> {
  const global = (globalThis as { WebSocket?: WebSocketClass }).WebSocket;
  if (global) return global;
  const { WebSocket } = await import("ws");
  return WebSocket as unknown as WebSocketClass;
}

function answer<T>(data: T | undefined, error: unknown, response: Response): T {
  if (error !== undefined || data === undefined) {
    throw new ApiError(response.status, error as Problem | undefined);
  }
  return data;
}

// The same key makes a repeated submit safe: the gateway answers it with the job the first made.
function newKey(): string | undefined {
  return (globalThis as { crypto?: { randomUUID?: () => string } }).crypto?.randomUUID?.();
}

// RFC 6266/8187: the UTF-8 filename* when given, else the plain filename.
function fileName(disposition: string): string | undefined {
  const extended = /filename\*=UTF-8''([^;\s]+)/i.exec(disposition)?.[1];
  if (extended) {
    try {
      return decodeURIComponent(extended);
    } catch {
      // malformed: the plain one
    }
  }
  return /filename="([^"]+)"/.exec(disposition)?.[1];
}
