// query_api.cpp
#include "http/query_api.h"

#include <fmt/format.h>

#include <boost/json.hpp>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

#include "common/sql_quoting.h"

namespace augur::http {
namespace {

namespace json = boost::json;

constexpr int64_t kMaxLimit = 1'000'000;
constexpr int64_t kMaxSafeInteger = int64_t{1} << 53;  // beyond it a JSON number loses digits

// PostgreSQL type OIDs whose text is a JSON boolean or number.
constexpr uint32_t kBool = 16, kInt8 = 20, kInt2 = 21, kInt4 = 23, kOid = 26, kFloat4 = 700,
                   kFloat8 = 701;

Error BadRequest(std::string message) { return Error("22023", std::move(message)); }

Error CopyOverHttp() {
  return Error(sqlstate::kFeatureNotSupported,
               "COPY TO STDOUT / FROM STDIN is not available over HTTP: there is no copy channel")
      .WithHint(
          "use \"format\": \"csv\" (or ndjson, parquet) to export rows, INSERT with \"params\" to "
          "load them, or COPY over the PostgreSQL protocol");
}

// A JSON parameter as PostgreSQL text: strings as they are, other scalars in their JSON
// spelling, arrays and objects as JSON text (for json columns).
ParameterValue ParameterText(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null:
      return std::nullopt;
    case json::kind::string:
      return std::string(v.get_string());
    case json::kind::bool_:
      return std::string(v.get_bool() ? "true" : "false");
    default:
      return json::serialize(v);
  }
}

}  // namespace

Result<QueryRequest> DecodeQueryRequest(const std::string& body) {
  boost::system::error_code ec;
  json::value parsed = json::parse(body, ec);
  if (ec) return BadRequest("request body is not JSON: " + ec.message());
  if (!parsed.is_object()) return BadRequest("request body must be a JSON object");
  const auto& object = parsed.get_object();
  QueryRequest request;
  for (const auto& [key, value] : object) {
    if (key == "sql") {
      if (!value.is_string()) return BadRequest("\"sql\" must be a string");
      request.sql = std::string(value.get_string());
    } else if (key == "params") {
      if (!value.is_array()) return BadRequest("\"params\" must be an array");
      for (const auto& p : value.get_array()) request.params.push_back(ParameterText(p));
    } else if (key == "limit") {
      if (!value.is_int64() || value.get_int64() < 0 || value.get_int64() > kMaxLimit) {
        return BadRequest("\"limit\" must be an integer from 0 to 1000000");
      }
      request.limit = value.get_int64();
    } else if (key == "format") {
      if (value == json::value("json")) {
        request.format = QueryStream::Format::kJson;
      } else if (value == json::value("ndjson")) {
        request.format = QueryStream::Format::kNdjson;
      } else if (value == json::value("csv")) {
        request.format = QueryStream::Format::kCsv;
      } else if (value == json::value("parquet")) {
        request.format = QueryStream::Format::kParquet;
      } else {
        return BadRequest("\"format\" must be json, ndjson, csv or parquet");
      }
    } else if (key == "query_id") {
      if (!value.is_string() || !ValidQueryId(value.get_string())) {
        return BadRequest("\"query_id\" must be 1 to 64 letters, digits, '-' or '_'");
      }
      request.query_id = std::string(value.get_string());
    } else {
      return BadRequest("unknown field \"" + std::string(key) +
                        "\" (known: sql, params, limit, format, query_id)");
    }
  }
  if (request.sql.empty()) return BadRequest("\"sql\" is required");
  return request;
}

