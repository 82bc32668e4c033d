// chart.js: a chart of a result, chosen by its column types, in plain SVG. The x axis is a time
// axis for a date or timestamp column (points placed by time, labelled in calendar steps), a
// number axis for a numeric column, categories for text; y holds one series per numeric column
// picked. Bar, line and scatter; a column picker. Only numeric columns are ever read as numbers
// (an array or a string of digits is not).
import { isNumericType, isTemporalType, temporalValue } from "./types.js";

const MAX_POINTS = 10000;
const MAX_BARS = 200;  // more categories than this make a smear, not a chart
const COLORS = ["#2f6fdf", "#e4572e", "#29a36a", "#8e44ad", "#f0a202", "#17becf"];
const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 760, HEIGHT = 280, LEFT = 64, RIGHT = 16, TOP = 14, BOTTOM = 44;

function svg(tag, attributes, parent) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attributes)) node.setAttribute(k, v);
  if (parent) parent.appendChild(node);
  return node;
}

function axisKind(type) {
  return isTemporalType(type) ? "time" : isNumericType(type) ? "number" : "category";
}

export function chartable(columns, rows) {
  if (columns.length < 2 || rows.length === 0 || !columns.some((c) => isNumericType(c.type))) {
    return false;
  }
  return !(defaultChoice(columns, rows).kind === "bar" && rows.length > MAX_BARS);
}

// The first choice: x the first date/timestamp column, else the first text column, else the
// first column; y every other numeric column (at most six).
export function defaultChoice(columns, rows) {
  let x = columns.findIndex((c) => isTemporalType(c.type));
  if (x < 0) x = columns.findIndex((c) => !isNumericType(c.type));
  if (x < 0) x = 0;
  const ys = columns.map((c, i) => i).filter((i) => i !== x && isNumericType(columns[i].type))
    .slice(0, COLORS.length);
  const kind = axisKind(columns[x].type);
  let chart = kind === "category" ? "bar" : "line";
  if (kind === "number") {  // unordered numbers make a scatter, not a scribble
    const xs = rows.slice(0, MAX_POINTS).map((r) => Number(r[x]));
    if (xs.some((v, i) => i > 0 && v < xs[i - 1])) chart = "scatter";
  }
  return { kind: chart, x, ys };
}

export function renderChart(container, columns, rows) {
  let choice = defaultChoice(columns, rows);
  const controls = document.createElement("div");
  controls.className = "chart-controls";
  const draw = () => {
    container.querySelector("svg")?.remove();
    container.appendChild(drawChart(columns, rows, choice));
  };

  const kind = document.createElement("select");
  kind.id = "chart-kind";
  kind.setAttribute("aria-label", "chart kind");
  for (const k of ["bar", "line", "scatter"]) kind.add(new Option(k, k, false, k === choice.kind));
  kind.onchange = () => { choice = { ...choice, kind: kind.value }; draw(); };

  const x = document.createElement("select");
  x.id = "chart-x";
  x.setAttribute("aria-label", "x column");
  columns.forEach((c, i) => x.add(new Option(`x: ${c.name}`, i, false, i === choice.x)));
  x.onchange = () => {
    choice = { ...choice, x: Number(x.value), ys: choice.ys.filter((i) => i !== Number(x.value)) };
    draw();
  };

  const ys = document.createElement("span");
  ys.id = "chart-y";
  columns.forEach((c, i) => {
    if (!isNumericType(c.type)) return;
    const label = document.createElement("label");
    const box = document.createElement("input");
    box.type = "checkbox";
    box.value = i;
    box.checked = choice.ys.includes(i);
    box.onchange = () => {
      const picked = [...ys.querySelectorAll("input:checked")].map((b) => Number(b.value));
      choice = { ...choice, ys: picked.filter((j) => j !== choice.x) };
      draw();
    };
    label.append(box, " " + c.name);
    ys.appendChild(label);
  });
  controls.append(kind, x, ys);
  container.appendChild(controls);
  draw();
}

// Ticks for numbers: 1, 2 or 5 times a power of ten, about `count` of them.
function niceTicks(min, max, count = 5) {
  if (min === max) { min -= 1; max += 1; }
  const raw = (max - min) / count;
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) || raw;
  const ticks = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) {
    ticks.push(Number(v.toPrecision(12)));
  }
  return ticks;
}

// Calendar steps for a time axis, smallest first: [unit, how many, approximate ms].
const TIME_STEPS = [
  ["second", 1, 1e3], ["second", 5, 5e3], ["second", 15, 15e3], ["second", 30, 30e3],
  ["minute", 1, 6e4], ["minute", 5, 3e5], ["minute", 15, 9e5], ["minute", 30, 18e5],
  ["hour", 1, 36e5], ["hour", 3, 108e5], ["hour", 6, 216e5], ["hour", 12, 432e5],
  ["day", 1, 864e5], ["day", 2, 1728e5], ["day", 7, 6048e5], ["month", 1, 2592e6],
  ["month", 3, 7776e6], ["month", 6, 15552e6], ["year", 1, 31536e6], ["year", 5, 15768e7],
  ["year", 10, 31536e7], ["year", 50, 157680e7], ["year", 100, 315360e7],
];

