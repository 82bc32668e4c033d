// api.js: the console's calls to the server's REST API (docs/API.md), with the API token the
// user set (kept for this tab only: sessionStorage).
const TOKEN_KEY = "augur.token";

export function token() {
  return sessionStorage.getItem(TOKEN_KEY) || "";
}

export function setToken(value) {
  sessionStorage.setItem(TOKEN_KEY, value.trim());
}

function headers() {
  const h = { "Content-Type": "application/json" };
  if (token()) h.Authorization = "Bearer " + token();
  return h;
}

// GET (no body) or POST (JSON body); answers {status, data} with the body parsed as JSON, or
// data = {error} when it is not JSON (a proxy's error page, a dropped connection).
export async function api(path, body) {
  let response;
  try {
    response = await fetch(path, body === undefined ? { headers: headers() }
      : { method: "POST", headers: headers(), body: JSON.stringify(body) });
  } catch (e) {
    return { status: 0, data: { error: { code: "08006", message: "server unreachable: " + e.message } } };
  }
  const text = await response.text();
  try {
    return { status: response.status, data: JSON.parse(text) };
  } catch (e) {
    return { status: response.status,
             data: { error: { code: "08P01", message: `HTTP ${response.status}: ${text.slice(0, 200)}` } } };
  }
}

// A random id for POST /api/cancel and GET /api/progress (crypto.randomUUID needs a secure context; this does not).
export function newQueryId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export function cancelQuery(queryId) {
  return api("/api/cancel", { query_id: queryId });
}

// How far the statement `queryId` has got: GET /api/progress (docs/API.md).
export function queryProgress(queryId) {
  return api("/api/progress?query_id=" + encodeURIComponent(queryId));
}

// Runs `sql` again as a download of its whole result (csv or parquet) and hands the file to the
// browser. Answers null, or the error.
export async function download(sql, format, filename) {
  const response = await fetch("/api/query", { method: "POST", headers: headers(),
    body: JSON.stringify({ sql, format, limit: 1000000, query_id: newQueryId() }) });
  if (!response.ok) {
    const data = await response.json().catch(() => ({}));
    return data.error || { code: "08P01", message: `HTTP ${response.status}` };
  }
  const blob = await response.blob();
  const trailerError = format === "csv" ? await csvError(blob) : null;
  if (trailerError) return trailerError;
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
  return null;
}

// A CSV body that failed part way ends with "# error SQLSTATE: message" (query_api.h).
async function csvError(blob) {
  const tail = await blob.slice(Math.max(0, blob.size - 2048)).text();
  const match = /(?:^|\n)# error ([0-9A-Z]{5}): ([^\r\n]*)\r?\n?$/.exec(tail);
  return match ? { code: match[1], message: match[2] } : null;
}
