// pgwire_fuzz.cpp: libFuzzer target for the bytes a PostgreSQL client sends (issue 16: no input
// crashes the server). It calls the decoders that Connection (connection.cpp, extended_query.cpp,
// copy_protocol.cpp, authentication.cpp) calls on client bytes, in the same order and with the
// same limits, minus the sockets and the engine.
//
// Input: the first byte picks the surface, the rest is what the client sends.
//   0  startup phase: length-prefixed startup packets (SSLRequest, GSSENCRequest, CancelRequest,
//      StartupMessage); after a StartupMessage the remaining bytes are the message phase (1).
//   1  message phase: typed frames (Q, P, B, D, E, C, S, H, p for SASL, d/c/f for COPY).
//   2  COPY FROM STDIN text/csv: byte 1 flags (bit 0 csv, bit 1 header), byte 2 column count,
//      byte 3 CopyData chunk size, bytes 4-6 delimiter, quote, escape, byte 7 NULL string length,
//      then the NULL string and the data.
//   3  COPY FROM STDIN binary: byte 1 column count, then one type byte per column, byte for the
//      chunk size, then the data.
//   4  one binary-format Bind parameter: byte 1 the type, then the value.
// Findings are crashes, sanitizer reports and exceptions: Connection::Run catches only
// boost::system::system_error (socket errors), so nothing is caught here.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/scram.h"
#include "pgwire/binary_values.h"
#include "pgwire/codec.h"
#include "pgwire/copy_codec.h"
#include "pgwire/frontend_messages.h"

namespace {

using namespace augur;
using namespace augur::pgwire;

// As in connection.cpp (kMaxStartupPacket) and config.h (pgwire.max_message_bytes' default).
constexpr uint32_t kMaxStartupPacket = 10000;
constexpr uint32_t kMaxMessageBytes = 64u << 20;

// Type OIDs a parameter or a COPY column may have: every one binary_values.cpp decodes, and a
// few it refuses.
constexpr uint32_t kTypes[] = {16,   17,   18,   19,   20,   21,   23,   25,   114,
                               700,  701,  1042, 1043, 1082, 1083, 1114, 1184, 1186,
                               1700, 2950, 3802, 0,    26,   1000, 1007, 3904};
uint32_t TypeAt(size_t i) { return kTypes[i % std::size(kTypes)]; }

// Client bytes as the connection reads them: exact-size reads, and the connection waits (here:
// gives up) when fewer bytes are left.
class Input {
 public:
  explicit Input(std::string_view data) : data_(data) {}
  bool Read(size_t n, std::string_view& out) {
    if (data_.size() < n) return false;
    out = data_.substr(0, n);
    data_.remove_prefix(n);
    return true;
  }
  uint8_t Byte() {
    if (data_.empty()) return 0;
    auto b = static_cast<uint8_t>(data_[0]);
    data_.remove_prefix(1);
    return b;
  }
  std::string_view Rest() const { return data_; }

