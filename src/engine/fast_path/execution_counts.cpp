// execution_counts.cpp: see execution_counts.h.
#include "engine/fast_path/execution_counts.h"

#include "common/metrics.h"

namespace augur::engine::fast_path {
namespace {

prometheus::Family<prometheus::Counter>& Family() {
  static auto& family = prometheus::BuildCounter()
                            .Name("augur_engine_executions_total")
                            .Help("Statements the engine ran, by path (fast_path or planner)")
                            .Register(metrics::Registry());
  return family;
}

}  // namespace

// Each counter is looked up once: the family's Add takes a lock.
void CountFastPathExecution() {
  static auto& counter = Family().Add({{"path", "fast_path"}});
  counter.Increment();
}

void CountPlannerExecution() {
  static auto& counter = Family().Add({{"path", "planner"}});
  counter.Increment();
}

void CountInlineExecution() {
  static auto& counter = prometheus::BuildCounter()
                             .Name("augur_engine_inline_executions_total")
                             .Help(
                                 "Statements answered on the connection's I/O thread, without "
                                 "a trip to the worker pool")
                             .Register(metrics::Registry())
                             .Add({});
  counter.Increment();
}

void CountPrepareReuse() {
  static auto& counter = prometheus::BuildCounter()
                             .Name("augur_engine_prepare_reuses_total")
                             .Help(
                                 "Prepares answered with the session's earlier prepared "
                                 "statement of the same text, without DuckDB's planner")
                             .Register(metrics::Registry())
                             .Add({});
  counter.Increment();
}

}  // namespace augur::engine::fast_path
