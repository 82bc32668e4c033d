// pg_value_rewrite.h: token rewrites where DuckDB's parser would give a PostgreSQL statement a
// different value (issue 17), run before the other rewrites of pg_rewrite.cpp.
//
//  - 'text'::bytea, CAST('text' AS bytea) and bytea 'text': DuckDB's parser turns a string
//    constant cast to BLOB into bytes itself, in DuckDB's escape format, before any cast function
//    is consulted. An intermediate ::VARCHAR makes it an ordinary cast, which reads PostgreSQL's
//    hex and escape forms (pg_values.cpp).
//  - x SIMILAR TO 'pattern' [ESCAPE 'c']: DuckDB reads the pattern as a regular expression;
//    PostgreSQL's SQL pattern (% _ and regex operators) is translated to one, as PostgreSQL's
//    similar_to_escape does. A pattern that is a column or parameter is wrapped in
//    pg_similar_to_regex(), which does the same at run time.
//  - x LIKE 'pattern' with a backslash in the pattern gets ESCAPE '\': PostgreSQL's default
//    escape character, where DuckDB has none.
//  - numeric and decimal without a precision, anywhere a type is named: DECIMAL(38,10)
//    (pg_numeric_text.h) instead of DuckDB's DECIMAL(18,3).
//  - x::varchar(n), CAST(x AS varchar(n)) and the char(n) forms cut x to n characters
//    (pg_varchar_cut / pg_bpchar_cut); varchar(n) and char(n) columns of CREATE TABLE get a
//    CHECK (pg_varchar_fits(...)) that raises PostgreSQL's 22001. DuckDB drops the length.
//  - generate_series(...) and the jsonb set-returning functions in a select list: PostgreSQL
//    returns a row per value, their scalar forms here one list. Each becomes unnest(f(...)); in
//    FROM they are table functions (or pg_jsonb_rewrite's subqueries) and stay.
//  - substring(s FROM 'pattern') and substring(s, 'pattern'): PostgreSQL's regular-expression
//    substring (the first capture group's match, else the whole match; NULL when nothing
//    matches), where DuckDB reads the literal as a start position.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "augur/result.h"

namespace augur::engine {

// Whether `function` (lower case) is a set-returning function that a select list unnests.
bool IsSetReturningInSelectList(std::string_view function);

// The statement text with the rewrites applied (or unchanged).
std::string RewritePgValues(std::string_view sql);

// PostgreSQL's SQL-regex pattern as a regular expression matching the whole string. `escape` is
// the escape character; nullopt means none (ESCAPE ''). A Result for errors to come; today every
// pattern translates (PostgreSQL 15 drops a trailing escape character).
Result<std::string> SimilarToRegex(std::string_view pattern, std::optional<char> escape = '\\');

}  // namespace augur::engine
