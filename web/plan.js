// plan.js: EXPLAIN and EXPLAIN ANALYZE drawn as a tree. The console asks DuckDB for its plan as
// JSON (EXPLAIN (FORMAT JSON) / EXPLAIN (ANALYZE, FORMAT JSON)): each operator with its details,
// and after ANALYZE its rows and time, with a bar for its share of the slowest operator's.
function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export function explainSql(statement, analyze) {
  return `EXPLAIN (${analyze ? "ANALYZE, " : ""}FORMAT JSON) ${statement}`;
}

function formatSeconds(s) {
  return s >= 1 ? `${s.toFixed(2)} s` : `${(s * 1000).toFixed(s >= 0.01 ? 1 : 3)} ms`;
}

function extraText(extra) {
  if (!extra || typeof extra !== "object") return [];
  return Object.entries(extra).map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(", ") : v}`);
}

function maxTiming(node) {
  return Math.max(node.operator_timing || 0, ...(node.children || []).map(maxTiming));
}

function totalTiming(node) {
  return (node.operator_timing || 0) + (node.children || []).reduce((s, c) => s + totalTiming(c), 0);
}

function drawNode(node, slowest) {
  const li = el("li");
  const box = el("div", "plan-node");
  const name = (node.operator_name || node.operator_type || node.name || "?").trim();
  box.appendChild(el("strong", "op", name));
  if (node.operator_timing !== undefined) {
    box.appendChild(el("span", "time", formatSeconds(node.operator_timing)));
    box.appendChild(el("span", "rows", `${node.operator_cardinality} rows`));
    const bar = el("span", "time-bar");
    bar.style.width = `${slowest > 0 ? Math.max(1, (100 * node.operator_timing) / slowest) : 0}%`;
    box.appendChild(bar);
  }
  for (const line of extraText(node.extra_info)) box.appendChild(el("div", "extra", line));
  li.appendChild(box);
  if (node.children && node.children.length) {
    const ul = el("ul");
    for (const child of node.children) ul.appendChild(drawNode(child, slowest));
    li.appendChild(ul);
  }
  return li;
}

// Draws the rows of an EXPLAIN (FORMAT JSON) result into `container`; plain text when the plan
// is not JSON.
export function renderPlan(container, rows) {
  container.replaceChildren();
  const text = rows.map((r) => r[r.length - 1]).join("\n");
  let plan;
  try {
    plan = JSON.parse(text);
  } catch (e) {
    container.appendChild(el("pre", "plan-text", text));
    return;
  }
  const roots = Array.isArray(plan) ? plan : plan.children || [];
  if (!Array.isArray(plan) && plan.children) {
    // DuckDB leaves the root's latency at 0 here: the operators' times add up to the total.
    const total = plan.latency || roots.reduce((sum, node) => sum + totalTiming(node), 0);
    container.appendChild(el("div", "plan-total", `Total time: ${formatSeconds(total)}`));
  }
  const slowest = Math.max(0, ...roots.map(maxTiming));
  const ul = el("ul", "plan-tree");
  for (const node of roots) ul.appendChild(drawNode(node, slowest));
  container.appendChild(ul);
}