Result<std::unique_ptr<QueryStream>> QueryStream::Start(
    Database& database, const std::string& body, const std::string& role, const QueryCache* cache,
    std::string cache_key, uint64_t max_bytes, ExportSpool* spool, RunningQueries* running) {
  auto request = DecodeQueryRequest(body);
  if (!request) return std::move(request).error();
  auto stream = std::unique_ptr<QueryStream>(new QueryStream());
  stream->start_ = std::chrono::steady_clock::now();
  stream->format_ = request->format;
  stream->limit_ = request->limit;
  auto session = database.ConnectAs(role);
  if (!session) return std::move(session).error();
  stream->session_ = std::move(*session);
  if (running != nullptr && !request->query_id.empty()) {
    auto registered = running->Register(request->query_id, role, *stream->session_);
    if (!registered) return std::move(registered).error();
    stream->registration_ = std::move(*registered);
  }
  stream->max_bytes_ = max_bytes;
  if (request->format == Format::kParquet) {
    if (!spool) {
      return Error(sqlstate::kFeatureNotSupported, "format parquet needs an export spool");
    }
    if (auto exported = stream->ExportParquet(request->sql, request->params, *spool); !exported) {
      return std::move(exported).error();
    }
    return stream;
  }
  auto prepared = stream->session_->Prepare(request->sql, {});
  if (!prepared) return std::move(prepared).error();
  if ((*prepared)->copy()) return CopyOverHttp();
  if (request->params.size() != (*prepared)->parameter_types().size()) {
    return BadRequest("the statement takes " +
                      std::to_string((*prepared)->parameter_types().size()) +
                      " parameters, \"params\" has " + std::to_string(request->params.size()));
  }
  if (cache != nullptr && cache->enabled()) {
    stream->admission_ = cache->Admit(std::move(cache_key), stream->session_->ReadsOf(**prepared));
    if (stream->admission_) stream->cache_bytes_ = cache->max_entry_bytes();
  }
  auto cursor = stream->session_->Execute(**prepared, request->params, /*stream=*/true);
  if (!cursor) return std::move(cursor).error();
  stream->cursor_ = std::move(*cursor);
  return stream;
}

QueryStream::~QueryStream() {
  registration_.reset();  // no Cancel may reach the session from here on
  cursor_.reset();        // a streaming cursor goes before its session
  parquet_file_.close();
  parquet_spool_.reset();  // removes the file
}

Status QueryStream::ExportParquet(const std::string& sql, const std::vector<ParameterValue>& params,
                                  ExportSpool& spool) {
  parquet_spool_ = spool.NewFile();
  const std::string& path = parquet_spool_->path();
  auto written = spool.Write(
      *parquet_spool_,
      [&]() -> Status {
        auto rows = session_->ExportParquet(sql, params, path);
        if (!rows) return std::move(rows).error();
        rows_ = static_cast<int64_t>(*rows);
        return {};
      },
      [this] { session_->Cancel(); });
  if (!written) return std::move(written).error();
  command_ = "SELECT " + std::to_string(rows_);
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (ec) return Error(sqlstate::kIoError, "the Parquet export left no file: " + ec.message());
  if (max_bytes_ > 0 && size > max_bytes_) {
    return Error(sqlstate::kProgramLimitExceeded,
                 fmt::format("Parquet result of {} bytes exceeds {} (http.max_result_bytes)", size,
                             max_bytes_))
        .WithHint("add a LIMIT or a WHERE clause");
  }
  parquet_file_.open(path, std::ios::binary);
  if (!parquet_file_) return Error(sqlstate::kIoError, "could not read the Parquet export");
  return {};
}

std::string QueryStream::ParquetPiece() {
  std::string piece(1u << 20, '\0');
  parquet_file_.read(piece.data(), static_cast<std::streamsize>(piece.size()));
  piece.resize(static_cast<size_t>(parquet_file_.gcount()));
  if (parquet_file_.eof() || piece.empty()) {
    done_ = true;
    parquet_file_.close();
    parquet_spool_.reset();  // the spool file goes before the body ends
  }
  return piece;
}

std::string_view QueryStream::content_type() const {
  switch (format_) {
    case Format::kCsv:
      return "text/csv";
    case Format::kNdjson:
      return "application/x-ndjson";
    case Format::kParquet:
      return "application/vnd.apache.parquet";
    default:
      return "application/json";
  }
}

