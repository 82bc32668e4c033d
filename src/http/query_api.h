// query_api.h: POST /api/query. Runs one statement with bound parameters in a session of its
// own and streams its rows back, piece by piece, so that a large result never sits whole in the
// server's memory.
//
// Request: {"sql": "SELECT ...", "params": [1, "x", null], "limit": 1000, "format": "json",
//           "query_id": "..."}
//   params bind to $1, $2, ... as values, never spliced into the text; limit (default 10000,
//   at most 1000000) caps the rows returned; format is json (default), ndjson or csv; query_id
//   (optional) names the statement for POST /api/cancel (running_queries.h).
// json:   {"columns": [{"name", "type"}], "rows": [[...], ...], "row_count", "truncated",
//          "command", "elapsed_ms"}; an error after rows were sent adds "error" at the end.
// ndjson: one object per row ({"column": value, ...}); a failure adds a last {"error": ...} line.
// csv:    a header line, then RFC 4180 rows (every value quoted, NULL as an empty field); a
//         failure adds a last line "# error SQLSTATE: message" (no data line starts with '#').
// COPY FROM STDIN / TO STDOUT is refused (0A000): HTTP has no copy channel.
// Values: booleans and numbers stay JSON booleans and numbers; integers beyond 2^53, numeric,
// NaN and infinities come as strings (JSON numbers would lose them); everything else is
// PostgreSQL's text form (timestamps "2026-01-02 03:04:05", ISO 8601 order).
#pragma once

#include <boost/json/value.hpp>
#include <chrono>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "augur/engine.h"
#include "common/query_cache.h"
#include "common/result_cache.h"
#include "http/export_spool.h"
#include "http/running_queries.h"

namespace augur::http {

class QueryStream {
 public:
  // Parquet (zstd) is written whole to a temporary file by the engine, then sent from it: memory
  // stays bounded, and `limit` does not apply (the file holds every row).
  enum class Format { kJson, kNdjson, kCsv, kParquet };
  static constexpr size_t kRowsPerPiece = 1024;

  // Parses the request and starts the statement (blocking). Errors here get a proper HTTP
  // status; after it the status is 200 and failures travel in the body. With a `cache` and a
  // statement it admits (QueryCache::Admit, stamped before the statement runs), the stream also
  // keeps a copy of the body for StoreInCache, up to the cache's largest entry.
  // The statement runs as `role`. Parquet is written to a file of `spool` (no spool: format
  // parquet is refused). With `running` and a query_id, the statement is registered there for
  // POST /api/cancel while the stream lives.
  static Result<std::unique_ptr<QueryStream>> Start(
      Database& database, const std::string& body, const std::string& role,
      const QueryCache* cache = nullptr, std::string cache_key = "", uint64_t max_bytes = 0,
      ExportSpool* spool = nullptr, RunningQueries* running = nullptr);
  ~QueryStream();

  // The canonical request of a body, for QueryCache::Key: format, limit, CanonicalSql of the
  // SQL, and the parameters. nullopt when the body does not parse.
  static std::optional<std::string> CacheKey(const std::string& body);
  // Whether the statement's result may be cached (Session::ReadsOf).
  bool cacheable() const { return admission_.has_value(); }
  // After done(): stores the body in `cache` when the statement was admitted and the body is
  // complete and small enough.
  void StoreInCache(const QueryCache& cache);

  std::string_view content_type() const;
  // The body's opening (JSON's column list, CSV's header line).
  std::string Begin();
  // The next piece of the body: up to kRowsPerPiece rows, then the closing part (blocking).
  std::string Next();
  bool done() const { return done_; }
  // After done(): the command tag ("SELECT 5", "INSERT 0 3", "COPY n" for Parquet), and the
  // SQLSTATE of an error that ended the body ("" when none).
  const std::string& command() const { return command_; }
  const std::string& error_sqlstate() const { return error_sqlstate_; }
  // After done(): whether rows of the result are missing from the body, because `limit` cut it
  // or an error ended it.
  bool truncated() const { return truncated_ || failed_; }

 private:
  QueryStream() = default;
  std::string Opening();
  std::string Rows();
  std::string Finish(const Error* error);
  // Parquet: writes the file; an error (e.g. 54000 over max_bytes_) keeps its HTTP status.
  Status ExportParquet(const std::string& sql, const std::vector<ParameterValue>& params,
                       ExportSpool& spool);
  std::string ParquetPiece();

  Format format_ = Format::kJson;
  int64_t limit_ = 0;
  int64_t rows_ = 0;
  bool truncated_ = false;
  uint64_t max_bytes_ = 0;
  uint64_t bytes_ = 0;  // of rows so far
  bool done_ = false;
  std::chrono::steady_clock::time_point start_;
  std::vector<uint32_t> types_;
  std::string Keep(std::string piece);  // copies `piece` into the cached body while it fits

  std::unique_ptr<Session> session_;
  std::unique_ptr<RunningQueries::Registration> registration_;  // under "query_id", if any
  std::unique_ptr<Cursor> cursor_;
  std::optional<QueryCache::Admission> admission_;
  bool failed_ = false;
  size_t cache_bytes_ = 0;  // 0: keep nothing (or gave up: too large)
  std::string cached_body_;
  std::string command_;
  std::string error_sqlstate_;
  std::unique_ptr<ExportSpool::File> parquet_spool_;  // removed by the destructor
  std::ifstream parquet_file_;
};

// A request body, decoded and checked (the fields above). Pure: no session, no engine; Start and
// CacheKey both begin with it.
struct QueryRequest {
  std::string sql;
  std::vector<ParameterValue> params;
  int64_t limit = 10'000;
  QueryStream::Format format = QueryStream::Format::kJson;
  std::string query_id;  // for POST /api/cancel; "" for none
};
Result<QueryRequest> DecodeQueryRequest(const std::string& body);

// The whole body at once (tests, small results).
Result<std::string> RunQueryRequest(Database& database, const std::string& body,
                                    const std::string& role);

// A cell as JSON: booleans and numbers as JSON booleans and numbers (integers beyond 2^53, NaN and
// infinities as strings), everything else as its PostgreSQL text (see above).
boost::json::value JsonCell(std::string_view text, uint32_t type_oid);

// Appends `field` as a CSV field, quoted when it must be (or always, with `force_quotes`).
void AppendCsvField(std::string& out, std::string_view field, bool force_quotes = false);

}  // namespace augur::http
