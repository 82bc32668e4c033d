// client_copy.cpp: PostgreSQL's COPY options (FORMAT, DELIMITER, NULL, HEADER, QUOTE, ESCAPE) are
// read from DuckDB's parse of the statement; both the new (FORMAT csv, HEADER) and the old
// (WITH CSV HEADER) spellings arrive as the same parsed options.
#include "engine/session/client_copy.h"

#include <fmt/format.h>

#include "common/sql_quoting.h"
#include "duckdb/parser/expression/cast_expression.hpp"
#include "duckdb/parser/expression/columnref_expression.hpp"
#include "duckdb/parser/expression/constant_expression.hpp"
#include "duckdb/parser/statement/copy_statement.hpp"

namespace augur::engine {
namespace {

// An option's value as text: 'x' and x both read as "x"; a bare flag (HEADER) reads as "true".
std::string OptionText(const duckdb::unique_ptr<duckdb::ParsedExpression>& expr) {
  if (!expr) return "true";
  if (expr->GetExpressionClass() == duckdb::ExpressionClass::CONSTANT) {
    return expr->Cast<duckdb::ConstantExpression>().value.ToString();
  }
  if (expr->GetExpressionClass() == duckdb::ExpressionClass::COLUMN_REF) {
    return expr->Cast<duckdb::ColumnRefExpression>().GetColumnName();
  }
  // HEADER true: PostgreSQL's grammar (and so DuckDB's) reads true as CAST('t' AS BOOLEAN).
  if (expr->GetExpressionClass() == duckdb::ExpressionClass::CAST) {
    auto& child = expr->Cast<duckdb::CastExpression>().child;
    if (child->GetExpressionClass() == duckdb::ExpressionClass::CONSTANT) {
      return child->Cast<duckdb::ConstantExpression>().value.ToString();
    }
  }
  return expr->ToString();
}

bool IsTrue(const std::string& text) {
  std::string lower;
  for (char c : text)
    lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return lower == "true" || lower == "on" || lower == "1" || lower == "yes" || lower == "t";
}

Result<char> SingleChar(const std::string& option, const std::string& value) {
  if (value.size() != 1) {
    return Error("22023", fmt::format("COPY {} must be a single one-byte character", option));
  }
  return value[0];
}

}  // namespace

Result<std::optional<ClientCopy>> AnalyzeClientCopy(const duckdb::SQLStatement& statement) {
  if (statement.type != duckdb::StatementType::COPY_STATEMENT) return std::optional<ClientCopy>();
  auto& info = *statement.Cast<duckdb::CopyStatement>().info;
  bool from_client = info.is_from && info.file_path == "/dev/stdin";
  bool to_client = !info.is_from && info.file_path == "/dev/stdout";
  if (!from_client && !to_client) return std::optional<ClientCopy>();

  ClientCopy copy;
  copy.request.from_client = from_client;
  CopyFormat& format = copy.request.format;
  std::optional<std::string> delimiter, null_string, quote, escape;
  for (auto& [name, expr] : info.parsed_options) {
    std::string key;
    for (char c : name)
      key.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    std::string value = OptionText(expr);
    if (key == "format") {
      std::string f;
      for (char c : value)
        f.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
      if (f == "text") {
        format.kind = CopyFormat::Kind::kText;
      } else if (f == "csv") {
        format.kind = CopyFormat::Kind::kCsv;
      } else if (f == "binary") {
        format.kind = CopyFormat::Kind::kBinary;
      } else {
        return Error("22023", fmt::format("COPY format \"{}\" not recognized", value));
      }
    } else if (key == "delimiter" || key == "delim" || key == "sep") {
      delimiter = value;
    } else if (key == "null" || key == "nullstr") {
      null_string = value;
    } else if (key == "header") {
      format.header = IsTrue(value);
    } else if (key == "quote") {
      quote = value;
    } else if (key == "escape") {
      escape = value;
    } else if (key == "freeze" || key == "encoding") {
      // FREEZE is a hint PostgreSQL may ignore; the data is always UTF-8 here.
    } else {
      return Error(sqlstate::kFeatureNotSupported,
                   fmt::format("COPY option \"{}\" is not supported with STDIN/STDOUT", name));
    }
  }
  bool csv = format.kind == CopyFormat::Kind::kCsv;
  format.delimiter = csv ? ',' : '\t';
  format.null_string = csv ? "" : "\\N";
  if (delimiter) {
    auto c = SingleChar("delimiter", *delimiter);
    if (!c) return std::move(c).error();
    format.delimiter = *c;
  }
  if (null_string) format.null_string = *null_string;
  if (!csv && (quote || escape || format.header)) {
    if (format.kind == CopyFormat::Kind::kText && format.header) {
      // PostgreSQL 15 allows HEADER in text format.
    } else if (quote || escape) {
      return Error("0A000", "COPY quote and escape are available only in CSV mode");
    }
  }
  if (quote) {
    auto c = SingleChar("quote", *quote);
    if (!c) return std::move(c).error();
    format.quote = *c;
    format.escape = *c;
  }
  if (escape) {
    auto c = SingleChar("escape", *escape);
    if (!c) return std::move(c).error();
    format.escape = *c;
  }

  std::string table;
  if (!info.schema.empty()) table = QuoteIdentifier(info.schema) + ".";
  table += QuoteIdentifier(info.table);
  std::string columns;
  for (size_t i = 0; i < info.select_list.size(); ++i) {
    columns += (i ? ", " : "") + QuoteIdentifier(info.select_list[i]);
  }
  if (from_client) {
    copy.request.table = table;
    copy.request.column_list = columns;
  } else if (info.select_statement) {
    copy.select_sql = info.select_statement->ToString();
  } else {
    copy.select_sql = "SELECT " + (columns.empty() ? std::string("*") : columns) + " FROM " + table;
  }
  return std::optional<ClientCopy>(std::move(copy));
}

void ApplyCopyDefaults(duckdb::SQLStatement& statement) {
  if (statement.type != duckdb::StatementType::COPY_STATEMENT) return;
  auto& info = *statement.Cast<duckdb::CopyStatement>().info;
  if (info.is_from || info.file_path == "/dev/stdout") return;
  bool parquet = info.format == "parquet" || info.file_path.ends_with(".parquet");
  for (auto& [name, expr] : info.parsed_options) {
    std::string key = name;
    for (auto& c : key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (key == "format") {
      std::string value = OptionText(expr);
      for (auto& c : value) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      parquet = value == "parquet";
    }
    if (key == "compression" || key == "codec") return;  // the user chose
  }
  if (parquet) {
    info.parsed_options["compression"] =
        duckdb::make_uniq<duckdb::ConstantExpression>(duckdb::Value("zstd"));
  }
}

std::string CopyInSql(const CopyRequest& request, const std::string& csv_path) {
  std::string target = request.table;
  if (!request.column_list.empty()) target += " (" + request.column_list + ")";
  return fmt::format(
      "COPY {} FROM {} (FORMAT csv, HEADER false, DELIMITER ',', QUOTE '\"', ESCAPE '\"', "
      "NULL '\\N', ALLOW_QUOTED_NULLS false, AUTO_DETECT false)",
      target, QuoteLiteral(csv_path));
}

}  // namespace augur::engine
