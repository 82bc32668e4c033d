// pg_types.cpp: placeholder until the PostgreSQL text formatter lands (DuckDB's own text).
#include "engine/pg_types.h"

#include "duckdb/main/client_context.hpp"

namespace augur::engine {

PgTypeInfo PgTypeFor(const duckdb::LogicalType& type) {
  using duckdb::LogicalTypeId;
  switch (type.id()) {
    case LogicalTypeId::BOOLEAN: return {16, 1, -1};
    case LogicalTypeId::INTEGER: return {23, 4, -1};
    case LogicalTypeId::BIGINT: return {20, 8, -1};
    case LogicalTypeId::DOUBLE: return {701, 8, -1};
    default: return {25, -1, -1};
  }
}

void AppendPgText(duckdb::ClientContext&, const duckdb::Value& value, std::string& out) {
  out += value.ToString();
}

}  // namespace augur::engine