function pad(n) {
  return String(n).padStart(2, "0");
}

// Ticks at whole calendar steps (UTC clock: see temporalValue) with labels that fit the step.
export function timeTicks(min, max, count = 9) {
  const span = Math.max(max - min, 1);
  const [unit, step] = TIME_STEPS.find(([, , ms]) => span / ms <= count) || TIME_STEPS.at(-1);
  const d = new Date(min);
  // Round down to the step.
  const fields = { second: 0, minute: 1, hour: 2, day: 3, month: 4, year: 5 };
  const level = fields[unit];
  if (level >= 0) d.setUTCMilliseconds(0);
  if (level >= 1) d.setUTCSeconds(0);
  if (level >= 2) d.setUTCMinutes(0);
  if (level >= 3) d.setUTCHours(0);
  if (level >= 4) d.setUTCDate(1);
  if (level >= 5) d.setUTCMonth(0);
  const floor = (value, by) => Math.floor(value / by) * by;
  if (unit === "second") d.setUTCSeconds(floor(d.getUTCSeconds(), step));
  if (unit === "minute") d.setUTCMinutes(floor(d.getUTCMinutes(), step));
  if (unit === "hour") d.setUTCHours(floor(d.getUTCHours(), step));
  if (unit === "month") d.setUTCMonth(floor(d.getUTCMonth(), step));
  if (unit === "year") d.setUTCFullYear(floor(d.getUTCFullYear(), step));
  const oneDay = new Date(min).toISOString().slice(0, 10) === new Date(max).toISOString().slice(0, 10);
  const label = (t) => {
    const v = new Date(t);
    const date = `${v.getUTCFullYear()}-${pad(v.getUTCMonth() + 1)}-${pad(v.getUTCDate())}`;
    const hm = `${pad(v.getUTCHours())}:${pad(v.getUTCMinutes())}`;
    switch (unit) {
      case "year": return String(v.getUTCFullYear());
      case "month": return date.slice(0, 7);
      case "day": return date;
      case "second": return `${hm}:${pad(v.getUTCSeconds())}`;
      default: return oneDay ? hm : `${date.slice(5)} ${hm}`;
    }
  };
  const ticks = [];
  for (let guard = 0; guard < 1000; ++guard) {
    const t = d.getTime();
    if (t > max) break;
    if (t >= min) ticks.push({ value: t, label: label(t) });
    if (unit === "second") d.setUTCSeconds(d.getUTCSeconds() + step);
    if (unit === "minute") d.setUTCMinutes(d.getUTCMinutes() + step);
    if (unit === "hour") d.setUTCHours(d.getUTCHours() + step);
    if (unit === "day") d.setUTCDate(d.getUTCDate() + step);
    if (unit === "month") d.setUTCMonth(d.getUTCMonth() + step);
    if (unit === "year") d.setUTCFullYear(d.getUTCFullYear() + step);
  }
  return ticks;
}

function formatNumber(v) {
  return Math.abs(v) >= 1e6 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(2)
    : String(Number(v.toPrecision(6)));
}

