// schema.js: the schema tree: tables and views, their columns with types, and the tables'
// indexes (LEARNED ones with their figures from augur_indexes(): keys, segments, max error,
// bytes), with a search box that filters by any of those names. Every name goes into the page as
// text, never as HTML.
import { api } from "./api.js";

let objects = [];  // [{kind: "table"|"view", schema, name, columns, indexes, estimated_rows}]

const VIEWS_SQL =
  "SELECT v.schema_name, v.view_name, c.column_name, c.data_type " +
  "FROM duckdb_views() v LEFT JOIN duckdb_columns() c " +
  "ON c.schema_name = v.schema_name AND c.table_name = v.view_name " +
  "WHERE NOT v.internal ORDER BY 1, 2, c.column_index";

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export function quoteIdentifier(name) {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

// The schemas whose tables need no qualification (DuckDB's main is PostgreSQL's public).
const DEFAULT_SCHEMAS = new Set(["main", "public"]);

export function qualifiedName(object) {
  const name = quoteIdentifier(object.name);
  return DEFAULT_SCHEMAS.has(object.schema) ? name : `${quoteIdentifier(object.schema)}.${name}`;
}

function displayName(object) {
  return DEFAULT_SCHEMAS.has(object.schema) ? object.name : `${object.schema}.${object.name}`;
}

// Loads the catalog; answers the names for completion ({"table": ["column", ...]}) or null.
export async function loadSchema() {
  const [tables, views] = await Promise.all([
    api("/api/tables"),
    api("/api/query", { sql: VIEWS_SQL, limit: 100000 }),
  ]);
  if (tables.status !== 200) return null;
  const list = tables.data.map((t) => ({ kind: "table", ...t }));
  if (views.status === 200 && views.data.rows) {
    const byName = new Map();
    for (const [schema, name, column, type] of views.data.rows) {
      const key = schema + "." + name;
      if (!byName.has(key)) {
        byName.set(key, { kind: "view", schema, name, columns: [], indexes: [] });
      }
      if (column !== null) byName.get(key).columns.push({ name: column, type });
    }
    list.push(...byName.values());
  }
  list.sort((a, b) => (a.schema + "." + a.name).localeCompare(b.schema + "." + b.name));
  objects = list;
  renderSchema();
  const names = {};
  for (const o of objects) {
    const columns = o.columns.map((c) => c.name);
    names[displayName(o)] = columns;
  }
  return names;
}

function indexText(index) {
  const parts = [index.type];
  if (index.unique) parts.push("unique");
  if (index.columns && index.columns.length) parts.push(`(${index.columns.join(", ")})`);
  if (index.type === "LEARNED") {
    parts.push(`${index.keys} keys`, `${index.segments} segments`,
               `max error ${index.max_error}`, `${index.bytes} bytes`);
  }
  return parts.join(" · ");
}

function matches(object, needle) {
  if (!needle) return { self: true, any: true };
  const self = object.name.toLowerCase().includes(needle) ||
               object.schema.toLowerCase().includes(needle);
  const inside = object.columns.some((c) => c.name.toLowerCase().includes(needle)) ||
                 (object.indexes || []).some((i) => i.name.toLowerCase().includes(needle));
  return { self, any: self || inside };
}

// `onQuery(sql)`: what a click on an object's ▶ does (runs a SELECT of it).
let queryHandler = () => {};
export function onSchemaQuery(handler) {
  queryHandler = handler;
}

export function renderSchema() {
  const needle = document.getElementById("schema-search").value.trim().toLowerCase();
  const root = document.getElementById("schema");
  root.replaceChildren();
  for (const object of objects) {
    const match = matches(object, needle);
    if (!match.any) continue;
    const li = el("li", `schema-object ${object.kind}`);
    li.dataset.name = object.name;
    li.dataset.kind = object.kind;
    const details = el("details");
    details.open = Boolean(needle) && !match.self;  // opened to show the column or index found
    const summary = el("summary");
    summary.appendChild(el("span", "kind", object.kind === "view" ? "view" : "table"));
    const label = displayName(object);
    const peek = el("button", "peek", "▶");
    peek.title = `SELECT * FROM ${label} LIMIT 100`;
    peek.onclick = (event) => {
      event.preventDefault();
      queryHandler(`SELECT * FROM ${qualifiedName(object)} LIMIT 100`);
    };
    summary.appendChild(peek);
    summary.appendChild(el("span", "name", label));
    if (object.kind === "table") summary.appendChild(el("small", "", ` ~${object.estimated_rows}`));
    details.appendChild(summary);
    const columns = el("ul", "columns");
    for (const c of object.columns) {
      const item = el("li", "column");
      item.append(el("span", "name", c.name), el("small", "type", " " + c.type));
      columns.appendChild(item);
    }
    details.appendChild(columns);
    if (object.indexes && object.indexes.length) {
      const indexes = el("ul", "indexes");
      for (const index of object.indexes) {
        const item = el("li", `index ${index.type.toLowerCase()}`);
        item.dataset.name = index.name;
        item.append(el("span", "name", index.name), el("small", "", " " + indexText(index)));
        indexes.appendChild(item);
      }
      details.appendChild(indexes);
    }
    li.appendChild(details);
    root.appendChild(li);
  }
  if (!root.children.length) root.appendChild(el("li", "muted", needle ? "no match" : "no tables"));
}