std::optional<std::string> QueryStream::CacheKey(const std::string& body) {
  auto request = DecodeQueryRequest(body);
  if (!request) return std::nullopt;
  std::string key = std::to_string(static_cast<int>(request->format)) + '\x1f' +
                    std::to_string(request->limit) + '\x1f';
  key += CanonicalSql(request->sql);
  key += '\x1f';
  for (const auto& param : request->params) {
    key += param ? "v" + std::to_string(param->size()) + ":" + *param : std::string("n");
    key += ',';
  }
  return key;
}

std::string QueryStream::Keep(std::string piece) {
  if (cache_bytes_ > 0) {
    if (cached_body_.size() + piece.size() > cache_bytes_) {
      cache_bytes_ = 0;  // too large to cache: stop copying
      cached_body_.clear();
      cached_body_.shrink_to_fit();
    } else {
      cached_body_ += piece;
    }
  }
  return piece;
}

void QueryStream::StoreInCache(const QueryCache& cache) {
  if (!done_ || failed_ || !admission_ || cache_bytes_ == 0) return;
  // A hit is sent whole, without the trailers that say a CSV or NDJSON body was cut by `limit`
  // (JSON says so in its body).
  if (truncated_ && format_ != Format::kJson) return;
  cache.Store(std::move(*admission_), std::move(cached_body_), std::string(content_type()));
  admission_.reset();
}

std::string QueryStream::Begin() { return Keep(Opening()); }

std::string QueryStream::Opening() {
  if (format_ == Format::kParquet) return ParquetPiece();
  const auto& columns = cursor_->columns();
  for (const auto& column : columns) types_.push_back(column.type_oid);
  switch (format_) {
    case Format::kJson: {
      json::array list;
      for (const auto& column : columns) {
        list.push_back(json::object{{"name", column.name}, {"type", column.engine_type}});
      }
      return "{\"columns\":" + json::serialize(list) + ",\"rows\":[";
    }
    case Format::kCsv: {
      std::string header;
      for (size_t c = 0; c < columns.size(); ++c) {
        if (c) header += ',';
        // Quoted when it starts with '#', so that only the error line (see Finish) does.
        AppendCsvField(header, columns[c].name, c == 0 && columns[c].name.starts_with('#'));
      }
      return header + "\r\n";
    }
    case Format::kNdjson:
    case Format::kParquet:
      return "";
  }
  return "";
}

std::string QueryStream::Next() { return Keep(Rows()); }

std::string QueryStream::Rows() {
  if (done_) return "";
  if (format_ == Format::kParquet) return ParquetPiece();
  std::string out;
  auto batch = cursor_->Fetch(kRowsPerPiece);
  if (!batch) return Finish(&batch.error());
  if (batch->rows() == 0) return Finish(nullptr);
  const auto& columns = cursor_->columns();
  for (size_t r = 0; r < batch->rows(); ++r) {
    if (rows_ >= limit_) {
      truncated_ = true;
      return out + Finish(nullptr);
    }
    switch (format_) {
      case Format::kJson: {
        json::array row;
        for (size_t c = 0; c < batch->columns(); ++c) {
          auto cell = batch->cell(r, c);
          row.push_back(cell ? JsonCell(*cell, types_[c]) : json::value(nullptr));
        }
        if (rows_ > 0) out += ',';
        out += json::serialize(row);
        break;
      }
      case Format::kNdjson: {
        json::object row;
        for (size_t c = 0; c < batch->columns(); ++c) {
          auto cell = batch->cell(r, c);
          row[columns[c].name] = cell ? JsonCell(*cell, types_[c]) : json::value(nullptr);
        }
        out += json::serialize(row);
        out += '\n';
        break;
      }
      case Format::kCsv:
        for (size_t c = 0; c < batch->columns(); ++c) {
          if (c) out += ',';
          if (auto cell = batch->cell(r, c)) AppendCsvField(out, *cell, /*force_quotes=*/true);
        }
        out += "\r\n";
        break;
      case Format::kParquet:
        break;  // sent from its file (ParquetPiece), never row by row
    }
    ++rows_;
  }
  bytes_ += out.size();
  if (max_bytes_ > 0 && bytes_ > max_bytes_) {
    Error capped(sqlstate::kProgramLimitExceeded,
                 fmt::format("result exceeds {} bytes (http.max_result_bytes)", max_bytes_));
    capped.hint = "add a LIMIT or a WHERE clause, or use COPY over the PostgreSQL protocol";
    return out + Finish(&capped);
  }
  return out;
}