function drawChart(columns, allRows, choice) {
  const rows = allRows.slice(0, MAX_POINTS);
  const root = svg("svg", { width: WIDTH, height: HEIGHT, viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
                            "data-kind": choice.kind, role: "img" });
  if (choice.ys.length === 0) {
    svg("text", { x: LEFT, y: HEIGHT / 2, class: "note" }, root).textContent =
      "pick a numeric column for y";
    return root;
  }
  const xType = axisKind(columns[choice.x].type);
  const xAxis = choice.kind === "bar" ? "category" : xType === "category" ? "index" : xType;
  root.dataset.xAxis = xAxis;
  const xValue = (row, i) => xAxis === "time" ? temporalValue(row[choice.x])
    : xAxis === "number" ? Number(row[choice.x]) : i;
  const points = rows.map((row, i) => ({ x: xValue(row, i), row }))
    .filter((p) => Number.isFinite(p.x));  // NULL, infinity and BC dates have no place
  if (xAxis !== "category" && xAxis !== "index") points.sort((a, b) => a.x - b.x);

  const values = [];
  for (const p of points) for (const y of choice.ys) {
    const v = Number(p.row[y]);
    if (p.row[y] !== null && Number.isFinite(v)) values.push(v);
  }
  let yMin = Math.min(0, ...values), yMax = Math.max(0, ...values);
  if (choice.kind !== "bar" && values.length) {  // lines and dots need not start at zero
    yMin = Math.min(...values);
    yMax = Math.max(...values);
  }
  const yTicks = niceTicks(yMin, yMax);
  yMin = Math.min(yMin, yTicks[0]);
  yMax = Math.max(yMax, yTicks.at(-1));
  const plotH = HEIGHT - TOP - BOTTOM, plotW = WIDTH - LEFT - RIGHT;
  const yOf = (v) => TOP + plotH * (1 - (v - yMin) / (yMax - yMin || 1));

  const xs = points.map((p) => p.x);
  const xMin = Math.min(...xs), xMax = Math.max(...xs);
  const band = plotW / Math.max(points.length, 1);
  const xOf = xAxis === "category" || xAxis === "index" ? (p, i) => LEFT + band * (i + 0.5)
    : (p) => LEFT + plotW * (xMax === xMin ? 0.5 : (p.x - xMin) / (xMax - xMin));

  // Axes and labels.
  for (const t of yTicks) {
    svg("line", { x1: LEFT, x2: WIDTH - RIGHT, y1: yOf(t), y2: yOf(t), class: "grid" }, root);
    svg("text", { x: LEFT - 6, y: yOf(t) + 4, "text-anchor": "end", class: "y-tick" }, root)
      .textContent = formatNumber(t);
  }
  svg("line", { x1: LEFT, x2: LEFT, y1: TOP, y2: TOP + plotH, class: "axis" }, root);
  svg("line", { x1: LEFT, x2: WIDTH - RIGHT, y1: TOP + plotH, y2: TOP + plotH, class: "axis" }, root);
  let xTicks;
  if (xAxis === "time") {
    xTicks = timeTicks(xMin, xMax).map((t) => ({ at: xOf({ x: t.value }), label: t.label }));
  } else if (xAxis === "number") {
    xTicks = niceTicks(xMin, xMax, 7).filter((t) => t >= xMin && t <= xMax)
      .map((t) => ({ at: xOf({ x: t }), label: formatNumber(t) }));
  } else {
    const every = Math.ceil(points.length / Math.max(1, Math.floor(plotW / 72)));
    xTicks = points.map((p, i) => ({ at: xOf(p, i), label: p.row[choice.x] === null ? "NULL"
      : String(p.row[choice.x]).slice(0, 10), i })).filter((t) => t.i % every === 0);
  }
  for (const t of xTicks) {
    svg("line", { x1: t.at, x2: t.at, y1: TOP + plotH, y2: TOP + plotH + 4, class: "axis" }, root);
    svg("text", { x: t.at, y: TOP + plotH + 16, "text-anchor": "middle", class: "x-tick" }, root)
      .textContent = t.label;
  }
  svg("text", { x: LEFT + plotW / 2, y: HEIGHT - 6, "text-anchor": "middle", class: "x-title" },
      root).textContent = columns[choice.x].name;

  // Series.
  choice.ys.forEach((y, s) => {
    const color = COLORS[s % COLORS.length];
    const series = svg("g", { class: "series", "data-column": columns[y].name }, root);
    if (choice.kind === "bar") {
      const width = (band * 0.8) / choice.ys.length;
      points.forEach((p, i) => {
        if (p.row[y] === null || !Number.isFinite(Number(p.row[y]))) return;
        const v = Number(p.row[y]);
        const bar = svg("rect", { class: "bar", fill: color, width,
          x: LEFT + band * i + band * 0.1 + width * s,
          y: Math.min(yOf(v), yOf(0)), height: Math.abs(yOf(v) - yOf(0)) }, series);
        svg("title", {}, bar).textContent = `${p.row[choice.x]}, ${columns[y].name}: ${v}`;
      });
    } else {
      const placed = points.map((p, i) => ({ p, i }))
        .filter(({ p }) => p.row[y] !== null && Number.isFinite(Number(p.row[y])))
        .map(({ p, i }) => [xOf(p, i), yOf(Number(p.row[y]))]);
      if (choice.kind === "line") {
        svg("polyline", { class: "line", stroke: color,
          points: placed.map(([a, b]) => `${a.toFixed(1)},${b.toFixed(1)}`).join(" ") }, series);
      } else {
        for (const [a, b] of placed) svg("circle", { class: "dot", cx: a, cy: b, r: 2.5, fill: color }, series);
      }
    }
    const legend = svg("text", { x: LEFT + 8 + s * 120, y: TOP + 10, class: "legend" }, root);
    legend.style.fill = color;  // over the stylesheet's grey for chart text
    legend.textContent = "■ " + columns[y].name;
  });
  if (allRows.length > MAX_POINTS) {
    svg("text", { x: WIDTH - RIGHT, y: TOP + 10, "text-anchor": "end", class: "note" }, root)
      .textContent = `first ${MAX_POINTS} rows`;
  }
  return root;
}
