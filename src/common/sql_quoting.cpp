// sql_quoting.cpp: see sql_quoting.h.
#include "common/sql_quoting.h"

#include <algorithm>
#include <array>

namespace augur {
namespace {

// PostgreSQL 15's keywords other than the unreserved ones, sorted: SELECT word FROM
// pg_get_keywords() WHERE catcode <> 'U' ORDER BY word. quote_ident() quotes these.
constexpr std::array<std::string_view, 151> kNonUnreservedKeywords = {"all",
                                                                      "analyse",
                                                                      "analyze",
                                                                      "and",
                                                                      "any",
                                                                      "array",
                                                                      "as",
                                                                      "asc",
                                                                      "asymmetric",
                                                                      "authorization",
                                                                      "between",
                                                                      "bigint",
                                                                      "binary",
                                                                      "bit",
                                                                      "boolean",
                                                                      "both",
                                                                      "case",
                                                                      "cast",
                                                                      "char",
                                                                      "character",
                                                                      "check",
                                                                      "coalesce",
                                                                      "collate",
                                                                      "collation",
                                                                      "column",
                                                                      "concurrently",
                                                                      "constraint",
                                                                      "create",
                                                                      "cross",
                                                                      "current_catalog",
                                                                      "current_date",
                                                                      "current_role",
                                                                      "current_schema",
                                                                      "current_time",
                                                                      "current_timestamp",
                                                                      "current_user",
                                                                      "dec",
                                                                      "decimal",
                                                                      "default",
                                                                      "deferrable",
                                                                      "desc",
                                                                      "distinct",
                                                                      "do",
                                                                      "else",
                                                                      "end",
                                                                      "except",
                                                                      "exists",
                                                                      "extract",
                                                                      "false",
                                                                      "fetch",
                                                                      "float",
                                                                      "for",
                                                                      "foreign",
                                                                      "freeze",
                                                                      "from",
                                                                      "full",
                                                                      "grant",
                                                                      "greatest",
                                                                      "group",
                                                                      "grouping",
                                                                      "having",
                                                                      "ilike",
                                                                      "in",
                                                                      "initially",
                                                                      "inner",
                                                                      "inout",
                                                                      "int",
                                                                      "integer",
                                                                      "intersect",
                                                                      "interval",
                                                                      "into",
                                                                      "is",
                                                                      "isnull",
                                                                      "join",
                                                                      "lateral",
                                                                      "leading",
                                                                      "least",
                                                                      "left",
                                                                      "like",
                                                                      "limit",
                                                                      "localtime",
                                                                      "localtimestamp",
                                                                      "national",
                                                                      "natural",
                                                                      "nchar",
                                                                      "none",
                                                                      "normalize",
                                                                      "not",
                                                                      "notnull",
                                                                      "null",
                                                                      "nullif",
                                                                      "numeric",
                                                                      "offset",
                                                                      "on",
                                                                      "only",
                                                                      "or",
                                                                      "order",
                                                                      "out",
                                                                      "outer",
                                                                      "overlaps",
                                                                      "overlay",
                                                                      "placing",
                                                                      "position",
                                                                      "precision",
                                                                      "primary",
                                                                      "real",
                                                                      "references",
                                                                      "returning",
                                                                      "right",
                                                                      "row",
                                                                      "select",
                                                                      "session_user",
                                                                      "setof",
                                                                      "similar",
                                                                      "smallint",
                                                                      "some",
                                                                      "substring",
                                                                      "symmetric",
                                                                      "table",
                                                                      "tablesample",
                                                                      "then",
                                                                      "time",
                                                                      "timestamp",
                                                                      "to",
                                                                      "trailing",
                                                                      "treat",
                                                                      "trim",
                                                                      "true",
                                                                      "union",
                                                                      "unique",
                                                                      "user",
                                                                      "using",
                                                                      "values",
                                                                      "varchar",
                                                                      "variadic",
                                                                      "verbose",
                                                                      "when",
                                                                      "where",
                                                                      "window",
                                                                      "with",
                                                                      "xmlattributes",
                                                                      "xmlconcat",
                                                                      "xmlelement",
                                                                      "xmlexists",
                                                                      "xmlforest",
                                                                      "xmlnamespaces",
                                                                      "xmlparse",
                                                                      "xmlpi",
                                                                      "xmlroot",
                                                                      "xmlserialize",
                                                                      "xmltable"};
static_assert(std::is_sorted(kNonUnreservedKeywords.begin(), kNonUnreservedKeywords.end()));

bool IsPlainIdentifier(std::string_view name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9')) return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return !std::binary_search(kNonUnreservedKeywords.begin(), kNonUnreservedKeywords.end(), name);
}

}  // namespace

void AppendEnclosed(std::string& out, std::string_view text, char quote) {
  out.reserve(out.size() + text.size() + 2);
  out.push_back(quote);
  for (char c : text) {
    if (c == quote) out.push_back(quote);
    out.push_back(c);
  }
  out.push_back(quote);
}

std::string Enclose(std::string_view text, char quote) {
  std::string out;
  AppendEnclosed(out, text, quote);
  return out;
}

std::string QuoteLiteral(std::string_view text) { return Enclose(text, '\''); }

std::string QuoteIdentifier(std::string_view name) { return Enclose(name, '"'); }

std::string QuoteIdentifierIfNeeded(std::string_view name) {
  return IsPlainIdentifier(name) ? std::string(name) : QuoteIdentifier(name);
}

}  // namespace augur