 private:
  std::string_view data_;
};

// Feeds `data` to a COPY converter in CopyData-sized pieces, then ends it, as CopyIn does.
template <class Converter>
void FeedCopy(Converter& converter, std::string_view data, size_t chunk) {
  std::string csv;
  Status status;
  while (status && !data.empty()) {
    size_t n = chunk == 0 ? data.size() : std::min(chunk, data.size());
    status = converter.Feed(data.substr(0, n), csv);
    data.remove_prefix(n);
    if (csv.size() > (1u << 16)) csv.clear();  // CopyIn spools it to a file
  }
  if (status) status = converter.Finish(csv);
}

// The typed-message loop of Connection::Run, with the extended-query decoders and the SASL
// exchange of AuthenticateScram.
void MessagePhase(Input& in) {
  std::map<std::string, std::vector<uint32_t>, std::less<>> statements;  // Parse's declared types
  scram::ScramServer exchange(scram::MockVerifier("fuzz"), "fuzznonce");
  int sasl_step = 0;
  CopyInConverter copy_text(CopyFormat{}, 3);
  std::string csv;
  std::string_view header;
  while (in.Read(5, header)) {
    auto length = CheckedBodyLength(header.data() + 1, kMaxMessageBytes);
    if (!length) return;  // SendFatal, connection ends
    std::string_view body;
    if (!in.Read(*length, body)) return;
    switch (header[0]) {
      case 'X':
        return;
      case 'Q': {
        BodyReader reader(body);
        if (!reader.CString("query string")) return;
        break;
      }
      case 'P': {
        auto parse = DecodeParse(body);
        if (parse && statements.size() < 64) {
          statements[std::string(parse->statement)] = parse->parameter_types;
        }
        break;
      }
      case 'B': {
        auto bind = DecodeBind(body);
        if (!bind) break;
        auto statement = statements.find(bind->statement);
        for (size_t i = 0; i < bind->parameters.size(); ++i) {
          if (!bind->parameters[i] || BindMessage::FormatFor(bind->parameter_formats, i) != 1) {
            continue;
          }
          uint32_t oid = statement != statements.end() && i < statement->second.size()
                             ? statement->second[i]
                             : TypeAt(i);
          (void)BinaryParameterToText(oid, *bind->parameters[i]);
        }
        for (size_t i = 0; i < 4; ++i) (void)BindMessage::FormatFor(bind->result_formats, i);
        break;
      }
      case 'D':
        (void)DecodeDescribe(body);
        break;
      case 'E':
        (void)DecodeExecute(body);
        break;
      case 'C':
        if (auto close = DecodeClose(body); close && close->kind == 'S') {
          statements.erase(std::string(close->name));
        }
        break;
      case 'p': {  // SASLInitialResponse, then SASLResponse
        if (sasl_step == 0) {
          BodyReader initial(body);
          auto mechanism = initial.CString("SASL mechanism");
          auto length = initial.Int32("SASL data length");
          if (!mechanism || !length || *mechanism != "SCRAM-SHA-256" || *length < 0) return;
          auto client_first = initial.Bytes(static_cast<size_t>(*length), "SASL data");
          if (!client_first) return;
          if (!exchange.ClientFirst(*client_first)) return;
          sasl_step = 1;
        } else {
          (void)exchange.ClientFinal(body);
          return;  // either way the exchange is over
        }
        break;
      }
      case 'd':
        (void)copy_text.Feed(body, csv);
        csv.clear();
        break;
      case 'c':
        (void)copy_text.Finish(csv);
        break;
      case 'f':  // CopyFail: the message is quoted back up to its NUL
        (void)std::string_view(body).substr(0, body.find('\0'));
        break;
      default:
        break;  // S, H and unknown types carry nothing to decode
    }
  }
}

// Connection::Startup: untyped packets until a StartupMessage, then the message phase.
void StartupPhase(Input& in) {
  for (;;) {
    std::string_view length_word;
    if (!in.Read(4, length_word)) return;
    auto length = CheckedBodyLength(length_word.data(), kMaxStartupPacket);
    if (!length) return;
    std::string_view body;
    if (!in.Read(*length, body)) return;
    auto packet = ParseStartupPacket(body);
    if (!packet) return;
    switch (packet->code) {
      case kSslRequestCode:
      case kGssEncRequestCode:
        continue;
      case kProtocolVersion3:
        (void)packet->Parameter("user");
        (void)packet->Parameter("application_name");
        MessagePhase(in);
        return;
      default:
        return;  // CancelRequest, or an unsupported protocol version
    }
  }
}

void CopyTextOrCsv(Input& in) {
  uint8_t flags = in.Byte();
  size_t columns = in.Byte() % 16;
  size_t chunk = in.Byte();
  CopyFormat format;
  bool csv = flags & 1;
  format.kind = csv ? CopyFormat::Kind::kCsv : CopyFormat::Kind::kText;
  format.header = csv && (flags & 2);
  // client_copy.cpp accepts any single byte for these, and any NULL string.
  format.delimiter = static_cast<char>(in.Byte());
  format.quote = static_cast<char>(in.Byte());
  format.escape = static_cast<char>(in.Byte());
  size_t null_length = in.Byte() % 8;
  std::string_view null_string;
  if (!in.Read(null_length, null_string)) return;
  format.null_string = std::string(null_string);
  CopyInConverter converter(format, columns);
  FeedCopy(converter, in.Rest(), chunk);
}

void CopyBinary(Input& in) {
  size_t columns = in.Byte() % 8;
  std::vector<uint32_t> types;
  for (size_t i = 0; i < columns; ++i) types.push_back(TypeAt(in.Byte()));
  size_t chunk = in.Byte();
  BinaryCopyInConverter converter(std::move(types));
  FeedCopy(converter, in.Rest(), chunk);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Input in(std::string_view(reinterpret_cast<const char*>(data), size));
  switch (in.Byte() % 5) {
    case 0:
      StartupPhase(in);
      break;
    case 1:
      MessagePhase(in);
      break;
    case 2:
      CopyTextOrCsv(in);
      break;
    case 3:
      CopyBinary(in);
      break;
    case 4: {
      uint32_t oid = TypeAt(in.Byte());
      (void)BinaryParameterToText(oid, in.Rest());
      break;
    }
  }
  return 0;
}
