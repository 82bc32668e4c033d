// codec.h: PostgreSQL v3 protocol messages <-> bytes. No sockets, no engine: the server feeds it
// bytes and takes bytes back, which keeps every parsing path testable and fuzzable.
//
// Frame layout (https://www.postgresql.org/docs/15/protocol-message-formats.html): a regular
// message is a type byte, then an int32 length that counts itself and the body. The startup
// packet, SSLRequest, GSSENCRequest and CancelRequest have no type byte. All integers are
// big-endian.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "augur/error.h"
#include "augur/result.h"

namespace augur::pgwire {

// Request codes carried by untyped startup-phase packets.
inline constexpr int32_t kProtocolVersion3 = 196608;  // 3.0
inline constexpr int32_t kSslRequestCode = 80877103;
inline constexpr int32_t kGssEncRequestCode = 80877104;
inline constexpr int32_t kCancelRequestCode = 80877102;

// --- Reading ------------------------------------------------------------------------------------

// Reads fields out of one message body. Every read checks bounds; reading past the end yields an
// 08P01 error naming the field, never undefined behaviour.
class BodyReader {
 public:
  explicit BodyReader(std::string_view body) : body_(body) {}
  Result<int16_t> Int16(std::string_view field);
  Result<int32_t> Int32(std::string_view field);
  // A NUL-terminated string; the terminator is consumed and not returned.
  Result<std::string_view> CString(std::string_view field);
  Result<std::string_view> Bytes(size_t n, std::string_view field);
  size_t remaining() const { return body_.size() - pos_; }

 private:
  Error Truncated(std::string_view field) const;
  std::string_view body_;
  size_t pos_ = 0;
};

// Length of a frame from its 4-byte length word, checked: the length counts itself, so anything
// under 4 is malformed, and anything over max_bytes is refused before a byte of it is buffered.
Result<uint32_t> CheckedBodyLength(const char length_word[4], uint32_t max_bytes);

struct StartupPacket {
  int32_t code = 0;  // kProtocolVersion3, kSslRequestCode, ...
  std::vector<std::pair<std::string, std::string>> parameters;  // user, database, options, ...
  int32_t cancel_pid = 0;                                       // CancelRequest only
  int32_t cancel_key = 0;
  std::string_view Parameter(std::string_view name) const;
};

// Parses the body of an untyped startup-phase packet (everything after the length word).
Result<StartupPacket> ParseStartupPacket(std::string_view body);

// --- Writing ------------------------------------------------------------------------------------

enum class TransactionStatus : char { kIdle = 'I', kInBlock = 'T', kFailed = 'E' };

struct FieldDescription {
  std::string name;
  uint32_t table_oid = 0;
  int16_t column_number = 0;
  uint32_t type_oid = 0;
  int16_t type_size = -1;
  int32_t type_modifier = -1;
  int16_t format = 0;  // 0 text, 1 binary
};

// Appends backend messages to a buffer. Each method writes one complete message.
class MessageWriter {
 public:
  void AuthenticationOk();
  // SCRAM: AuthenticationSASL naming the one mechanism, then SASLContinue and SASLFinal.
  void AuthenticationSasl(std::string_view mechanism);
  void AuthenticationSaslContinue(std::string_view data) { AuthenticationData(11, data); }
  void AuthenticationSaslFinal(std::string_view data) { AuthenticationData(12, data); }
  void ParameterStatus(std::string_view name, std::string_view value);
  // NotificationResponse ('A'): a NOTIFY from session `pid` on `channel`.
  void NotificationResponse(int32_t pid, std::string_view channel, std::string_view payload);
  void BackendKeyData(int32_t pid, int32_t key);
  void ReadyForQuery(TransactionStatus status);
  void RowDescription(const std::vector<FieldDescription>& fields);
  // One DataRow; cells[i] == nullopt is NULL.
  void DataRow(const std::vector<std::optional<std::string_view>>& cells);
  // DataRow written cell by cell, for callers that hold cells elsewhere.
  void BeginDataRow(int16_t columns);
  void DataRowCell(std::optional<std::string_view> cell);
  void EndDataRow() { End(); }
  void CommandComplete(std::string_view tag);
  // Extended query protocol replies.
  void ParseComplete() { Bare('1'); }
  void BindComplete() { Bare('2'); }
  void CloseComplete() { Bare('3'); }
  void NoData() { Bare('n'); }
  void PortalSuspended() { Bare('s'); }
  void ParameterDescription(const std::vector<uint32_t>& type_oids);
  // COPY: CopyInResponse ('G') or CopyOutResponse ('H'), then CopyData and CopyDone.
  void CopyResponse(char type, bool binary, int16_t columns);
  void CopyData(std::string_view data);
  void CopyDone() { Bare('c'); }
  void EmptyQueryResponse();
  void ErrorResponse(const Error& error);
  void NoticeResponse(const Error& notice);

  // Appends already-encoded messages (a cached reply).
  void Raw(std::string_view messages) { out_.append(messages); }
  const std::string& buffer() const { return out_; }
  size_t size() const { return out_.size(); }
  void Clear() { out_.clear(); }
  std::string Take() { return std::exchange(out_, {}); }

 private:
  void Bare(char type) {
    Begin(type);
    End();
  }
  void Begin(char type);
  void End();
  void AuthenticationData(int32_t code, std::string_view data);
  void Int8(uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void Int16(int16_t v);
  void Int32(int32_t v);
  void CString(std::string_view s);
  void ErrorFields(const Error& error, std::string_view severity);

  std::string out_;
  size_t frame_start_ = 0;
};

}  // namespace augur::pgwire
