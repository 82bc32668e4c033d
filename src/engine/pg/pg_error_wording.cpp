// pg_error_wording.cpp
//
// Each rule is a regular expression over DuckDB's message (DuckDB 1.4.4's wording; a rule that
// stops matching after an upgrade leaves the message as DuckDB's, never wrong). std::regex is
// slow, but only failed statements reach it.
#include "engine/pg/pg_error_wording.h"

#include <functional>
#include <regex>
#include <string>
#include <vector>

namespace augur::engine {
namespace {

struct Rule {
  std::regex pattern;
  const char* sqlstate;
  // PostgreSQL's message from the match; null keeps DuckDB's.
  std::function<std::string(const std::smatch&)> message;
};

std::string IntegerRange(const std::smatch& m) {
  const std::string type = m[1];
  if (type == "INT16") return "smallint out of range";
  if (type == "INT64") return "bigint out of range";
  return "integer out of range";
}

const std::vector<Rule>& Rules() {
  static const std::vector<Rule> rules = [] {
    auto re = [](const char* pattern) { return std::regex(pattern, std::regex::ECMAScript); };
    std::vector<Rule> r;
    r.push_back({re(R"re(^Ambiguous reference to column name "([^"]+)")re"), "42702",
                 [](const std::smatch& m) {
                   return "column reference \"" + m[1].str() + "\" is ambiguous";
                 }});
    r.push_back(
        {re(R"re(^WHERE clause cannot contain aggregates)re"), "42803", [](const std::smatch&) {
           return std::string("aggregate functions are not allowed in WHERE");
         }});
    r.push_back({re(R"re(^column "([^"]+)" must appear in the GROUP BY clause)re"), "42803",
                 [](const std::smatch& m) {
                   return "column \"" + m[1].str() +
                          "\" must appear in the GROUP BY clause or be used in an aggregate "
                          "function";
                 }});
    r.push_back({re(R"re(can't be cast because the value is out of range for the destination )re"
                    R"re(type (INT16|INT32|INT64))re"),
                 "22003", IntegerRange});
    r.push_back({re(R"re(^Casting value "[^"]*" to type DECIMAL\(\d+,\d+\) failed: value is )re"
                    R"re(out of range)re"),
                 "22003",
                 [](const std::smatch&) { return std::string("numeric field overflow"); }});
    r.push_back({re(R"re(^Table "([^"]+)" does not have a column with name "([^"]+)")re"), "42703",
                 [](const std::smatch& m) {
                   return "column \"" + m[2].str() + "\" of relation \"" + m[1].str() +
                          "\" does not exist";
                 }});
    r.push_back({re(R"re(^table \S+ has (\d+) columns but (\d+) values were supplied)re"), "42601",
                 [](const std::smatch& m) {
                   return std::stoull(m[2].str()) > std::stoull(m[1].str())
                              ? std::string("INSERT has more expressions than target columns")
                              : std::string("INSERT has more target columns than expressions");
                 }});
    r.push_back({re(R"re(^More than one row returned by a subquery used as an expression)re"),
                 "21000", [](const std::smatch&) {
                   return std::string(
                       "more than one row returned by a subquery used as an expression");
                 }});
    r.push_back(
        {re(R"re(^cannot take logarithm of (zero|a negative number))re"), "2201E", nullptr});
    r.push_back({re(R"re(^cannot take square root of a negative number)re"), "2201F", nullptr});
    r.push_back(
        {re(R"re(^Schema with name "?([^"!]+?)"? does not exist)re"), "3F000",
         [](const std::smatch& m) { return "schema \"" + m[1].str() + "\" does not exist"; }});
    r.push_back(
        {re(R"re(^Sequence with name "?([^"!]+?)"? does not exist)re"), "42P01",
         [](const std::smatch& m) { return "relation \"" + m[1].str() + "\" does not exist"; }});
    r.push_back(
        {re(R"re(^currval: sequence is not yet defined in this session)re"), "55000", nullptr});
    r.push_back(
        {re(R"re(^date field value out of range: "([^"]*)")re"), "22008", [](const std::smatch& m) {
           return "date/time field value out of range: \"" + m[1].str() + "\"";
         }});
    r.push_back({re(R"re(^invalid (timestamp|date) field format: "([^"]*)")re"), "22007",
                 [](const std::smatch& m) {
                   return "invalid input syntax for type " + m[1].str() + ": \"" + m[2].str() +
                          "\"";
                 }});
    r.push_back({re(R"re(^Could not convert string '([^']*)' to INTERVAL)re"), "22007",
                 [](const std::smatch& m) {
                   return "invalid input syntax for type interval: \"" + m[1].str() + "\"";
                 }});
    r.push_back({re(R"re(^extract specifier "[^"]+" not recognized)re"), "22023", nullptr});
    // A digit string too large for the integer type: PostgreSQL's int4in says out of range.
    r.push_back(
        {re(R"re(^Could not convert string '( *[+-]?[0-9]+ *)' to (INT16|INT32|INT64))re"), "22003",
         [](const std::smatch& m) {
           const std::string type = m[2];
           const char* name = type == "INT16" ? "smallint" : type == "INT64" ? "bigint" : "integer";
           return "value \"" + m[1].str() + "\" is out of range for type " + name;
         }});
    // RE2's complaints about a pattern (DuckDB passes its text on), in PostgreSQL's words.
    r.push_back({re(R"re(^(missing \)|unexpected \)|missing \]|invalid repetition size|)re"
                    R"re(bad repetition operator|no argument for repetition operator|)re"
                    R"re(invalid escape sequence|trailing \\|invalid character class range|)re"
                    R"re(invalid character class|invalid perl operator|)re"
                    R"re(invalid named capture group): )re"),
                 "2201B", [](const std::smatch& m) {
                   const std::string what = m[1];
                   std::string reason = what;
                   if (what == "missing )" || what == "unexpected )") {
                     reason = "parentheses () not balanced";
                   } else if (what == "missing ]") {
                     reason = "brackets [] not balanced";
                   } else if (what == "invalid repetition size") {
                     reason = "invalid repetition count(s)";
                   } else if (what == "bad repetition operator" ||
                              what == "no argument for repetition operator") {
                     reason = "quantifier operand invalid";
                   } else if (what == "invalid escape sequence" || what == "trailing \\") {
                     reason = "invalid escape \\ sequence";
                   } else if (what == "invalid character class range") {
                     reason = "invalid character range";
                   }
                   return "invalid regular expression: " + reason;
                 }});
    return r;
  }();
  return rules;
}

// libstdc++'s std::regex recurses once per character a repetition matches, so a rule's
// '([^']*)' over a value of a few hundred kilobytes overflows the stack. A long message is
// matched (and quoted back) with its middle elided.
constexpr size_t kMaxMatchedMessage = 1024;

std::string MatchableMessage(const std::string& message) {
  if (message.size() <= kMaxMatchedMessage) return message;
  constexpr size_t kHalf = kMaxMatchedMessage / 2;
  size_t head = kHalf;
  while (head > 0 && (static_cast<unsigned char>(message[head]) & 0xC0) == 0x80) --head;
  size_t tail = message.size() - kHalf;
  while (tail < message.size() && (static_cast<unsigned char>(message[tail]) & 0xC0) == 0x80) {
    ++tail;
  }
  return message.substr(0, head) + "..." + message.substr(tail);
}

}  // namespace

Error WithPostgresWording(Error error) {
  const std::string matchable = MatchableMessage(error.message);
  for (const Rule& rule : Rules()) {
    std::smatch match;
    if (!std::regex_search(matchable, match, rule.pattern)) continue;
    std::string message = rule.message ? rule.message(match) : error.message;
    error.sqlstate = rule.sqlstate;
    error.message = std::move(message);
    break;
  }
  return error;
}

}  // namespace augur::engine
