// execution_counts.h: /metrics counters of statements the engine ran, by path.
//
// augur_engine_executions_total{path="fast_path"} counts key lookups answered by the fast path
// (key_lookup.h), {path="planner"} every statement DuckDB's planner ran.
#pragma once

namespace augur::engine::fast_path {

void CountFastPathExecution();
void CountPlannerExecution();

}  // namespace augur::engine::fast_path
