// http_fuzz.cpp: libFuzzer target for the bytes an HTTP client sends (issue 16: no input crashes
// the server). The input is a connection's byte stream. It is read as HttpServer::ServeRequests
// reads it: Beast's request_parser<string_body> with the server's body limit, header first, then
// the body, several requests per connection while they keep it alive; and each request is then
// handled as far as it goes without a database: route matching (RouteOf, Handle), the
// Authorization header (ParseAuthorization, the token's rate-limit key), the /api/query body
// (DecodeQueryRequest, QueryStream::CacheKey, QueryStream::Start up to its session), the JSON
// error responses, and the serialized response.
//
// The stream is read twice: in one piece, and in 7-byte reads, as a slow network delivers it;
// and a third time with a 16-byte body limit, for the 413 path.
// Findings are crashes, sanitizer reports and exceptions. Nothing is caught: an exception that
// leaves ServeRequests ends the connection's coroutine without its cleanup. Handle catches
// std::exception itself, as in the server.
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>

#include "augur/engine.h"
#include "http/authorization.h"
#include "http/query_api.h"
#include "http/routes.h"

namespace {

using namespace augur;
using namespace augur::http;
namespace beast = boost::beast;
namespace net = boost::asio;

// HttpOptions' default (http.max_body_bytes).
constexpr uint64_t kMaxBodyBytes = 1u << 20;

// A database that has no sessions: every route that needs one answers its error. One API token
// is valid, so that the Bearer path goes past the lookup.
class NoDatabase final : public Database {
 public:
  Result<std::unique_ptr<Session>> Connect() override { return Unavailable(); }
  Result<std::unique_ptr<Session>> ConnectAs(const std::string&) override { return Unavailable(); }
  std::optional<RoleInfo> FindRole(const std::string&) override { return std::nullopt; }
  std::optional<std::string> RoleForToken(std::string_view token) override {
    if (token == "augur_0123456789ab_fuzz") return std::string(kBootstrapRole);
    return std::nullopt;
  }
  bool CheckPassword(const std::string&, std::string_view password) override {
    return password == "fuzz";
  }
  Status Checkpoint() override { return {}; }
  std::string engine_version() const override { return "v1.4.4"; }
  std::string TableVersionStamp(const std::vector<std::string>&) override { return ""; }

 private:
  static Error Unavailable() { return Error("57P03", "the fuzz target has no database"); }
};

// A SyncReadStream over the input, `chunk` bytes per read (0: all at once), then EOF.
class InputStream {
 public:
  InputStream(std::string_view data, size_t chunk) : data_(data), chunk_(chunk) {}
  template <class MutableBuffers>
  size_t read_some(const MutableBuffers& buffers, beast::error_code& ec) {
    ec = {};
    if (data_.empty()) {
      ec = net::error::eof;
      return 0;
    }
    size_t n = chunk_ == 0 ? data_.size() : std::min(chunk_, data_.size());
    n = net::buffer_copy(buffers, net::buffer(data_.data(), n));
    data_.remove_prefix(n);
    return n;
  }
  template <class MutableBuffers>
  size_t read_some(const MutableBuffers& buffers) {
    beast::error_code ec;
    size_t n = read_some(buffers, ec);
    if (ec) throw beast::system_error(ec);
    return n;
  }

 private:
  std::string_view data_;
  size_t chunk_;
};

void Send(Response& response) {
  response.prepare_payload();
  std::ostringstream wire;
  wire << response;
}

// What ServeRequests does with a parsed request, minus the engine and the socket. The client is
// on the loopback interface with auth.loopback = trust, the server's defaults.
void Answer(NoDatabase& database, const Request& request) {
  std::string route = RouteOf(request);
  auto presented = ParseAuthorization(request[beast::http::field::authorization]);
  std::optional<std::string> token_role;
  if (presented.scheme == Authorization::Scheme::kBearer) {
    token_role = database.RoleForToken(presented.token);
  }
  if (token_role) {  // RateLimited's key for a valid token
    std::string_view token = presented.token;
    (void)("token " + std::string(token.substr(0, token.rfind('_'))));
  }
  std::optional<Response> answer;
  std::string role;
  if (route.starts_with("/api/")) {  // Authenticate
    std::optional<Error> refused;
    switch (presented.scheme) {
      case Authorization::Scheme::kBearer:
        if (token_role) {
          role = *token_role;
        } else {
          refused = Error(sqlstate::kInvalidAuthorization, "invalid API token");
        }
        break;
      case Authorization::Scheme::kBadBasic:
        refused = Error(sqlstate::kInvalidAuthorization, "malformed Basic credentials");
        break;
      case Authorization::Scheme::kBasic:
        if (database.CheckPassword(presented.user, presented.password)) {
          role = presented.user;
        } else {
          refused =
              Error("28P01", "password authentication failed for user \"" + presented.user + "\"");
        }
        break;
      case Authorization::Scheme::kUnsupported:
        refused = Error(sqlstate::kInvalidAuthorization, "unsupported Authorization scheme");
        break;
      case Authorization::Scheme::kNone:
        role = std::string(kBootstrapRole);
        break;
    }
    if (refused) {
      answer = ErrorResponse(*refused, request.version(), request.keep_alive());
      answer->set(beast::http::field::www_authenticate, "Bearer realm=\"augur\"");
    }
  }
  if (!answer && route == "/api/query" && request.method() == beast::http::verb::post) {
    (void)request[beast::http::field::cache_control].find("no-cache");
    (void)QueryStream::CacheKey(request.body());
    (void)DecodeQueryRequest(request.body());
    auto started = QueryStream::Start(database, request.body(), role);
    if (!started) answer = ErrorResponse(started.error(), request.version(), request.keep_alive());
  } else if (!answer) {
    answer = Handle(database, request, "", role);
  }
  if (answer) Send(*answer);
}

void Serve(NoDatabase& database, std::string_view input, size_t chunk, uint64_t body_limit) {
  InputStream stream(input, chunk);
  beast::flat_buffer buffer;
  for (int requests = 0; requests < 16; ++requests) {
    beast::http::request_parser<beast::http::string_body> parser;
    parser.body_limit(body_limit);
    beast::error_code ec;
    beast::http::read_header(stream, buffer, parser, ec);
    bool too_large = ec == beast::http::error::body_limit;
    if (ec && !too_large) return;
    if (!too_large) {
      beast::http::read(stream, buffer, parser, ec);
      too_large = ec == beast::http::error::body_limit;
      if (ec && !too_large) return;
    }
    if (too_large) {
      Response response =
          ErrorResponse(Error(sqlstate::kProgramLimitExceeded, "request body exceeds the limit"),
                        parser.get().version(), false);
      Send(response);
      return;
    }
    Request request = parser.release();
    Answer(database, request);
    if (!request.keep_alive()) return;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static NoDatabase database;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  Serve(database, input, 0, kMaxBodyBytes);
  Serve(database, input, 7, kMaxBodyBytes);
  Serve(database, input, 0, 16);
  return 0;
}
