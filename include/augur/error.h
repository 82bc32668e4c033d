// augur/error.h: the one error type that travels through every layer of augur.
//
// An Error is what PostgreSQL's ErrorResponse carries: a SQLSTATE, a message, and the optional
// detail, hint and statement position. The engine turns DuckDB's exceptions into Errors at its
// boundary; the protocol layers only serialize them. Errors are values: nothing in augur throws
// across a layer boundary.
#pragma once

#include <string>
#include <string_view>

namespace augur {

// SQLSTATE codes used by name in more than one place. The full list lives in PostgreSQL's
// errcodes.txt; these are the ones augur raises itself.
namespace sqlstate {
inline constexpr std::string_view kSuccessfulCompletion = "00000";
inline constexpr std::string_view kFeatureNotSupported = "0A000";
inline constexpr std::string_view kInvalidParameterValue = "22023";
inline constexpr std::string_view kDivisionByZero = "22012";
inline constexpr std::string_view kDataException = "22000";
inline constexpr std::string_view kNotNullViolation = "23502";
inline constexpr std::string_view kForeignKeyViolation = "23503";
inline constexpr std::string_view kUniqueViolation = "23505";
inline constexpr std::string_view kCheckViolation = "23514";
inline constexpr std::string_view kInvalidTransactionState = "25000";
inline constexpr std::string_view kInFailedTransaction = "25P02";
inline constexpr std::string_view kNoActiveTransaction = "25P01";
inline constexpr std::string_view kActiveTransaction = "25001";
inline constexpr std::string_view kSerializationFailure = "40001";
inline constexpr std::string_view kSyntaxError = "42601";
inline constexpr std::string_view kUndefinedTable = "42P01";
inline constexpr std::string_view kUndefinedColumn = "42703";
inline constexpr std::string_view kUndefinedFunction = "42883";
inline constexpr std::string_view kUndefinedObject = "42704";
inline constexpr std::string_view kDuplicateTable = "42P07";
inline constexpr std::string_view kDuplicateObject = "42710";
inline constexpr std::string_view kDatatypeMismatch = "42804";
inline constexpr std::string_view kInsufficientPrivilege = "42501";
inline constexpr std::string_view kProgramLimitExceeded = "54000";
inline constexpr std::string_view kTooManyConnections = "53300";
inline constexpr std::string_view kConfigurationLimitExceeded = "53400";
inline constexpr std::string_view kOutOfMemory = "53200";
inline constexpr std::string_view kQueryCanceled = "57014";
inline constexpr std::string_view kAdminShutdown = "57P01";
inline constexpr std::string_view kProtocolViolation = "08P01";
inline constexpr std::string_view kConnectionFailure = "08006";
inline constexpr std::string_view kInvalidAuthorization = "28000";
inline constexpr std::string_view kConfigFileError = "F0000";
inline constexpr std::string_view kIoError = "58030";
inline constexpr std::string_view kInternalError = "XX000";
}  // namespace sqlstate

struct Error {
  enum class Severity { kError, kFatal, kPanic };

  std::string sqlstate = std::string(sqlstate::kInternalError);
  std::string message;
  std::string detail;  // empty when there is none
  std::string hint;    // empty when there is none
  int position = 0;    // 1-based character offset into the statement text; 0 when unknown
  Severity severity = Severity::kError;

  Error() = default;
  Error(std::string_view code, std::string msg) : sqlstate(code), message(std::move(msg)) {}

  Error& WithDetail(std::string d) & {
    detail = std::move(d);
    return *this;
  }
  Error&& WithDetail(std::string d) && {
    detail = std::move(d);
    return std::move(*this);
  }
  Error&& WithHint(std::string h) && {
    hint = std::move(h);
    return std::move(*this);
  }
  Error&& WithPosition(int p) && {
    position = p;
    return std::move(*this);
  }
  Error&& Fatal() && {
    severity = Severity::kFatal;
    return std::move(*this);
  }

  // "ERROR", "FATAL" or "PANIC", as PostgreSQL spells the severity field.
  std::string_view SeverityName() const;
  // "ERROR:  42P01: relation \"t\" does not exist" style, for logs and CLI output.
  std::string ToString() const;
};

}  // namespace augur
