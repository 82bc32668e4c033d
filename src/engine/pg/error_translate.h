// error_translate.h: DuckDB errors -> augur::Error, the one place where that mapping lives.
#pragma once

#include <string_view>

#include "augur/error.h"

namespace duckdb {
class ErrorData;
}

namespace augur::engine {

// Key of a DuckDB exception's extra_info that carries a SQLSTATE chosen by augur's own code
// running inside DuckDB (table functions, extensions); TranslateError uses it as is.
inline constexpr const char* kSqlStateInfoKey = "augur_sqlstate";

// Raises `error` as a DuckDB exception from augur's code running inside DuckDB, its SQLSTATE
// carried under kSqlStateInfoKey so that the client sees exactly that code.
[[noreturn]] void ThrowError(const Error& error);

// Maps a DuckDB error to a PostgreSQL SQLSTATE and splits DuckDB's message into PostgreSQL's
// message / hint fields. `query` is the whole query string the client sent: DuckDB reports
// positions as 0-based byte offsets into it, PostgreSQL as 1-based character offsets.
Error TranslateError(const duckdb::ErrorData& error, std::string_view query);

// Same, for an exception caught at the engine boundary.
Error TranslateException(const std::exception& ex, std::string_view query);

}  // namespace augur::engine
