// sql_quoting.h: writing a value into SQL text as a string literal or an identifier.
//
// Every layer builds SQL for DuckDB or for a client (the rewrites, COPY, cursors, the HTTP API,
// the backup commands); they all quote here, so that a quote, a backslash or a NUL in a name or
// a value means the same thing everywhere. Pure functions, no DuckDB.
#pragma once

#include <string>
#include <string_view>

namespace augur {

// `text` between two `quote`s, each `quote` inside it doubled: SQL's rule for string literals (')
// and quoted identifiers ("), and CSV's for quoted fields (").
std::string Enclose(std::string_view text, char quote);
void AppendEnclosed(std::string& out, std::string_view text, char quote);

// A standard string literal, 'text' with '' for each quote. A backslash stays a backslash:
// standard_conforming_strings, PostgreSQL's default and DuckDB's only reading.
std::string QuoteLiteral(std::string_view text);

// A quoted identifier, "name" with "" for each double quote; exactly `name` once read back.
std::string QuoteIdentifier(std::string_view name);

// `name` as PostgreSQL's quote_ident() prints it: as it is when it is lower-case letters, digits
// and underscores, does not start with a digit and is not a keyword PostgreSQL 15 reserves in
// any way (reserved, type or function name, column name); quoted otherwise.
std::string QuoteIdentifierIfNeeded(std::string_view name);

}  // namespace augur
