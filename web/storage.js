// storage.js: the query history and the saved queries, kept in localStorage so that they outlive
// the tab and the browser session (per browser and per server origin).
const HISTORY_KEY = "augur.history";
const SAVED_KEY = "augur.saved";
const MAX_HISTORY = 100;

function read(key) {
  try {
    const value = JSON.parse(localStorage.getItem(key) || "[]");
    return Array.isArray(value) ? value : [];
  } catch (e) {
    return [];  // another page wrote something else there: start again
  }
}

// Newest first: [{sql, at (ms since epoch)}].
export function history() {
  return read(HISTORY_KEY).filter((h) => h && typeof h.sql === "string");
}

export function remember(sql) {
  const list = history().filter((h) => h.sql !== sql);
  list.unshift({ sql, at: Date.now() });
  localStorage.setItem(HISTORY_KEY, JSON.stringify(list.slice(0, MAX_HISTORY)));
}

export function clearHistory() {
  localStorage.removeItem(HISTORY_KEY);
}

// By name: [{name, sql}].
export function saved() {
  return read(SAVED_KEY).filter((s) => s && typeof s.name === "string" && typeof s.sql === "string");
}

export function save(name, sql) {
  const list = saved().filter((s) => s.name !== name);
  list.push({ name, sql });
  list.sort((a, b) => a.name.localeCompare(b.name));
  localStorage.setItem(SAVED_KEY, JSON.stringify(list));
}

export function forget(name) {
  localStorage.setItem(SAVED_KEY, JSON.stringify(saved().filter((s) => s.name !== name)));
}
