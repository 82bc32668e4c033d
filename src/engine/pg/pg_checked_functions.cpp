// pg_checked_functions.cpp: see pg_checked_functions.h.
#include "engine/pg/pg_checked_functions.h"

#include <fmt/format.h>

#include "duckdb/common/vector_operations/unary_executor.hpp"
#include "duckdb/main/client_context.hpp"
#include "duckdb/main/connection.hpp"
#include "duckdb/parser/parsed_data/create_scalar_function_info.hpp"
#include "engine/pg/error_translate.h"
#include "engine/pg/system_catalog.h"

namespace augur::engine {
namespace {

using duckdb::LogicalType;
using duckdb::string_t;
using duckdb::Vector;

// PostgreSQL's chr() in a UTF8 database: the code point's UTF-8 encoding, or its errors.
void Chr(duckdb::DataChunk& args, duckdb::ExpressionState&, Vector& result) {
  duckdb::UnaryExecutor::Execute<int32_t, string_t>(
      args.data[0], result, args.size(), [&](int32_t code) {
        if (code < 0) {
          ThrowError(Error(std::string(sqlstate::kInvalidParameterValue),
                           "character number must be positive"));
        }
        if (code == 0) {
          ThrowError(Error(std::string(sqlstate::kProgramLimitExceeded),
                           "null character not permitted"));
        }
        if (code > 0x10FFFF) {
          ThrowError(Error(std::string(sqlstate::kProgramLimitExceeded),
                           fmt::format("requested character too large for encoding: {}", code)));
        }
        if (code >= 0xD800 && code <= 0xDFFF) {
          ThrowError(Error(std::string(sqlstate::kProgramLimitExceeded),
                           fmt::format("requested character not valid for encoding: {}", code)));
        }
        char utf8[4];
        size_t len;
        auto c = static_cast<uint32_t>(code);
        if (c < 0x80) {
          utf8[0] = static_cast<char>(c);
          len = 1;
        } else if (c < 0x800) {
          utf8[0] = static_cast<char>(0xC0 | (c >> 6));
          utf8[1] = static_cast<char>(0x80 | (c & 0x3F));
          len = 2;
        } else if (c < 0x10000) {
          utf8[0] = static_cast<char>(0xE0 | (c >> 12));
          utf8[1] = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
          utf8[2] = static_cast<char>(0x80 | (c & 0x3F));
          len = 3;
        } else {
          utf8[0] = static_cast<char>(0xF0 | (c >> 18));
          utf8[1] = static_cast<char>(0x80 | ((c >> 12) & 0x3F));
          utf8[2] = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
          utf8[3] = static_cast<char>(0x80 | (c & 0x3F));
          len = 4;
        }
        return duckdb::StringVector::AddString(result, utf8, len);
      });
}

// Reached only for a name the regclass lookup did not find.
void UndefinedRelation(duckdb::DataChunk& args, duckdb::ExpressionState&, Vector& result) {
  duckdb::UnaryExecutor::Execute<string_t, int64_t>(
      args.data[0], result, args.size(), [&](string_t name) -> int64_t {
        ThrowError(Error(std::string(sqlstate::kUndefinedTable),
                         fmt::format("relation \"{}\" does not exist", name.GetString())));
      });
}

}  // namespace

Status InstallPgCheckedFunctions(duckdb::Connection& connection) {
  return InstallInTransaction(
      *connection.context, "chr and regclass checks", [](duckdb::ClientContext& context) {
        duckdb::ScalarFunctionSet chr("chr");
        chr.AddFunction(
            duckdb::ScalarFunction("chr", {LogicalType::INTEGER}, LogicalType::VARCHAR, Chr));
        ReplaceSystemScalarFunction(context, std::move(chr));

        // VOLATILE: never folded at plan time, so it raises only for rows that reach it.
        duckdb::ScalarFunction undefined("augur_undefined_relation", {LogicalType::VARCHAR},
                                         LogicalType::BIGINT, UndefinedRelation);
        undefined.stability = duckdb::FunctionStability::VOLATILE;
        duckdb::CreateScalarFunctionInfo info(std::move(undefined));
        ReplaceSystemFunction(context, info, "pg_catalog");
      });
}

}  // namespace augur::engine
