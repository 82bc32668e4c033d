// startup_settings.cpp
#include "pgwire/startup_settings.h"

#include <fmt/format.h>

#include <cctype>

namespace augur::pgwire {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// The "options" string split at unescaped whitespace; "\ " is a space inside a word and "\\" a
// backslash, as in PostgreSQL's pg_split_opts.
std::vector<std::string> SplitOptions(std::string_view options) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  for (size_t i = 0; i < options.size(); ++i) {
    char c = options[i];
    if (IsSpace(c)) {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
      continue;
    }
    if (c == '\\' && i + 1 < options.size()) c = options[++i];
    word += c;
    in_word = true;
  }
  if (in_word) words.push_back(std::move(word));
  return words;
}

Error BadOptions(std::string_view options) {
  return Error(sqlstate::kSyntaxError,
               fmt::format("invalid command-line argument for server process: {}", options))
      .WithHint("Only -c name=value and --name=value switches are accepted in \"options\".");
}

}  // namespace

Result<std::vector<std::pair<std::string, std::string>>> StartupSettings(
    const StartupPacket& packet) {
  std::vector<std::pair<std::string, std::string>> settings;
  std::string_view options;
  for (auto& [name, value] : packet.parameters) {
    if (name == "user" || name == "database" || name == "replication" ||
        name == "application_name" || name == "client_encoding") {
      continue;
    }
    if (name == "options") {
      options = value;
      continue;
    }
    settings.emplace_back(name, value);
  }
  auto words = SplitOptions(options);
  for (size_t i = 0; i < words.size(); ++i) {
    std::string assignment;
    if (words[i] == "-c" && i + 1 < words.size()) {
      assignment = words[++i];
    } else if (words[i].starts_with("-c") && words[i].size() > 2) {
      assignment = words[i].substr(2);
    } else if (words[i].starts_with("--")) {
      assignment = words[i].substr(2);
    } else {
      return BadOptions(options);
    }
    size_t eq = assignment.find('=');
    if (eq == std::string::npos || eq == 0) return BadOptions(options);
    std::string name = assignment.substr(0, eq);
    for (char& c : name) {
      if (c == '-') c = '_';  // --search-path=x is --search_path=x, as in postgres(1)
    }
    if (name == "client_encoding" || name == "application_name") continue;
    settings.emplace_back(std::move(name), assignment.substr(eq + 1));
  }
  return settings;
}

Result<std::string> SetStatementFor(const std::string& name, const std::string& value) {
  bool valid = !name.empty() && !std::isdigit(static_cast<unsigned char>(name[0]));
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.') valid = false;
  }
  if (!valid) {
    return Error("42602", fmt::format("invalid configuration parameter name \"{}\"", name));
  }
  std::string quoted;
  for (char c : value) {
    if (c == '\'') quoted += '\'';
    quoted += c;
  }
  return fmt::format("SET {} = '{}'", name, quoted);
}

}  // namespace augur::pgwire
