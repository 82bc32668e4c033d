// metrics_page.h: GET /metrics, Prometheus text format: the process-wide registry (HTTP
// requests and latencies, sessions) plus figures read from the engine at scrape time (each
// LEARNED index's keys, segments, max error, bytes, delta and retrains, from augur_indexes(), and
// the sizes of the database file and its WAL, the running statements and their progress).
#pragma once

#include <string>

#include "augur/engine.h"

namespace augur::http {

// `data_dir` (may be empty: in memory) gives the database and WAL file sizes.
Result<std::string> RenderMetrics(Database& database, const std::string& data_dir);

}  // namespace augur::http
