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

}  // namespace augur::engine::fast_path
