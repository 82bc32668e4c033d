// column_origins.h: which table column each result column of a prepared statement reads, for
// RowDescription's table OID and attribute number. pgjdbc's ResultSetMetaData answers
// getTableName, isNullable and isAutoIncrement from them, and DBeaver and DataGrip use those to
// decide whether a result grid is editable.
#pragma once

#include <cstdint>
#include <vector>

#include "duckdb/main/client_context_state.hpp"

namespace duckdb {
class DatabaseInstance;
}  // namespace duckdb

namespace augur::engine {

// pg_class oid (DuckDB's table oid) and 1-based column number; {0, 0} when the result column is
// not a plain reference to a table's column (an expression, an aggregate, a view's column).
struct ColumnOrigin {
  uint32_t table_oid = 0;
  int16_t column_number = 0;
};

// Per connection: the origins of the next plan the connection optimizes, while armed. DuckDB's
// optimizer pushes projections into scans and renumbers column bindings, after which a result
// column no longer says where it comes from; before it, every column reference still carries the
// binding of the operator that produced it. So an optimizer extension reads the origins in its
// pre-optimize step, from the plan DuckDB has bound anyway: no second bind.
class ColumnOriginRecorder final : public duckdb::ClientContextState {
 public:
  static constexpr const char* kKey = "augur_column_origins";

  // Records the next optimized plan (call right before preparing a statement).
  void Arm() {
    armed_ = true;
    origins_.clear();
  }
  // What was recorded since Arm (empty when nothing was, or the plan's shape was not followed);
  // disarms.
  std::vector<ColumnOrigin> Take() {
    armed_ = false;
    return std::move(origins_);
  }

  bool armed() const { return armed_; }
  void Record(std::vector<ColumnOrigin> origins) {
    armed_ = false;
    origins_ = std::move(origins);
  }

 private:
  bool armed_ = false;
  std::vector<ColumnOrigin> origins_;
};

// Adds the pre-optimize step that fills an armed ColumnOriginRecorder registered in a
// connection's ClientContext (under ColumnOriginRecorder::kKey).
void RegisterColumnOrigins(duckdb::DatabaseInstance& db);

}  // namespace augur::engine
