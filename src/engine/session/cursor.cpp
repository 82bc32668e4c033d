// cursor.cpp: streams a DuckDB result as PostgreSQL text rows.
//
// DuckDB hands results over in DataChunks of up to 2048 rows; a cursor keeps the current chunk and
// its position so a client's row limit (Execute with max rows, a fetch size) can stop mid-chunk.
#include <fmt/format.h>

#include <algorithm>

#include "duckdb/common/types/vector.hpp"
#include "duckdb/main/client_context.hpp"
#include "engine/pg/error_translate.h"
#include "engine/pg/pg_binary.h"
#include "engine/pg/pg_types.h"
#include "engine/session/session_impl.h"

namespace augur::engine {

CursorImpl::CursorImpl(SessionImpl& session, std::unique_ptr<duckdb::QueryResult> result,
                       CommandTag tag, std::string query)
    : session_(session),
      result_(std::move(result)),
      tag_(std::move(tag)),
      query_(std::move(query)) {
  switch (result_->properties.return_type) {
    case duckdb::StatementReturnType::QUERY_RESULT:
      if (tag_.prefix == "CHECKPOINT") {  // DuckDB's checkpoint() answers a row; PostgreSQL none
        while (auto chunk = result_->Fetch()) {
          if (chunk->size() == 0) break;
        }
        done_ = true;
        break;
      }
      returns_rows_ = true;
      break;
    case duckdb::StatementReturnType::CHANGED_ROWS:
    case duckdb::StatementReturnType::NOTHING:
      // INSERT/UPDATE/DELETE/COPY answer one "Count" row; so does CREATE TABLE AS, though DuckDB
      // declares it as returning nothing. The client sees only the count, in the tag.
      if (tag_.counts_rows) ReadChangedRowCount();
      done_ = true;
      break;
  }
  if (returns_rows_) {
    columns_.reserve(result_->names.size());
    for (size_t i = 0; i < result_->names.size(); ++i) {
      PgTypeInfo pg = PgTypeFor(result_->types[i]);
      columns_.push_back(ColumnInfo{result_->names[i], pg.oid, pg.typlen, pg.typmod,
                                    result_->types[i].ToString()});
    }
  }
}

void CursorImpl::ReadChangedRowCount() {
  if (result_->types.size() != 1 || result_->types[0] != duckdb::LogicalType::BIGINT) return;
  auto chunk = result_->Fetch();
  if (chunk && chunk->size() > 0) {
    auto count = chunk->GetValue(0, 0);
    if (!count.IsNull()) rows_ = static_cast<uint64_t>(count.GetValue<int64_t>());
  }
}

CursorImpl::CursorImpl(SessionImpl& session, std::string fixed_tag)
    : session_(session), tag_{std::move(fixed_tag), false}, done_(true) {}

Status CursorImpl::SetResultFormats(const std::vector<int16_t>& formats) {
  binary_.assign(columns_.size(), false);
  for (size_t i = 0; i < columns_.size(); ++i) {
    int16_t format = formats.size() == 1 ? formats[0] : i < formats.size() ? formats[i] : 0;
    if (format == 0) continue;
    if (!PgBinarySupported(columns_[i].type_oid)) {
      return Error(sqlstate::kFeatureNotSupported, "binary format is not supported for column \"" +
                                                       columns_[i].name + "\" of type " +
                                                       columns_[i].engine_type)
          .WithHint("Request text format for this column.");
    }
    binary_[i] = true;
  }
  return {};
}

namespace {

// PostgreSQL's largest field (MaxAllocSize): no client can take a larger value, and converting
// one to text would copy it twice more.
constexpr uint64_t kMaxFieldBytes = (uint64_t{1} << 30) - 1;

Status CheckFieldSizes(duckdb::DataChunk& chunk, size_t first_row, size_t rows) {
  for (duckdb::idx_t c = 0; c < chunk.ColumnCount(); ++c) {
    auto& vector = chunk.data[c];
    if (vector.GetType().InternalType() != duckdb::PhysicalType::VARCHAR) continue;
    duckdb::UnifiedVectorFormat format;
    vector.ToUnifiedFormat(chunk.size(), format);
    auto strings = duckdb::UnifiedVectorFormat::GetData<duckdb::string_t>(format);
    for (size_t r = first_row; r < first_row + rows; ++r) {
      auto index = format.sel->get_index(r);
      if (!format.validity.RowIsValid(index)) continue;
      if (strings[index].GetSize() > kMaxFieldBytes) {
        return Error(sqlstate::kProgramLimitExceeded,
                     fmt::format("a value of {} bytes is too large to send: the limit for one "
                                 "field is {} bytes",
                                 strings[index].GetSize(), kMaxFieldBytes));
      }
    }
  }
  return {};
}

}  // namespace

Result<RowBatch> CursorImpl::Fetch(size_t max_rows) {
  RowBatch batch(columns_.size());
  if (done_ || !returns_rows_) return batch;
  try {
    auto& context = session_.context();
    while (batch.rows() < max_rows) {
      if (!chunk_ || chunk_row_ >= chunk_->size()) {
        chunk_ = result_->Fetch();
        chunk_row_ = 0;
        if (result_->HasError()) {
          Error error = TranslateError(result_->GetErrorObject(), query_);
          done_ = true;
          session_.OnStatementError();
          return error;
        }
        if (!chunk_ || chunk_->size() == 0) {
          done_ = true;
          chunk_.reset();
          session_.OnStatementDone();
          // A streamed statement commits (in autocommit) when its rows run out.
          session_.AwaitDurability();
          break;
        }
      }
      size_t take = std::min(chunk_->size() - chunk_row_, max_rows - batch.rows());
      if (auto too_large = CheckFieldSizes(*chunk_, chunk_row_, take); !too_large) {
        done_ = true;
        session_.OnStatementError();
        return std::move(too_large).error();
      }
      for (size_t r = chunk_row_; r < chunk_row_ + take; ++r) {
        for (size_t c = 0; c < columns_.size(); ++c) {
          duckdb::Value value = chunk_->GetValue(c, r);
          if (value.IsNull()) {
            batch.AppendNull();
          } else if (!binary_.empty() && binary_[c]) {
            auto written = AppendPgBinary(value, columns_[c].type_oid, batch.BeginCell());
            batch.EndCell();
            if (!written) {
              done_ = true;
              return std::move(written).error();
            }
          } else {
            AppendPgText(context, value, batch.BeginCell());
            batch.EndCell();
          }
        }
      }
      chunk_row_ += take;
      rows_ += take;
    }
  } catch (const std::exception& ex) {
    done_ = true;
    session_.OnStatementError();
    return TranslateException(ex, query_);
  }
  return batch;
}

}  // namespace augur::engine
