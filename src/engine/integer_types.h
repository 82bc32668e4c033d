// integer_types.h: which of DuckDB's integer types an int64_t holds every value of. PostgreSQL's
// text output prints those through int64 (pg_types.cpp), and the learned index encodes them as
// signed keys (key_codec.cpp); UBIGINT, HUGEINT and UHUGEINT each need their own path.
#pragma once

#include "duckdb/common/types.hpp"

namespace augur::engine {

constexpr bool FitsInt64(duckdb::LogicalTypeId id) {
  switch (id) {
    case duckdb::LogicalTypeId::TINYINT:
    case duckdb::LogicalTypeId::SMALLINT:
    case duckdb::LogicalTypeId::INTEGER:
    case duckdb::LogicalTypeId::BIGINT:
    case duckdb::LogicalTypeId::UTINYINT:
    case duckdb::LogicalTypeId::USMALLINT:
    case duckdb::LogicalTypeId::UINTEGER:
      return true;
    default:
      return false;
  }
}

}  // namespace augur::engine
