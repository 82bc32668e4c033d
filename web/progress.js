// progress.js: the progress bar of a running statement. While a run lasts it polls
// GET /api/progress with the run's query id (docs/API.md) and draws the server's figures: the
// statement's percentage by DuckDB's estimate, the rows it has processed, the time the run has
// taken and an estimate of the time left. Where DuckDB has no estimate (a scan of range(), a
// statement waiting for a lock) the bar is indeterminate and the time still counts.
import { queryProgress } from "./api.js";

const POLL_MS = 250;
const $ = (id) => document.getElementById(id);

// "0.4 s", "12 s", "3 min 05 s", "1 h 02 min".
export function formatDuration(ms) {
  const s = ms / 1000;
  if (s < 10) return `${s.toFixed(1)} s`;
  if (s < 60) return `${Math.round(s)} s`;
  const whole = Math.round(s);
  if (whole < 3600) return `${Math.floor(whole / 60)} min ${String(whole % 60).padStart(2, "0")} s`;
  return `${Math.floor(whole / 3600)} h ${String(Math.floor(whole / 60) % 60).padStart(2, "0")} min`;
}

function count(n) {
  return Number(n).toLocaleString("en-US");
}

// The line under the bar for one answer of /api/progress (`p`) after `elapsedMs` of the run.
export function progressText(p, elapsedMs) {
  const parts = [];
  if (p && p.statements > 1) parts.push(`statement ${p.statement} of ${p.statements}`);
  if (p && p.progress !== null && p.progress !== undefined) parts.push(`${p.progress.toFixed(1)}%`);
  if (p && p.rows_total) parts.push(`${count(p.rows_processed)} of ${count(p.rows_total)} rows`);
  if (p && p.waiting) parts.push(`waiting for a lock (${p.waiting})`);
  parts.push(`${formatDuration(elapsedMs)} elapsed`);
  if (p && p.remaining_ms !== null && p.remaining_ms !== undefined) {
    parts.push(`about ${formatDuration(p.remaining_ms)} left`);
  } else if (!p || p.progress === null || p.progress === undefined) {
    parts.push("no estimate");
  }
  return parts.join(" · ");
}

function draw(p, started) {
  const bar = $("progress-bar");
  const known = p && p.progress !== null && p.progress !== undefined;
  if (known) {
    bar.value = p.progress;  // 0..100 (max)
    bar.dataset.progress = String(p.progress);
  } else {
    bar.removeAttribute("value");  // indeterminate
    delete bar.dataset.progress;
  }
  $("progress-text").textContent = progressText(p, performance.now() - started);
}

// Shows the bar for the run `queryId` (started at performance.now() `started`) until the
// returned function is called.
export function watchProgress(queryId, started) {
  let stopped = false;
  let last = null;
  let timer = null;
  $("progress").hidden = false;
  draw(null, started);
  const poll = async () => {
    const { status, data } = await queryProgress(queryId);
    if (stopped) return;
    if (status === 200 && data.running) last = data;
    draw(last, started);
    timer = setTimeout(poll, POLL_MS);
  };
  timer = setTimeout(poll, POLL_MS);
  // The time counts between polls too.
  const clock = setInterval(() => { if (!stopped) draw(last, started); }, 200);
  return () => {
    stopped = true;
    clearTimeout(timer);
    clearInterval(clock);
    $("progress").hidden = true;
  };
}
