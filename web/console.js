// console.js: the augur web console's page: runs the editor's script (or its selection) through
// POST /api/script, one result tab per statement; shows its progress (GET /api/progress) and
// cancels it through POST /api/cancel; draws EXPLAIN plans; keeps the schema tree, the history
// and the saved queries. Plain DOM and SVG,
// ES modules, no bundler; the editor is CodeMirror 5, served by augur itself.
import { api, cancelQuery, newQueryId, setToken, token } from "./api.js";
import { createEditor, editorSelection, editorText, setCompletionTables, setEditorText } from "./editor.js";
import { renderPlan, explainSql } from "./plan.js";
import { watchProgress } from "./progress.js";
import { ROW_LIMIT, clearResults, errorText, showResults } from "./results.js";
import { loadSchema, onSchemaQuery, renderSchema } from "./schema.js";
import * as storage from "./storage.js";

const $ = (id) => document.getElementById(id);
let running = null;  // {queryId, started, timer, stopProgress} while a statement runs
let runs = 0;  // finished runs, in #status's data-runs (tests wait on it)

function showError(error) {
  const box = $("error");
  box.hidden = !error;
  box.textContent = error ? errorText(error) : "";
}

function setRunning(state) {
  if (running) {
    clearInterval(running.timer);
    running.stopProgress();
  }
  running = state;
  $("run").disabled = $("explain").disabled = $("explain-analyze").disabled = Boolean(state);
  $("cancel").disabled = !state;
  if (state) {
    const tick = () => {
      $("status").textContent = `running… ${((performance.now() - state.started) / 1000).toFixed(1)} s`;
    };
    tick();
    state.timer = setInterval(tick, 200);
    state.stopProgress = watchProgress(state.queryId, state.started);
  }
}

// mode: "run", "explain" or "analyze".
async function run(mode = "run") {
  const sql = (editorSelection() || editorText()).trim();
  if (!sql || running) return;
  const queryId = newQueryId();
  const started = performance.now();
  setRunning({ queryId, started });
  $("status").dataset.state = "running";
  showError(null);
  $("plan").hidden = true;
  let status, data, summary;
  if (mode === "run") {
    ({ status, data } = await api("/api/script", { sql, limit: ROW_LIMIT, query_id: queryId }));
    if (status === 200) {
      showResults(data.results);
      const failed = data.results.find((r) => r.error);
      summary = data.results.length === 1
        ? (failed ? "failed" : data.results[0].command || `${data.results[0].row_count} rows`)
        : `${data.results.length} statements${failed ? ", one failed" : ""}`;
    }
  } else {
    ({ status, data } = await api("/api/query",
      { sql: explainSql(sql, mode === "analyze"), limit: 100000, query_id: queryId }));
    if (status === 200 && !data.error) {
      clearResults();
      renderPlan($("plan"), data.rows);
      $("plan").hidden = false;
      summary = mode === "analyze" ? "EXPLAIN ANALYZE" : "EXPLAIN";
    }
    if (status === 200 && data.error) status = 0;
  }
  setRunning(null);
  const ms = (performance.now() - started).toFixed(0);
  if (status !== 200) {
    clearResults();  // an error never sits above the previous statement's result
    showError(data.error);
    summary = "failed";
  }
  storage.remember(sql);
  renderHistory();
  $("status").textContent = `${summary} · ${ms} ms`;
  $("status").dataset.state = status === 200 ? "done" : "failed";
  $("status").dataset.runs = ++runs;
  refreshSchema();
}

async function cancel() {
  if (!running) return;
  $("cancel").disabled = true;
  const { status, data } = await cancelQuery(running.queryId);
  if (status !== 200) showError(data.error);
}

function renderHistory() {
  const ol = $("history");
  ol.replaceChildren();
  for (const { sql, at } of storage.history()) {
    const li = document.createElement("li");
    li.textContent = sql.length > 80 ? sql.slice(0, 77) + "…" : sql;
    li.title = `${sql}\n\n${new Date(at).toLocaleString()}`;
    li.dataset.sql = sql;
    li.onclick = () => setEditorText(sql);
    ol.appendChild(li);
  }
}

function renderSaved() {
  const ul = $("saved");
  ul.replaceChildren();
  for (const { name, sql } of storage.saved()) {
    const li = document.createElement("li");
    const label = document.createElement("span");
    label.textContent = name;
    label.title = sql;
    label.onclick = () => setEditorText(sql);
    const remove = document.createElement("button");
    remove.className = "link small";
    remove.textContent = "×";
    remove.title = "forget " + name;
    remove.onclick = () => { storage.forget(name); renderSaved(); };
    li.dataset.name = name;
    li.append(label, remove);
    ul.appendChild(li);
  }
}

async function refreshSchema() {
  const names = await loadSchema();
  if (names) setCompletionTables(names);
}

async function checkServer() {
  try {
    const response = await fetch("/ready");
    $("server-status").textContent = response.ok ? "ready" : "not ready";
  } catch (e) {
    $("server-status").textContent = "unreachable";
  }
}

createEditor($("editor"), { onRun: () => run("run") });
$("run").onclick = () => run("run");
$("cancel").onclick = cancel;
$("explain").onclick = () => run("explain");
$("explain-analyze").onclick = () => run("analyze");
$("schema-search").oninput = renderSchema;
$("save").onclick = () => {
  const name = $("save-name").value.trim();
  const sql = editorText().trim();
  if (!name || !sql) return;
  storage.save(name, sql);
  $("save-name").value = "";
  renderSaved();
};
$("clear-history").onclick = () => { storage.clearHistory(); renderHistory(); };
$("token-button").onclick = () => {
  const value = prompt("API token (from SELECT augur_create_api_token('role')):", token());
  if (value !== null) setToken(value);
  refreshSchema();
};
onSchemaQuery((sql) => { setEditorText(sql); run("run"); });
checkServer();
renderHistory();
renderSaved();
refreshSchema().then(() => { window.augur.ready = true; });
