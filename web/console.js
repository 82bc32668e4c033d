// augur console: a SQL editor over POST /api/query, the table list from GET /api/tables, a
// chart for numeric results, EXPLAIN, and this tab's query history. Plain DOM and SVG: the page
// is small enough that a framework or a chart library would be most of its weight.
"use strict";

const $ = (id) => document.getElementById(id);
const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|REAL|DECIMAL|NUMERIC)/;
const TEMPORAL = /^(DATE|TIME|TIMESTAMP)/;
const HISTORY_KEY = "augur.history";
const TOKEN_KEY = "augur.token";
const MAX_CHART_ROWS = 500;

function headers() {
  const h = { "Content-Type": "application/json" };
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) h.Authorization = "Bearer " + token;
  return h;
}

async function api(path, body) {
  const response = await fetch(path, body === undefined ? { headers: headers() }
    : { method: "POST", headers: headers(), body: JSON.stringify(body) });
  const data = await response.json();
  if (response.status === 401) showError({ code: "28000", message: data.error.message,
    hint: "set an API token (top right): SELECT augur_create_api_token('role')" });
  return { status: response.status, data };
}

function showError(error) {
  const box = $("error");
  if (!error) { box.hidden = true; box.textContent = ""; return; }
  let text = `${error.code}: ${error.message}`;
  if (error.detail) text += `\nDETAIL: ${error.detail}`;
  if (error.hint) text += `\nHINT: ${error.hint}`;
  if (error.position) text += `\n(at character ${error.position})`;
  box.textContent = text;
  box.hidden = false;
}

function renderTable(columns, rows) {
  const table = document.createElement("table");
  const head = table.createTHead().insertRow();
  for (const column of columns) {
    const th = document.createElement("th");
    th.textContent = column.name;
    const type = document.createElement("small");
    type.textContent = column.type;
    th.appendChild(type);
    head.appendChild(th);
  }
  const body = table.createTBody();
  for (const row of rows) {
    const tr = body.insertRow();
    row.forEach((value, i) => {
      const td = tr.insertCell();
      if (value === null) { td.textContent = "NULL"; td.className = "null"; return; }
      td.textContent = typeof value === "object" ? JSON.stringify(value) : String(value);
      if (NUMERIC.test(columns[i].type)) td.className = "num";
    });
  }
  return table;
}

// Which chart fits: x is the first column; y the first numeric column after it. A text x gets
// bars, a numeric or temporal x a line. Null when nothing fits.
function chooseChart(columns, rows) {
  if (columns.length < 2 || rows.length === 0 || rows.length > MAX_CHART_ROWS) return null;
  const y = columns.findIndex((c, i) => i > 0 && NUMERIC.test(c.type));
  if (y < 0) return null;
  const xType = columns[0].type;
  const kind = NUMERIC.test(xType) || TEMPORAL.test(xType) ? "line" : "bar";
  return { kind, x: 0, y, label: columns[y].name };
}

const SVG = "http://www.w3.org/2000/svg";
function svg(tag, attributes, parent) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attributes)) node.setAttribute(k, v);
  if (parent) parent.appendChild(node);
  return node;
}

function renderChart(columns, rows) {
  const choice = chooseChart(columns, rows);
  if (!choice) return null;
  const width = 640, height = 240, left = 48, bottom = 28, top = 12;
  const values = rows.map((r) => Number(r[choice.y]));
  const max = Math.max(0, ...values), min = Math.min(0, ...values);
  const span = max - min || 1;
  const yOf = (v) => top + (height - top - bottom) * (1 - (v - min) / span);
  const root = svg("svg", { width, height, viewBox: `0 0 ${width} ${height}`,
                            "data-kind": choice.kind, role: "img" });
  svg("text", { x: 4, y: top + 4 }, root).textContent = String(max);
  svg("text", { x: 4, y: height - bottom }, root).textContent = String(min);
  svg("line", { x1: left, y1: yOf(0), x2: width, y2: yOf(0), stroke: "#d9dde5" }, root);
  const step = (width - left) / rows.length;
  if (choice.kind === "bar") {
    rows.forEach((row, i) => {
      const v = values[i];
      const bar = svg("rect", { class: "bar", x: left + i * step + step * 0.1, width: step * 0.8,
                                y: Math.min(yOf(v), yOf(0)), height: Math.abs(yOf(v) - yOf(0)) },
                      root);
      svg("title", {}, bar).textContent = `${row[choice.x]}: ${v}`;
      if (rows.length <= 30) {
        svg("text", { x: left + i * step + step / 2, y: height - 8, "text-anchor": "middle" },
            root).textContent = String(row[choice.x]).slice(0, 10);
      }
    });
  } else {
    const points = values.map((v, i) => `${left + i * step + step / 2},${yOf(v)}`).join(" ");
    svg("polyline", { class: "line", points }, root);
  }
  return root;
}

