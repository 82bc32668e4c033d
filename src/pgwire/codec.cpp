// codec.cpp
#include "pgwire/codec.h"

#include <fmt/format.h>

#include <cstring>

namespace augur::pgwire {
namespace {

uint32_t LoadBigEndian32(const char* p) {
  auto u = reinterpret_cast<const unsigned char*>(p);
  return (uint32_t{u[0]} << 24) | (uint32_t{u[1]} << 16) | (uint32_t{u[2]} << 8) | uint32_t{u[3]};
}

}  // namespace

Error BodyReader::Truncated(std::string_view field) const {
  return Error(sqlstate::kProtocolViolation,
               fmt::format("invalid message format: truncated {} at byte {}", field, pos_));
}

Result<int16_t> BodyReader::Int16(std::string_view field) {
  if (remaining() < 2) return Truncated(field);
  auto u = reinterpret_cast<const unsigned char*>(body_.data() + pos_);
  pos_ += 2;
  return static_cast<int16_t>((u[0] << 8) | u[1]);
}

Result<int32_t> BodyReader::Int32(std::string_view field) {
  if (remaining() < 4) return Truncated(field);
  uint32_t v = LoadBigEndian32(body_.data() + pos_);
  pos_ += 4;
  return static_cast<int32_t>(v);
}

Result<std::string_view> BodyReader::CString(std::string_view field) {
  size_t end = body_.find('\0', pos_);
  if (end == std::string_view::npos) {
    return Error(sqlstate::kProtocolViolation,
                 fmt::format("invalid message format: unterminated string in {}", field));
  }
  std::string_view s = body_.substr(pos_, end - pos_);
  pos_ = end + 1;
  return s;
}

Result<std::string_view> BodyReader::Bytes(size_t n, std::string_view field) {
  if (remaining() < n) return Truncated(field);
  std::string_view s = body_.substr(pos_, n);
  pos_ += n;
  return s;
}

Result<uint32_t> CheckedBodyLength(const char length_word[4], uint32_t max_bytes) {
  uint32_t length = LoadBigEndian32(length_word);
  // The length word is a signed int32 on the wire: a negative one is malformed, not just large.
  if (length < 4 || length > static_cast<uint32_t>(INT32_MAX)) {
    return Error(sqlstate::kProtocolViolation, fmt::format("invalid message length {}", length));
  }
  if (length - 4 > max_bytes) {
    return Error(sqlstate::kProgramLimitExceeded,
                 fmt::format("message of {} bytes exceeds the limit of {} bytes", length - 4,
                             max_bytes))
        .WithHint("Raise pgwire.max_message_bytes if such messages are expected.");
  }
  return length - 4;
}

std::string_view StartupPacket::Parameter(std::string_view name) const {
  for (auto& [key, value] : parameters) {
    if (key == name) return value;
  }
  return {};
}

Result<StartupPacket> ParseStartupPacket(std::string_view body) {
  BodyReader reader(body);
  StartupPacket packet;
  auto code = reader.Int32("protocol version");
  if (!code) return std::move(code).error();
  packet.code = *code;
  if (packet.code == kCancelRequestCode) {
    auto pid = reader.Int32("cancel pid");
    if (!pid) return std::move(pid).error();
    auto key = reader.Int32("cancel key");
    if (!key) return std::move(key).error();
    packet.cancel_pid = *pid;
    packet.cancel_key = *key;
    return packet;
  }
  if (packet.code != kProtocolVersion3) return packet;  // the caller decides what to answer
  // Name/value pairs, ended by an empty name.
  for (;;) {
    auto name = reader.CString("startup parameter name");
    if (!name) return std::move(name).error();
    if (name->empty()) break;
    auto value = reader.CString("startup parameter value");
    if (!value) return std::move(value).error();
    packet.parameters.emplace_back(std::string(*name), std::string(*value));
  }
  return packet;
}

void MessageWriter::Begin(char type) {
  out_.push_back(type);
  frame_start_ = out_.size();
  out_.append(4, '\0');  // length, patched by End()
}

void MessageWriter::End() {
  uint32_t length = static_cast<uint32_t>(out_.size() - frame_start_);
  char* p = out_.data() + frame_start_;
  p[0] = static_cast<char>(length >> 24);
  p[1] = static_cast<char>(length >> 16);
  p[2] = static_cast<char>(length >> 8);
  p[3] = static_cast<char>(length);
}

void MessageWriter::Int16(int16_t v) {
  auto u = static_cast<uint16_t>(v);
  out_.push_back(static_cast<char>(u >> 8));
  out_.push_back(static_cast<char>(u));
}

void MessageWriter::Int32(int32_t v) {
  auto u = static_cast<uint32_t>(v);
  out_.push_back(static_cast<char>(u >> 24));
  out_.push_back(static_cast<char>(u >> 16));
  out_.push_back(static_cast<char>(u >> 8));
  out_.push_back(static_cast<char>(u));
}

void MessageWriter::CString(std::string_view s) {
  // A NUL inside would end the field early on the client; PostgreSQL text never contains one.
  size_t nul = s.find('\0');
  out_.append(s.substr(0, nul));
  out_.push_back('\0');
}

void MessageWriter::AuthenticationOk() {
  Begin('R');
  Int32(0);
  End();
}

void MessageWriter::AuthenticationSasl(std::string_view mechanism) {
  Begin('R');
  Int32(10);
  CString(mechanism);
  Int8(0);  // end of the mechanism list
  End();
}

void MessageWriter::AuthenticationData(int32_t code, std::string_view data) {
  Begin('R');
  Int32(code);
  out_.append(data);
  End();
}

void MessageWriter::ParameterStatus(std::string_view name, std::string_view value) {
  Begin('S');
  CString(name);
  CString(value);
  End();
}

void MessageWriter::NotificationResponse(int32_t pid, std::string_view channel,
                                         std::string_view payload) {
  Begin('A');
  Int32(pid);
  CString(channel);
  CString(payload);
  End();
}

void MessageWriter::BackendKeyData(int32_t pid, int32_t key) {
  Begin('K');
  Int32(pid);
  Int32(key);
  End();
}

void MessageWriter::ReadyForQuery(TransactionStatus status) {
  Begin('Z');
  out_.push_back(static_cast<char>(status));
  End();
}

void MessageWriter::RowDescription(const std::vector<FieldDescription>& fields) {
  Begin('T');
  Int16(static_cast<int16_t>(fields.size()));
  for (auto& f : fields) {
    CString(f.name);
    Int32(static_cast<int32_t>(f.table_oid));
    Int16(f.column_number);
    Int32(static_cast<int32_t>(f.type_oid));
    Int16(f.type_size);
    Int32(f.type_modifier);
    Int16(f.format);
  }
  End();
}

void MessageWriter::DataRow(const std::vector<std::optional<std::string_view>>& cells) {
  BeginDataRow(static_cast<int16_t>(cells.size()));
  for (auto& cell : cells) DataRowCell(cell);
  EndDataRow();
}

void MessageWriter::BeginDataRow(int16_t columns) {
  Begin('D');
  Int16(columns);
}

void MessageWriter::DataRowCell(std::optional<std::string_view> cell) {
  if (!cell) {
    Int32(-1);
    return;
  }
  Int32(static_cast<int32_t>(cell->size()));
  out_.append(*cell);
}

void MessageWriter::CommandComplete(std::string_view tag) {
  Begin('C');
  CString(tag);
  End();
}

void MessageWriter::ParameterDescription(const std::vector<uint32_t>& type_oids) {
  Begin('t');
  Int16(static_cast<int16_t>(type_oids.size()));
  for (uint32_t oid : type_oids) Int32(static_cast<int32_t>(oid));
  End();
}

void MessageWriter::CopyResponse(char type, bool binary, int16_t columns) {
  Begin(type);
  Int8(binary ? 1 : 0);
  Int16(columns);
  for (int16_t i = 0; i < columns; ++i) Int16(binary ? 1 : 0);
  End();
}

void MessageWriter::CopyData(std::string_view data) {
  Begin('d');
  out_.append(data);
  End();
}

void MessageWriter::EmptyQueryResponse() {
  Begin('I');
  End();
}

void MessageWriter::ErrorFields(const Error& error, std::string_view severity) {
  Int8('S');
  CString(severity);
  Int8('V');  // non-localized severity, PostgreSQL 9.6+
  CString(severity);
  Int8('C');
  CString(error.sqlstate);
  Int8('M');
  CString(error.message);
  if (!error.detail.empty()) {
    Int8('D');
    CString(error.detail);
  }
  if (!error.hint.empty()) {
    Int8('H');
    CString(error.hint);
  }
  if (error.position > 0) {
    Int8('P');
    CString(std::to_string(error.position));
  }
  Int8(0);
}

void MessageWriter::ErrorResponse(const Error& error) {
  Begin('E');
  ErrorFields(error, error.SeverityName());
  End();
}

void MessageWriter::NoticeResponse(const Error& notice) {
  Begin('N');
  ErrorFields(notice, notice.sqlstate.starts_with("01") ? "WARNING" : "NOTICE");
  End();
}

}  // namespace augur::pgwire
