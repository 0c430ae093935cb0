// Errors as the person reads them: the API's problem+json (RFC 9457) with its known `type`s
// given a translated title; what the server says beyond that (detail, field errors, a failed
// job's reason) is shown as it came, marked as verbatim English text.
import { t, tNodes } from "./i18n.js";

const PROBLEM_TYPE = "urn:ttsjobs:problem:";

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

// An error the app itself words, by key: translated when it is shown, in whatever locale.
export class AppError extends Error {
  constructor(key, vars = {}) {
    super(key);
    this.key = key;
    this.vars = vars;
  }
}

// Text from the server: left as it is, and marked so (lang for screen readers, data-verbatim
// for the test that looks for untranslated text in the UI).
export function verbatim(text) {
  const span = document.createElement("span");
  span.lang = "en";
  span.dataset.verbatim = "";
  span.textContent = text;
  return span;
}

function titleOf(error) {
  const kind = error.problem?.type?.startsWith(PROBLEM_TYPE) ? error.problem.type.slice(PROBLEM_TYPE.length) : null;
  const key = `problem.${kind}`;
  if (kind && t(key) !== key) return t(key);
  if (error.problem?.title) return verbatim(error.problem.title);
  return t("error.http", { status: error.status });
}

// The nodes to put in an error element (its CSS keeps the line breaks).
export function errorNodes(error) {
  if (error instanceof AppError) return [t(error.key, error.vars)];
  if (error instanceof TypeError) return [t("error.network")]; // fetch failed: no answer at all
  if (!(error instanceof ApiError)) return [verbatim(error.message)];
  const strong = document.createElement("strong");
  strong.append(titleOf(error));
  const problem = error.problem || {};
  const lines = (problem.errors || []).map(problemLine);
  if (!lines.length && problem.detail && problem.detail !== problem.title) lines.push([verbatim(problem.detail)]);
  return [strong, ...lines.flatMap((line) => ["\n", ...line])];
}

// One field's problem. A script's line is named in the reader's language ("第 3 行："), the
// reason as the server gave it.
function problemLine({ field, reason }) {
  const line = field.match(/^script\.line\[(\d+)\]$/)?.[1];
  return line ? [t("problem.scriptLine", { n: line }), verbatim(reason)] : [verbatim(`${field}: ${reason}`)];
}

// A failed job's reason, after a translated lead-in.
export function failureNodes(message) {
  return message ? [...tNodes("job.failedReason"), " ", verbatim(message)] : [];
}
