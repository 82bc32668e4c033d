// search_path.h: PostgreSQL's search_path, read the way PostgreSQL reads it.
//
// augur keeps search_path as a PostgreSQL setting (SHOW answers with the text the client set)
// and gives DuckDB the schemas it names. PostgreSQL reads the value as a comma-separated list of
// identifiers: unquoted names fold to lower case, "quoted" ones keep their case and may contain
// commas, "$user" stands for the session's role, and pg_catalog is searched first even when it
// is not listed (DuckDB always searches it, so it is left out of what DuckDB is given).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace augur::engine {

// One element of a search_path value.
struct SearchPathEntry {
  std::string schema;         // the schema's name, case-folded unless quoted
  bool is_user_role = false;  // "$user": the session's role name, used only if that schema exists
};

// The schemas `value` names, in order, without pg_catalog and pg_temp (DuckDB searches those
// itself). Malformed elements (an unterminated quote) end the list, as PostgreSQL refuses them.
std::vector<SearchPathEntry> ParseSearchPath(std::string_view value);

// The text PostgreSQL stores for SET search_path TO a, "B", 'c': each item as an identifier,
// quoted only where it must be, joined with ", ". `items` are the items' source texts.
std::string SearchPathText(const std::vector<std::string_view>& items);

}  // namespace augur::engine
