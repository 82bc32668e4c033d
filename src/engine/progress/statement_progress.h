// statement_progress.h: how far a session's running statement has got, from DuckDB's own
// estimate (QueryProgress: percentage, rows processed, rows to process), for pg_stat_activity's
// progress columns and the /metrics gauges.
//
// DuckDB computes the estimate only with the context's progress bar enabled; its printing stays
// off. The figures are atomics DuckDB updates on the session's thread each time it runs a task,
// so another session may read them at any time.
#pragma once

#include <cstdint>
#include <optional>

namespace duckdb {
class ClientContext;
}

namespace augur::engine {

struct StatementProgress {
  std::optional<double> percent;  // 0..100; nullopt until DuckDB can estimate it
  std::optional<int64_t> rows_processed;
  std::optional<int64_t> rows_total;
};

// Turns DuckDB's progress estimate on for `context`, without the terminal bar.
void EnableProgressTracking(duckdb::ClientContext& context);

// The estimate for the statement `context` runs or ran last: callers read it only while the
// session reports the statement as running.
StatementProgress ReadStatementProgress(duckdb::ClientContext& context);

}  // namespace augur::engine
