// metrics_page.h: GET /metrics, Prometheus text format: the process-wide registry (HTTP
// requests and latencies, sessions) plus figures read from the engine at scrape time (each
// LEARNED index's keys, segments, max error, bytes, delta and retrains, from augur_indexes()).
#pragma once

#include <string>

#include "augur/engine.h"

namespace augur::http {

Result<std::string> RenderMetrics(Database& database);

}  // namespace augur::http
