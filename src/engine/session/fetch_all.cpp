// fetch_all.cpp: FetchAll (augur/engine.h), which needs only the Cursor interface. Apart from
// cursor.cpp so that the HTTP API builds without DuckDB (the fuzz targets in tests/fuzz).
#include "augur/engine.h"

namespace augur {

Result<RowBatch> FetchAll(Cursor& cursor) {
  RowBatch all(cursor.columns().size());
  for (;;) {
    auto batch = cursor.Fetch(4096);
    if (!batch) return std::move(batch).error();
    if (batch->rows() == 0) return all;
    for (size_t r = 0; r < batch->rows(); ++r) {
      for (size_t c = 0; c < batch->columns(); ++c) {
        auto cell = batch->cell(r, c);
        cell ? all.AppendCell(*cell) : all.AppendNull();
      }
    }
  }
}

}  // namespace augur
