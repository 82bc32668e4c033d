// statement_progress.cpp: see statement_progress.h.
#include "engine/progress/statement_progress.h"

#include "duckdb/main/client_config.hpp"
#include "duckdb/main/client_context.hpp"

namespace augur::engine {

void EnableProgressTracking(duckdb::ClientContext& context) {
  auto& config = duckdb::ClientConfig::GetConfig(context);
  config.enable_progress_bar = true;
  config.print_progress_bar = false;  // no display: DuckDB never writes to the server's terminal
}

StatementProgress ReadStatementProgress(duckdb::ClientContext& context) {
  duckdb::QueryProgress progress = context.GetQueryProgress();
  StatementProgress out;
  double percent = progress.GetPercentage();
  // -1: DuckDB has not been able to estimate yet (a pipeline without a progress figure). No
  // rows to process: the statement has just started (DuckDB's figures are reset to zeros before
  // its first task runs).
  if (percent < 0 || progress.GetTotalRowsToProcess() == 0) return out;
  out.percent = percent > 100.0 ? 100.0 : percent;
  out.rows_processed = static_cast<int64_t>(progress.GetRowsProcesseed());
  out.rows_total = static_cast<int64_t>(progress.GetTotalRowsToProcess());
  return out;
}

}  // namespace augur::engine
