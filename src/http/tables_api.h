// tables_api.h: GET /api/tables and GET /api/tables/{name}: what a browser of the database needs
// to know about each user table.
//
// List: [{"schema", "name", "estimated_rows", "columns": [{"name", "type", "nullable"}],
//         "primary_key": [...], "indexes": [{"name", "type", "columns", "unique", ...}]}]
// One table adds "row_count" (exact) and "bytes_on_disk" (persisted blocks it uses). LEARNED
// indexes carry their model figures (keys, segments, max_error, bytes) from augur_indexes().
// A name may be qualified ("analytics.events"); an unknown one answers 404 (42P01).
#pragma once

#include <optional>
#include <string>

#include "augur/engine.h"

namespace augur::http {

Result<std::string> RunTablesRequest(Database& database, const std::optional<std::string>& name);

}  // namespace augur::http
