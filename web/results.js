// results.js: the results of a run, one tab per statement. A result holds at most the rows the
// console asked for (ROW_LIMIT); paging and sorting happen here, in the browser, over those rows
// (sorting is by the column's type: numbers as numbers, NULLs last ascending and first
// descending, as PostgreSQL orders them). Downloads (CSV, Parquet) run the statement again on the
// server and carry the whole result.
import { download } from "./api.js";
import { renderChart, chartable } from "./chart.js";
import { isNumericType } from "./types.js";

export const ROW_LIMIT = 200000;
const PAGE_SIZES = [50, 100, 500, 1000];

let results = [];
let current = -1;
const tabs = () => document.getElementById("tabs");
const panel = () => document.getElementById("tab-panel");

function el(tag, attributes = {}, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attributes)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

export function errorText(error) {
  let text = `${error.code}: ${error.message}`;
  if (error.detail) text += `\nDETAIL: ${error.detail}`;
  if (error.hint) text += `\nHINT: ${error.hint}`;
  if (error.position) text += `\n(at character ${error.position})`;
  return text;
}

function tabLabel(result, i) {
  if (result.skipped) return `${i + 1} · not run`;
  if (result.error) return `${i + 1} · ${result.error.code}`;
  return `${i + 1} · ${result.command || result.row_count + " rows"}`;
}

// Shows `list` (the results of /api/script, or one result), and opens the tab that matters: the
// failed statement's, else the last one's.
export function showResults(list) {
  results = list.map((r) => ({ ...r, page: 0, pageSize: 100, sort: null, order: null }));
  tabs().replaceChildren();
  results.forEach((result, i) => {
    const tab = el("button", { class: "tab", role: "tab", "data-index": i }, tabLabel(result, i));
    if (result.error) tab.classList.add("failed");
    if (result.skipped) tab.classList.add("skipped");
    tab.title = result.statement || "";
    tab.onclick = () => selectTab(i);
    tabs().appendChild(tab);
  });
  tabs().hidden = results.length < 2;
  const failed = results.findIndex((r) => r.error);
  selectTab(failed >= 0 ? failed : results.length - 1);
}

export function clearResults() {
  results = [];
  current = -1;
  tabs().replaceChildren();
  tabs().hidden = true;
  panel().replaceChildren();
}

export function selectTab(i) {
  current = i;
  [...tabs().children].forEach((tab, j) => {
    tab.classList.toggle("active", j === i);
    tab.setAttribute("aria-selected", j === i ? "true" : "false");
  });
  renderPanel();
}

function renderPanel() {
  const result = results[current];
  const root = panel();
  root.replaceChildren();
  if (!result) return;
  if (result.skipped) {
    root.appendChild(el("p", { class: "muted skipped-note" },
      "Not run: an earlier statement of the script failed."));
    return;
  }
  if (result.error) {
    root.appendChild(el("div", { class: "error-box" }, errorText(result.error)));
    return;
  }
  const ms = result.elapsed_ms !== undefined ? ` · ${result.elapsed_ms.toFixed(0)} ms` : "";
  const bar = el("div", { class: "result-bar" });
  bar.appendChild(el("span", { class: "muted result-info" },
    `${result.command || ""}${result.truncated ? ` (first ${result.row_count} rows kept)` : ""}${ms}`));
  root.appendChild(bar);
  if (!result.columns || result.columns.length === 0) return;
  if (/^SELECT/.test(result.command || "") && result.statement) {
    for (const format of ["csv", "parquet"]) {
      const button = el("button", { id: `download-${format}`, class: "small",
        title: "Runs the statement again and downloads its whole result" },
      format === "csv" ? "CSV ↓" : "Parquet ↓");
      button.onclick = async () => {
        button.disabled = true;
        const error = await download(result.statement, format, `result.${format}`);
        button.disabled = false;
        if (error) root.prepend(el("div", { class: "error-box" }, errorText(error)));
      };
      bar.appendChild(button);
    }
  }
  if (chartable(result.columns, result.rows)) {
    const chart = el("div", { id: "chart" });
    root.appendChild(chart);
    renderChart(chart, result.columns, result.rows);
  }
  root.appendChild(el("div", { id: "pager" }));  // above the table: no scrolling to page
  root.appendChild(el("div", { id: "result" }));
  renderTable();
}

