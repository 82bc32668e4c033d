// show_statement.cpp: the grammar of show_statement.h, one pass over the text, no recursion.
#include "engine/pg/show_statement.h"

#include <vector>

namespace augur::engine {
namespace {

// std::regex's \s in the "C" locale.
bool IsBlank(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool IsNameChar(char c) {
  return IsAsciiAlpha(c) || (c >= '0' && c <= '9') || c == '_' || c == '.';
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] - 'A' + 'a') : a[i];
    if (x != b[i]) return false;  // b is lower case
  }
  return true;
}

}  // namespace

std::string ShowStatementName(std::string_view text) {
  size_t i = 0;
  auto skip_blanks = [&] {
    size_t from = i;
    while (i < text.size() && IsBlank(text[i])) ++i;
    return i > from;
  };
  // A word: [A-Za-z_][A-Za-z0-9_.]*, or empty when none starts at i.
  auto word = [&]() -> std::string_view {
    if (i >= text.size() || !(IsAsciiAlpha(text[i]) || text[i] == '_')) return {};
    size_t from = i++;
    while (i < text.size() && IsNameChar(text[i])) ++i;
    return text.substr(from, i - from);
  };
  skip_blanks();
  if (!EqualsIgnoreCase(word(), "show") || !skip_blanks()) return "";
  // Words separated by blanks, up to an optional ';' and the end.
  std::vector<std::string_view> words;
  for (;;) {
    std::string_view w = word();
    if (w.empty()) return "";
    words.push_back(w);
    bool blank = skip_blanks();
    if (i == text.size() || text[i] == ';') break;
    if (!blank || words.size() == 3) return "";  // "show x-y"; no form has more than 3 words
  }
  if (i < text.size()) {  // the ';'
    ++i;
    skip_blanks();
    if (i != text.size()) return "";
  }
  if (words.size() == 1) return std::string(words[0]);
  if (words.size() == 2 && EqualsIgnoreCase(words[0], "time") &&
      EqualsIgnoreCase(words[1], "zone")) {
    return "TimeZone";
  }
  if (words.size() == 3 && EqualsIgnoreCase(words[0], "transaction") &&
      EqualsIgnoreCase(words[1], "isolation") && EqualsIgnoreCase(words[2], "level")) {
    return "transaction_isolation";
  }
  return "";
}

}  // namespace augur::engine