function history() {
  return JSON.parse(sessionStorage.getItem(HISTORY_KEY) || "[]");
}

function remember(sql) {
  const list = history().filter((q) => q !== sql);
  list.unshift(sql);
  sessionStorage.setItem(HISTORY_KEY, JSON.stringify(list.slice(0, 50)));
  renderHistory();
}

function renderHistory() {
  const ol = $("history");
  ol.replaceChildren();
  for (const sql of history()) {
    const li = document.createElement("li");
    li.textContent = sql.length > 80 ? sql.slice(0, 77) + "…" : sql;
    li.title = sql;
    li.onclick = () => { $("editor").value = sql; $("editor").focus(); };
    ol.appendChild(li);
  }
}

async function run(explain) {
  const sql = $("editor").value.trim();
  if (!sql) return;
  showError(null);
  $("plan").hidden = true;
  $("status").textContent = "running…";
  const started = performance.now();
  const { status, data } = await api("/api/query",
    { sql: explain ? "EXPLAIN " + sql : sql, limit: 10000 });
  $("status").textContent = "";
  if (status !== 200) { showError(data.error); return; }
  remember(sql);
  if (data.error) showError(data.error);
  $("result").replaceChildren();
  $("chart").replaceChildren();
  const ms = (performance.now() - started).toFixed(0);
  if (explain) {
    const plan = $("plan");
    plan.textContent = data.rows.map((r) => r[r.length - 1]).join("\n");
    plan.hidden = false;
  } else if (data.columns.length > 0) {
    const chart = renderChart(data.columns, data.rows);
    if (chart) $("chart").appendChild(chart);
    $("result").appendChild(renderTable(data.columns, data.rows));
  }
  const more = data.truncated ? " (truncated)" : "";
  $("status").textContent = `${data.command || data.row_count + " rows"}${more} · ${ms} ms`;
  $("status").dataset.rows = data.row_count;
  loadTables();
}

async function loadTables() {
  const { status, data } = await api("/api/tables");
  if (status !== 200) return;
  const ul = $("tables");
  ul.replaceChildren();
  for (const table of data) {
    const li = document.createElement("li");
    const name = table.schema === "main" ? table.name : `${table.schema}.${table.name}`;
    li.textContent = name + " ";
    const info = document.createElement("small");
    info.textContent = `${table.columns.length} cols · ~${table.estimated_rows} rows`;
    li.appendChild(info);
    li.title = table.columns.map((c) => `${c.name} ${c.type}`).join("\n");
    li.onclick = () => { $("editor").value = `SELECT * FROM ${name} LIMIT 100`; run(false); };
    ul.appendChild(li);
  }
}

async function checkServer() {
  try {
    const response = await fetch("/ready");
    $("server-status").textContent = response.ok ? "ready" : "not ready";
  } catch (e) {
    $("server-status").textContent = "unreachable";
  }
}

$("run").onclick = () => run(false);
$("explain").onclick = () => run(true);
$("editor").addEventListener("keydown", (event) => {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    run(false);
  }
});
$("token-button").onclick = () => {
  const token = prompt("API token (from SELECT augur_create_api_token('role')):",
                       sessionStorage.getItem(TOKEN_KEY) || "");
  if (token !== null) sessionStorage.setItem(TOKEN_KEY, token.trim());
  loadTables();
};
checkServer();
renderHistory();
loadTables();
