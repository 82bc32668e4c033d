// savepoint_rewrite.h: SAVEPOINT, RELEASE, ROLLBACK TO and SET LOCAL, which DuckDB's parser
// rejects, rewritten into SET statements that the session answers itself (savepoints.h). Apart
// from savepoints.h because the rewrites build without DuckDB (augur_engine_base).
#pragma once

#include <string>
#include <string_view>

#include "engine/pg/sql_lexer.h"

namespace augur::engine {

inline constexpr std::string_view kSavepoint = "augur.savepoint";
inline constexpr std::string_view kRelease = "augur.release_savepoint";
inline constexpr std::string_view kRollbackTo = "augur.rollback_to_savepoint";
inline constexpr std::string_view kLocal = "augur.local.";  // SET LOCAL x: SET augur.local.x

// SAVEPOINT n, RELEASE [SAVEPOINT] n, ROLLBACK [WORK|TRANSACTION] TO [SAVEPOINT] n and
// SET LOCAL x ..., as SET augur.savepoint = 'n' (etc.) and SET augur.local.x ...; false when `s`
// is none of them.
bool RewriteSavepointCommand(const LexedStatement& s, std::string& out);

}  // namespace augur::engine
