// types.js: what a result column's type (DuckDB's name for it, as the REST API reports it) is
// good for. Whole-name matches only: INTEGER[] (an array) or STRUCT(...) is not a number.
const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|REAL|DECIMAL(\(\d+,\s*\d+\))?|NUMERIC(\(\d+,\s*\d+\))?)$/;
const TEMPORAL = /^(DATE|TIMESTAMP|TIMESTAMP WITH TIME ZONE|TIMESTAMP_S|TIMESTAMP_MS|TIMESTAMP_NS|TIMESTAMPTZ)$/;

export function isNumericType(type) {
  return NUMERIC.test(type);
}

export function isTemporalType(type) {
  return TEMPORAL.test(type);
}

// A date or timestamp's text ("2026-01-02", "2026-01-02 03:04:05.5", "...+01") as milliseconds
// on a UTC clock showing the same wall time: the axis labels then read like the table. NaN for
// what does not parse (infinity, BC dates).
export function temporalValue(text) {
  const m = /^(\d{4,})-(\d\d)-(\d\d)(?:[ T](\d\d):(\d\d)(?::(\d\d)(\.\d+)?)?)?/.exec(String(text));
  if (!m || /BC$/.test(text)) return NaN;
  const ms = m[7] ? Math.round(Number(m[7]) * 1000) : 0;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] || 0),
                  Number(m[5] || 0), Number(m[6] || 0), ms);
}
