// execution_counts.h: /metrics counters of statements the engine ran, by path.
//
// augur_engine_executions_total{path="fast_path"} counts key lookups answered by the fast path
// (key_lookup.h), {path="planner"} every statement DuckDB's planner ran.
// augur_engine_inline_executions_total counts statements answered on the connection's I/O thread
// (Session::TryExecuteInline), augur_engine_prepare_reuses_total Prepares answered with an
// earlier prepared statement of the same text (recent_prepares.h).
#pragma once

namespace augur::engine::fast_path {

void CountFastPathExecution();
void CountPlannerExecution();
void CountInlineExecution();
void CountPrepareReuse();

}  // namespace augur::engine::fast_path
