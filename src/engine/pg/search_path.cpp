// search_path.cpp
#include "engine/pg/search_path.h"

#include <cctype>

#include "common/sql_quoting.h"

namespace augur::engine {
namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// The text between `quote`s starting at value[at] (which is the opening quote), with doubled
// quotes undone; `at` ends after the closing quote. False when the quote is not closed.
bool ReadQuoted(std::string_view value, size_t& at, char quote, std::string& out) {
  for (++at; at < value.size(); ++at) {
    if (value[at] != quote) {
      out += value[at];
      continue;
    }
    if (at + 1 < value.size() && value[at + 1] == quote) {
      out += quote;
      ++at;
      continue;
    }
    ++at;
    return true;
  }
  return false;
}

}  // namespace

std::vector<SearchPathEntry> ParseSearchPath(std::string_view value) {
  std::vector<SearchPathEntry> entries;
  size_t at = 0;
  while (at < value.size()) {
    while (at < value.size() && IsSpace(value[at])) ++at;
    if (at == value.size()) break;
    SearchPathEntry entry;
    bool quoted = value[at] == '"';
    if (quoted) {
      if (!ReadQuoted(value, at, '"', entry.schema)) break;
    } else {
      size_t start = at;
      while (at < value.size() && value[at] != ',' && !IsSpace(value[at])) ++at;
      entry.schema = Lower(value.substr(start, at - start));
    }
    while (at < value.size() && IsSpace(value[at])) ++at;
    if (at < value.size() && value[at] != ',') break;  // two names without a comma
    ++at;                                              // past the comma
    if (quoted && entry.schema == "$user") entry.is_user_role = true;
    if (!quoted && (entry.schema == "pg_catalog" || entry.schema == "pg_temp")) continue;
    if (!entry.schema.empty()) entries.push_back(std::move(entry));
  }
  return entries;
}

std::string SearchPathText(const std::vector<std::string_view>& items) {
  std::string out;
  for (std::string_view item : items) {
    if (!out.empty()) out += ", ";
    if (item.size() >= 2 && item.front() == '"') {
      std::string name;
      size_t at = 0;
      ReadQuoted(item, at, '"', name);
      out += QuoteIdentifierIfNeeded(name);
    } else if (item.size() >= 2 && item.front() == '\'') {
      std::string name;
      size_t at = 0;
      ReadQuoted(item, at, '\'', name);
      out += QuoteIdentifierIfNeeded(name);
    } else {
      out += QuoteIdentifierIfNeeded(Lower(item));
    }
  }
  return out;
}

}  // namespace augur::engine