std::string QueryStream::Finish(const Error* error) {
  done_ = true;
  failed_ = error != nullptr;
  // The tag (INSERT 0 3, SELECT 5, ...) is final once the cursor is drained.
  std::string command = truncated_ || error ? std::string() : cursor_->command_tag();
  command_ = error ? std::string() : truncated_ ? "SELECT " + std::to_string(rows_) : command;
  if (error) error_sqlstate_ = error->sqlstate;
  cursor_.reset();  // abandons a streaming result before the session closes
  double elapsed_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start_).count();
  json::object error_fields;
  if (error) {
    error_fields = json::object{{"code", error->sqlstate}, {"message", error->message}};
    if (!error->detail.empty()) error_fields["detail"] = error->detail;
    if (!error->hint.empty()) error_fields["hint"] = error->hint;
  }
  switch (format_) {
    case Format::kJson: {
      json::object tail{
          {"row_count", rows_}, {"truncated", truncated_}, {"elapsed_ms", elapsed_ms}};
      if (!command.empty()) tail["command"] = command;
      if (error) tail["error"] = error_fields;
      std::string text = json::serialize(tail);  // {"row_count":...}: splice into the open object
      return "]," + text.substr(1);
    }
    case Format::kNdjson:
      return error ? json::serialize(json::object{{"error", error_fields}}) + "\n" : "";
    case Format::kCsv: {
      if (!error) return "";
      // Every value is quoted (NULL is empty), so no other line starts with '#'.
      std::string line = fmt::format("# error {}: {}", error->sqlstate, error->message);
      for (char& c : line) {
        if (c == '\r' || c == '\n') c = ' ';
      }
      return line + "\r\n";
    }
    case Format::kParquet:
      return "";
  }
  return "";
}

boost::json::value JsonCell(std::string_view text, uint32_t type_oid) {
  switch (type_oid) {
    case kBool:
      return boost::json::value(text == "t");
    case kInt2:
    case kInt4:
    case kInt8:
    case kOid: {
      int64_t v = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
      if (ec == std::errc() && end == text.data() + text.size() && v <= kMaxSafeInteger &&
          v >= -kMaxSafeInteger) {
        return boost::json::value(v);
      }
      return boost::json::value(boost::json::string(text));
    }
    case kFloat4:
    case kFloat8: {
      double v = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
      if (ec == std::errc() && end == text.data() + text.size() && std::isfinite(v)) {
        return boost::json::value(v);
      }
      return boost::json::value(boost::json::string(text));  // NaN, Infinity, -Infinity
    }
    default:
      return boost::json::value(boost::json::string(text));
  }
}

void AppendCsvField(std::string& out, std::string_view field, bool force_quotes) {
  bool quote = force_quotes || field.find_first_of(",\"\r\n") != std::string_view::npos;
  if (!quote) {
    out += field;
    return;
  }
  AppendEnclosed(out, field, '"');
}

Result<std::string> RunQueryRequest(Database& database, const std::string& body,
                                    const std::string& role) {
  auto stream = QueryStream::Start(database, body, role);
  if (!stream) return std::move(stream).error();
  std::string out = (*stream)->Begin();
  while (!(*stream)->done()) out += (*stream)->Next();
  return out;
}

}  // namespace augur::http