// Row indexes in display order for the current sort.
function ordered(result) {
  if (!result.sort) return null;
  if (!result.order) {
    const { column, descending } = result.sort;
    const numeric = isNumericType(result.columns[column].type);
    const key = (v) => (numeric ? Number(v) : typeof v === "object" ? JSON.stringify(v) : v);
    const order = result.rows.map((_, i) => i);
    order.sort((a, b) => {
      const x = result.rows[a][column], y = result.rows[b][column];
      if (x === null || y === null) {
        if (x === y) return a - b;
        return (x === null) !== descending ? 1 : -1;  // NULLS LAST ascending, FIRST descending
      }
      const kx = key(x), ky = key(y);
      const c = kx < ky ? -1 : kx > ky ? 1 : 0;
      return (descending ? -c : c) || a - b;
    });
    result.order = order;
  }
  return result.order;
}

function sortBy(column) {
  const result = results[current];
  const same = result.sort && result.sort.column === column;
  // asc, then desc, then the server's order
  result.sort = !same ? { column, descending: false }
    : !result.sort.descending ? { column, descending: true } : null;
  result.order = null;
  result.page = 0;
  renderTable();
}

function renderTable() {
  const result = results[current];
  const { columns, rows } = result;
  const order = ordered(result);
  const pages = Math.max(1, Math.ceil(rows.length / result.pageSize));
  result.page = Math.min(result.page, pages - 1);
  const first = result.page * result.pageSize;
  const last = Math.min(rows.length, first + result.pageSize);

  const table = el("table");
  const head = table.createTHead().insertRow();
  columns.forEach((column, c) => {
    const th = el("th", { "data-column": c, title: "Sort by " + column.name });
    th.appendChild(document.createTextNode(column.name));
    if (result.sort && result.sort.column === c) {
      th.appendChild(el("span", { class: "sort" }, result.sort.descending ? " ▼" : " ▲"));
      th.setAttribute("aria-sort", result.sort.descending ? "descending" : "ascending");
    }
    th.appendChild(el("small", {}, column.type));
    th.onclick = () => sortBy(c);
    head.appendChild(th);
  });
  const body = table.createTBody();
  for (let i = first; i < last; ++i) {
    const row = rows[order ? order[i] : i];
    const tr = body.insertRow();
    row.forEach((value, c) => {
      const td = tr.insertCell();
      if (value === null) { td.textContent = "NULL"; td.className = "null"; return; }
      td.textContent = typeof value === "object" ? JSON.stringify(value) : String(value);
      if (isNumericType(columns[c].type)) td.className = "num";
    });
  }
  document.getElementById("result").replaceChildren(table);

  const pager = document.getElementById("pager");
  pager.replaceChildren();
  const go = (page) => () => { result.page = page; renderTable(); };
  const button = (id, label, page, disabled) => {
    const b = el("button", { id, class: "small" }, label);
    b.disabled = disabled;
    b.onclick = go(page);
    pager.appendChild(b);
  };
  button("first-page", "«", 0, result.page === 0);
  button("prev-page", "‹", result.page - 1, result.page === 0);
  pager.appendChild(el("span", { id: "page-info" },
    `rows ${rows.length ? first + 1 : 0}–${last} of ${rows.length} · page ${result.page + 1} of ${pages}`));
  button("next-page", "›", result.page + 1, result.page >= pages - 1);
  button("last-page", "»", pages - 1, result.page >= pages - 1);
  const size = el("select", { id: "page-size", "aria-label": "rows per page" });
  for (const n of PAGE_SIZES) {
    const option = el("option", { value: n }, `${n} / page`);
    if (n === result.pageSize) option.selected = true;
    size.appendChild(option);
  }
  size.onchange = () => { result.pageSize = Number(size.value); result.page = 0; renderTable(); };
  pager.appendChild(size);
}
