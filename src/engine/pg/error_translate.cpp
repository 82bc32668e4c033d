// error_translate.cpp: DuckDB's ExceptionType (and, where one type covers several PostgreSQL
// conditions, its message or error_subtype) decides the SQLSTATE. Clients branch on SQLSTATE
// (retry on 40001, "already exists" on 42P07, ...), so the mapping errs toward PostgreSQL's
// most specific code that is certainly right, and falls back to the class code otherwise.
#include "engine/pg/error_translate.h"

#include <string>

#include "duckdb/common/error_data.hpp"
#include "duckdb/common/exception.hpp"
#include "engine/pg/pg_error_wording.h"

namespace augur::engine {
namespace {

using duckdb::ExceptionType;

// Errors raised inside augur's own CHECK constraints, which DuckDB wraps in its CHECK constraint
// error: the start of the inner message and the SQLSTATE it stands for. pg_varchar_fits
// (varchar(n) columns) and pg_time_fits (timestamp(p) columns), pg_value_rewrite.h.
struct CheckRaisedError {
  std::string_view marker;
  std::string_view sqlstate;
};
constexpr CheckRaisedError kCheckRaisedErrors[] = {
    {"(Error: value too long for type ", "22001"},  // string_data_right_truncation
    {"(Error: augur does not round values to ", "0A000"},
};

const CheckRaisedError* CheckRaised(std::string_view message) {
  for (const auto& e : kCheckRaisedErrors) {
    if (message.find(e.marker) != std::string_view::npos) return &e;
  }
  return nullptr;
}

bool Contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

std::string_view ExtraInfo(const duckdb::ErrorData& error, const std::string& key) {
  auto& info = error.ExtraInfo();
  auto it = info.find(key);
  return it == info.end() ? std::string_view() : std::string_view(it->second);
}

std::string_view SqlStateFor(const duckdb::ErrorData& error, std::string_view message) {
  // augur's own code inside DuckDB (role statements) names the SQLSTATE itself.
  if (auto own = ExtraInfo(error, kSqlStateInfoKey); !own.empty()) return own;
  std::string_view subtype = ExtraInfo(error, "error_subtype");
  switch (error.Type()) {
    case ExceptionType::PARSER:
    case ExceptionType::SYNTAX:
      return sqlstate::kSyntaxError;
    case ExceptionType::CATALOG:
      if (Contains(message, "already exists")) {
        return ExtraInfo(error, "type") == "Table" || Contains(message, "Table with name")
                   ? sqlstate::kDuplicateTable
                   : sqlstate::kDuplicateObject;
      }
      if (subtype == "MISSING_ENTRY" || Contains(message, "does not exist")) {
        std::string_view type = ExtraInfo(error, "type");
        if (type == "Table" || type == "View" || Contains(message, "Table with name")) {
          return sqlstate::kUndefinedTable;
        }
        if (Contains(type, "Function") || Contains(message, "Function with name")) {
          return sqlstate::kUndefinedFunction;
        }
        if (type == "Schema") return "3F000";  // invalid_schema_name
        return sqlstate::kUndefinedObject;
      }
      return "42000";
    case ExceptionType::BINDER:
      if (subtype == "COLUMN_NOT_FOUND" || Contains(message, "Referenced column")) {
        return sqlstate::kUndefinedColumn;
      }
      if (Contains(message, "No function matches") || Contains(message, "function")) {
        return sqlstate::kUndefinedFunction;
      }
      if (Contains(message, "ambiguous")) return "42702";  // ambiguous_column
      if (Contains(message, "GROUP BY")) return "42803";   // grouping_error
      return "42000";                                      // syntax_error_or_access_rule_violation
    case ExceptionType::CONSTRAINT:
      // augur's CHECKs on varchar(n) and timestamp(p) columns; see TranslateError too.
      if (auto* raised = CheckRaised(message)) return raised->sqlstate;
      if (Contains(message, "NOT NULL")) return sqlstate::kNotNullViolation;
      if (Contains(message, "CHECK")) return sqlstate::kCheckViolation;
      if (Contains(message, "foreign key") || Contains(message, "FOREIGN KEY")) {
        return sqlstate::kForeignKeyViolation;
      }
      if (Contains(message, "PRIMARY KEY") || Contains(message, "UNIQUE") ||
          Contains(message, "Duplicate key") || Contains(message, "duplicate key")) {
        return sqlstate::kUniqueViolation;
      }
      return "23000";  // integrity_constraint_violation
    case ExceptionType::DIVIDE_BY_ZERO:
      return sqlstate::kDivisionByZero;
    case ExceptionType::OUT_OF_RANGE:
    case ExceptionType::DECIMAL:
      return "22003";  // numeric_value_out_of_range
    case ExceptionType::CONVERSION:
      // bytea's hex input (pg_bytea_text.cpp) reports these as invalid_parameter_value.
      if (message.starts_with("invalid hexadecimal")) return sqlstate::kInvalidParameterValue;
      return "22P02";  // invalid_text_representation
    case ExceptionType::INVALID_INPUT:
      return sqlstate::kDataException;
    case ExceptionType::MISMATCH_TYPE:
    case ExceptionType::INVALID_TYPE:
    case ExceptionType::UNKNOWN_TYPE:
      return sqlstate::kDatatypeMismatch;
    case ExceptionType::PARAMETER_NOT_RESOLVED:
      return "42P18";  // indeterminate_datatype
    case ExceptionType::TRANSACTION:
      if (Contains(message, "onflict")) return sqlstate::kSerializationFailure;
      if (Contains(message, "aborted")) return sqlstate::kInFailedTransaction;
      if (Contains(message, "no transaction is active")) return sqlstate::kNoActiveTransaction;
      // augur starts every transaction of a role that may not write read-only (session_role.h).
      if (Contains(message, "launched in read-only mode")) return sqlstate::kInsufficientPrivilege;
      return sqlstate::kInvalidTransactionState;
    case ExceptionType::INTERRUPT:
      return sqlstate::kQueryCanceled;
    case ExceptionType::NOT_IMPLEMENTED:
      return sqlstate::kFeatureNotSupported;
    case ExceptionType::PERMISSION:
      return sqlstate::kInsufficientPrivilege;
    case ExceptionType::OUT_OF_MEMORY:
      return sqlstate::kOutOfMemory;
    case ExceptionType::IO:
    case ExceptionType::HTTP:
      return sqlstate::kIoError;
    case ExceptionType::DEPENDENCY:
      return "2BP01";  // dependent_objects_still_exist
    case ExceptionType::SEQUENCE:
      return "2200H";  // sequence_generator_limit_exceeded
    case ExceptionType::SETTINGS:
    case ExceptionType::INVALID_CONFIGURATION:
      return sqlstate::kInvalidParameterValue;
    case ExceptionType::MISSING_EXTENSION:
    case ExceptionType::AUTOLOAD:
      return sqlstate::kFeatureNotSupported;
    default:
      return sqlstate::kInternalError;
  }
}

// DuckDB appends "\n\nLINE 1: <query>\n        ^" to parser and binder messages; PostgreSQL
// clients draw that themselves from the position field, so it is cut off here.
std::string StripLineContext(std::string message) {
  size_t at = message.find("\n\nLINE ");
  if (at != std::string::npos) message.resize(at);
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  return message;
}

// 0-based byte offset -> 1-based character offset (PostgreSQL counts characters, not bytes).
int CharacterPosition(std::string_view query, size_t byte_offset) {
  if (byte_offset > query.size()) return 0;
  int chars = 0;
  for (size_t i = 0; i < byte_offset; ++i) {
    if ((static_cast<unsigned char>(query[i]) & 0xC0) != 0x80) ++chars;
  }
  return chars + 1;
}

}  // namespace

Error TranslateError(const duckdb::ErrorData& error, std::string_view query) {
  std::string message = StripLineContext(error.RawMessage());
  Error out(SqlStateFor(error, message), "");
  // Suggestions become a HINT, as PostgreSQL would put them.
  for (std::string_view marker :
       {"\nDid you mean", "\nCandidate bindings:", "\nCandidate functions:"}) {
    size_t at = message.find(marker);
    if (at != std::string::npos) {
      out.hint = message.substr(at + 1);
      message.resize(at);
      break;
    }
  }
  // DuckDB's advice on out-of-memory errors names settings only a superuser may change and a URL;
  // the error says what the limit is.
  if (size_t at = message.find("\n\nPossible solutions:"); at != std::string::npos) {
    message.resize(at);
  }
  out.message = std::move(message);
  // "CHECK constraint failed ... (Error: value too long ...)": the inner message alone.
  if (auto* raised = CheckRaised(out.message); raised && raised->sqlstate == out.sqlstate) {
    out.message = out.message.substr(out.message.find(raised->marker) + 8);  // after "(Error: "
    if (!out.message.empty() && out.message.back() == ')') out.message.pop_back();
  }
  // PostgreSQL's wording for the two errors users meet most; tools match on it (Rails and
  // Django migrations check for 'relation "x" does not exist').
  std::string_view name = ExtraInfo(error, "name");
  if (!name.empty() && out.sqlstate == sqlstate::kUndefinedTable) {
    out.message = "relation \"" + std::string(name) + "\" does not exist";
  } else if (!name.empty() && out.sqlstate == sqlstate::kUndefinedColumn) {
    out.message = "column \"" + std::string(name) + "\" does not exist";
  }
  if (out.sqlstate == sqlstate::kInsufficientPrivilege &&
      Contains(out.message, "launched in read-only mode")) {
    out.message = "permission denied: this role may read but not write";
    out.hint = "a superuser can GRANT pg_write_all_data to the role";
  }
  if (out.sqlstate == sqlstate::kQueryCanceled) {
    out.message = "canceling statement due to user request";
  }
  std::string_view position = ExtraInfo(error, "position");
  if (!position.empty()) {
    size_t offset = 0;
    for (char c : position) {
      if (c < '0' || c > '9') {
        offset = SIZE_MAX;
        break;
      }
      offset = offset * 10 + static_cast<size_t>(c - '0');
    }
    if (offset != SIZE_MAX) out.position = CharacterPosition(query, offset);
  }
  if (error.Type() == ExceptionType::FATAL || error.Type() == ExceptionType::INTERNAL) {
    out.detail = "DuckDB reported an internal error; the statement was not completed.";
    return out;
  }
  return WithPostgresWording(std::move(out));
}

Error TranslateException(const std::exception& ex, std::string_view query) {
  return TranslateError(duckdb::ErrorData(ex), query);
}

void ThrowError(const Error& error) {
  throw duckdb::Exception(duckdb::ExceptionType::INVALID_INPUT, error.message,
                          {{kSqlStateInfoKey, error.sqlstate}});
}

}  // namespace augur::engine
