// The user's pronunciation lexicons through /api/v1/lexicons: list, read (with its ETag), write
// (If-Match the ETag read, so that two tabs never silently overwrite each other), upload a PLS or
// JSON file, delete, and add one entry (what the composer's click-to-fix does).

const DEFAULT_NAME = "my-words";
const LAST_USED = "ttsjobs.fixLexicon";
export const NAME_PATTERN = "^[A-Za-z0-9][A-Za-z0-9_.\\-]{0,63}$";

// The lexicon click-to-fix saves to unless told otherwise: the one it saved to last.
export const lastUsedLexicon = () => localStorage.getItem(LAST_USED) || DEFAULT_NAME;

// A name the API takes, from a file's name ("台灣 brands.pls" → "brands"); "" when none is left.
export function nameFromFile(fileName) {
  return fileName.replace(/\.[^.]*$/, "").replace(/[^A-Za-z0-9_.-]+/g, "-")
    .replace(/^[^A-Za-z0-9]+/, "").slice(0, 64);
}

// An entry as the API takes it back: no empty or null fields.
export const cleanEntry = (entry) =>
  Object.fromEntries(Object.entries(entry).filter(([, value]) => value !== null && value !== undefined && value !== ""));

// What a PUT sends and a JSON export holds: the lexicon without its name and dates.
/** @param {{ language?: string | null, alphabet?: string | null, entries: object[] }} lexicon */
export function lexiconBody({ language, alphabet, entries }) {
  return { ...(language ? { language } : {}), ...(alphabet ? { alphabet } : {}), entries: entries.map(cleanEntry) };
}

// `request(path, options)` is the app's: { body, response }, an ApiError for a problem.
export function lexiconStore(request) {
  const path = (name) => `/lexicons/${encodeURIComponent(name)}`;
  const store = {
    list: async () => (await request("/lexicons")).body.lexicons,
    async get(name) {
      const { body, response } = await request(path(name));
      return { lexicon: body, etag: response.headers.get("etag") };
    },
    put: (name, body, etag) => request(path(name), {
      method: "PUT", body: JSON.stringify(lexiconBody(body)), headers: etag ? { "If-Match": etag } : {},
    }),
    upload: (name, text, contentType) => request(path(name), { method: "PUT", body: text, contentType }),
    remove: (name) => request(path(name), { method: "DELETE" }),
    // Add or replace the entry for one grapheme. Read, change, write with If-Match: a lexicon
    // changed in between (another tab, the CLI) is read again rather than overwritten.
    async saveEntry(name, entry, { language } = {}) {
      for (let attempt = 1; ; attempt++) {
        let current = null;
        let etag = null;
        try {
          ({ lexicon: current, etag } = await store.get(name));
        } catch (err) {
          if (err.status !== 404) throw err; // a new lexicon: created by this PUT
        }
        const kept = (current?.entries || []).filter((e) => e.grapheme !== entry.grapheme);
        const body = {
          language: current ? current.language : language,
          alphabet: current?.alphabet || entry.alphabet,
          entries: [...kept, entry],
        };
        try {
          await store.put(name, body, etag);
          localStorage.setItem(LAST_USED, name);
          return;
        } catch (err) {
          if (err.status !== 412 || attempt >= 3) throw err;
        }
      }
    },
  };
  return store;
}
