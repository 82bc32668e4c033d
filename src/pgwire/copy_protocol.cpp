// copy_protocol.cpp: the COPY sub-protocol (protocol-flow.html#PROTOCOL-COPY).
//
// COPY FROM STDIN spools the client's data, normalized to CSV, into a temporary file and loads it
// with one DuckDB COPY, so a bad row anywhere loads nothing (PostgreSQL's all-or-nothing COPY).
// The spool keeps memory flat for any input size.
#include <fmt/format.h>

#include <atomic>
#include <boost/asio/read.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "common/blocking.h"
#include "pgwire/connection.h"
#include "pgwire/copy_codec.h"
#include "pgwire/server.h"

namespace augur::pgwire {

namespace asio = boost::asio;

namespace {

constexpr size_t kCopyChunk = 64 * 1024;
constexpr std::string_view kBinarySignature("PGCOPY\n\xff\r\n\0", 11);

void PutInt16(int16_t v, std::string& out) {
  out.push_back(static_cast<char>((v >> 8) & 0xFF));
  out.push_back(static_cast<char>(v & 0xFF));
}

void PutInt32(int32_t v, std::string& out) {
  for (int shift = 24; shift >= 0; shift -= 8)
    out.push_back(static_cast<char>((v >> shift) & 0xFF));
}

// A temporary file removed when it goes out of scope.
class SpoolFile {
 public:
  SpoolFile() {
    static std::atomic<uint64_t> counter{0};
    path_ = (std::filesystem::temp_directory_path() /
             fmt::format("augur-copy-{}-{}.csv", ::getpid(), counter.fetch_add(1)))
                .string();
    stream_.open(path_, std::ios::binary | std::ios::trunc);
  }
  ~SpoolFile() {
    stream_.close();
    std::error_code ec;
    std::filesystem::remove(path_, ec);
  }
  bool ok() const { return stream_.good(); }
  void Write(std::string& data) {
    stream_.write(data.data(), static_cast<std::streamsize>(data.size()));
    data.clear();
  }
  void Close() { stream_.close(); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::ofstream stream_;
};

}  // namespace

asio::awaitable<Status> Connection::CopyOut(Cursor& cursor, std::string& tag) {
  const CopyRequest& request = *cursor.copy();
  bool binary = request.format.kind == CopyFormat::Kind::kBinary;
  if (binary) {
    if (auto ok = cursor.SetResultFormats({1}); !ok) co_return ok;
  }
  out_.CopyResponse('H', binary, static_cast<int16_t>(request.column_count));
  // Framed as PostgreSQL frames it (copyto.c): one CopyData per row; the csv header line is a
  // message of its own, the binary signature rides with the first row and the trailer comes
  // alone. psycopg 3's copy.rows() reads one row per message.
  std::string chunk;
  if (binary) {
    chunk.append(kBinarySignature);
    PutInt32(0, chunk);  // flags
    PutInt32(0, chunk);  // header extension length
  } else if (request.format.header) {
    AppendCopyHeader(cursor.columns(), request.format, chunk);
    out_.CopyData(chunk);
    chunk.clear();
  }
  uint64_t rows = 0;
  for (;;) {
    auto batch = co_await RunBlocking(server_.workers(), [&] { return cursor.Fetch(1024); });
    if (!batch) co_return std::move(batch).error();
    if (batch->rows() == 0) break;
    for (size_t r = 0; r < batch->rows(); ++r) {
      if (binary) {
        PutInt16(static_cast<int16_t>(batch->columns()), chunk);
        for (size_t c = 0; c < batch->columns(); ++c) {
          auto cell = batch->cell(r, c);
          PutInt32(cell ? static_cast<int32_t>(cell->size()) : -1, chunk);
          if (cell) chunk.append(*cell);
        }
      } else {
        AppendCopyRow(*batch, r, request.format, chunk);
      }
      out_.CopyData(chunk);
      chunk.clear();
    }
    rows += batch->rows();
    if (out_.size() >= kCopyChunk) co_await Flush();
  }
  if (binary) PutInt16(-1, chunk);  // file trailer (with the signature when no row came)
  if (!chunk.empty()) out_.CopyData(chunk);
  out_.CopyDone();
  tag = fmt::format("COPY {}", rows);
  co_return Status();
}

asio::awaitable<Status> Connection::CopyIn(Cursor& cursor, std::string& tag) {
  const CopyRequest& request = *cursor.copy();
  bool binary = request.format.kind == CopyFormat::Kind::kBinary;
  out_.CopyResponse('G', binary, static_cast<int16_t>(request.column_count));
  co_await Flush();

  SpoolFile spool;
  CopyInConverter text_converter(request.format, request.column_count);
  BinaryCopyInConverter binary_converter(request.column_types);
  auto feed = [&](std::string_view data, std::string& csv) {
    return binary ? binary_converter.Feed(data, csv) : text_converter.Feed(data, csv);
  };
  std::string csv;
  Status failure;  // the first error; the rest of the client's data is read and dropped
  Message message;
  for (;;) {
    if (!co_await ReadMessage(message)) {
      co_return Error(sqlstate::kConnectionFailure, "client closed the connection during COPY");
    }
    if (message.type == 'd') {
      if (!failure) continue;
      failure = feed(message.body, csv);
      if (csv.size() >= kCopyChunk) spool.Write(csv);
    } else if (message.type == 'c') {
      break;
    } else if (message.type == 'f') {
      session_->AbortStatement();
      co_return Error(
          sqlstate::kQueryCanceled,
          fmt::format("COPY from stdin failed: {}",
                      std::string_view(message.body).substr(0, message.body.find('\0'))));
    } else if (message.type == 'H' || message.type == 'S') {
      continue;  // allowed and ignored during COPY IN
    } else {
      session_->AbortStatement();
      co_return Error(sqlstate::kProtocolViolation,
                      fmt::format("unexpected message type 0x{:02x} during COPY from stdin",
                                  static_cast<unsigned char>(message.type)));
    }
  }
  if (failure) failure = binary ? binary_converter.Finish(csv) : text_converter.Finish(csv);
  if (!failure) {
    session_->AbortStatement();
    co_return failure;
  }
  spool.Write(csv);
  spool.Close();
  if (!spool.ok()) {
    co_return Error(sqlstate::kIoError,
                    fmt::format("could not write COPY spool file {}", spool.path()));
  }
  auto loaded = co_await RunStatement(server_.workers(),
                                      [&] { return session_->CopyIn(request, spool.path()); });
  if (!loaded) co_return std::move(loaded).error();
  tag = fmt::format("COPY {}", *loaded);
  co_return Status();
}

}  // namespace augur::pgwire
