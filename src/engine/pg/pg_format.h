// pg_format.h: PostgreSQL's format(formatstr, args...) (%s %I %L %%, positions n$, the - flag,
// widths n, * and *n$). DuckDB's format() takes {}-style patterns, so format('%s', 1) answered
// '%s'; pg_values.cpp registers this one under the name format (DuckDB's printf stays).
// Hand-written: the rules are PostgreSQL's text_format (src/backend/utils/adt/varlena.c).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "augur/result.h"

namespace augur::engine {

// One argument: its PostgreSQL text form, or nullopt for NULL.
using FormatArg = std::optional<std::string>;

// Widths beyond this fail with 54000 rather than allocating without bound.
inline constexpr size_t kMaxFormatWidth = size_t{1} << 24;

// `quote_ident` quotes an identifier as PostgreSQL's quote_ident does.
Result<std::string> PgFormat(std::string_view format, const std::vector<FormatArg>& args,
                             const std::function<std::string(const std::string&)>& quote_ident);

// quote_literal's rule: '...' with quotes doubled; E'...' with backslashes doubled if any.
std::string PgQuoteLiteral(std::string_view text);

}  // namespace augur::engine
