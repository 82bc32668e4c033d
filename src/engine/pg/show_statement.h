// show_statement.h: recognizes "SHOW name" by its text. DuckDB reads SHOW x as "describe table
// x", so SHOW of a setting is told apart before DuckDB plans it (session_settings.cpp). A plain
// scan, not std::regex: libstdc++'s regex matcher recurses once per character, and a statement
// of a few hundred kilobytes of blanks overflowed a worker thread's stack.
#pragma once

#include <string>
#include <string_view>

namespace augur::engine {

// The setting a statement shows, from its whole text (blanks and one ';' may surround it):
// "SHOW name" gives name as written (letters, digits, '_' and '.', not starting with a digit);
// "SHOW TRANSACTION ISOLATION LEVEL" gives "transaction_isolation" and "SHOW TIME ZONE"
// "TimeZone"; anything else "". Keywords are case-insensitive.
std::string ShowStatementName(std::string_view text);

}  // namespace augur::engine
