// materialized_view_rewrite.h: CREATE / REFRESH / DROP MATERIALIZED VIEW, which DuckDB lacks.
// A materialized view becomes a table filled from its query, the query recorded in
// pg_augur.matviews; the statements become `SET augur.matview = '<verb>\n...'`, which the
// session carries out (materialized_views.cpp): REFRESH re-fills the table in one transaction.
#pragma once

#include <string>
#include <string_view>

#include "engine/pg/sql_lexer.h"

namespace augur::engine {

inline constexpr std::string_view kMatviewSetting = "augur.matview";
inline constexpr const char* kAugurMatviews = "pg_augur.matviews";

// True, with the SET statement in `out`, for the three statements.
bool RewriteMaterializedView(const LexedStatement& s, std::string& out);

}  // namespace augur::engine
