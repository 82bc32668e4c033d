// http_fuzz.cpp: libFuzzer target for the bytes an HTTP client sends (issue 16: no input crashes
// the server). The input is a connection's byte stream, read by the server's own code: the
// ReadRequestHeader coroutine (read_request.h) and Beast's async_read, on Beast's in-memory test
// stream, with the server's body limit, several requests per connection while they keep it
// alive, as HttpServer::ServeRequests does. Each outcome is then handled as far as it goes
// without a database: MalformedRequestResponse for refused bytes, the 413 answer, and for a
// request RouteOf, ParseAuthorization (BearerRole and the rate limiter's key), CheckCrossSite,
// the authentication decisions, DecodeQueryRequest, QueryStream::CacheKey and Start (up to its
// session), Handle (against a database without sessions), AddCorsHeaders and the serialized
// response.
//
// The stream is read three times: in reads of any size, in 7-byte reads (a slow network), and
// with a 16-byte body limit (the 413 path).
// Findings are crashes, sanitizer reports and exceptions. Nothing is caught: an exception that
// leaves ServeRequests ends the connection's coroutine without its cleanup. Handle catches
// std::exception itself, as in the server.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/beast/_experimental/test/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <sstream>
#include <string>
#include <string_view>

#include "augur/engine.h"
#include "http/authorization.h"
#include "http/cross_site.h"
#include "http/malformed_request.h"
#include "http/query_api.h"
#include "http/read_request.h"
#include "http/routes.h"

namespace {

using namespace augur;
using namespace augur::http;
namespace asio = boost::asio;
namespace beast = boost::beast;

// HttpOptions' default (http.max_body_bytes).
constexpr uint64_t kMaxBodyBytes = 1u << 20;

// A database that has no sessions: every route that needs one answers its error. One API token
// and one password are valid, so that those paths go past their checks.
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

// A server on 127.0.0.1 that also answers as db.example.com and to one allowed origin.
const CrossSitePolicy& Policy() {
  static const CrossSitePolicy policy{
      "127.0.0.1", {"db.example.com"}, {"https://app.example.com"}, false};
  return policy;
}

void Send(Response& response) {
  response.prepare_payload();
  std::ostringstream wire;
  wire << response;
}

// What ServeRequests does with a parsed request, minus the engine and the socket: the client is
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
  std::optional<Response> answer = CheckCrossSite(Policy(), request, "127.0.0.1");
  std::string role;
  if (!answer && route.starts_with("/api/")) {  // Authenticate
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
  if (!answer) return;
  AddCorsHeaders(Policy(), request, *answer);
  Send(*answer);
}

// ServeRequests' loop over one connection's bytes.
asio::awaitable<void> Serve(NoDatabase& database, beast::test::stream& stream,
                            uint64_t body_limit) {
  beast::flat_buffer buffer;
  for (int requests = 0; requests < 16; ++requests) {
    beast::http::request_parser<beast::http::string_body> parser;
    parser.body_limit(body_limit);
    auto [header_error, header_bytes] = co_await ReadRequestHeader(stream, buffer, parser);
    bool too_large = header_error == beast::http::error::body_limit;
    boost::system::error_code read_error = too_large ? boost::system::error_code() : header_error;
    if (!too_large && !read_error) {
      auto [body_error, read] = co_await beast::http::async_read(
          stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
      too_large = body_error == beast::http::error::body_limit;
      if (!too_large) read_error = body_error;
    }
    if (read_error) {
      std::string_view received(static_cast<const char*>(buffer.data().data()), buffer.size());
      if (auto answer = MalformedRequestResponse(read_error, received)) Send(*answer);
      co_return;
    }
    if (too_large) {
      Response response =
          ErrorResponse(Error(sqlstate::kProgramLimitExceeded, "request body exceeds the limit"),
                        parser.get().version(), false);
      Send(response);
      co_return;
    }
    Request request = parser.release();
    Answer(database, request);
    if (!request.keep_alive()) co_return;
  }
}

void Run(NoDatabase& database, std::string_view input, size_t read_size, uint64_t body_limit) {
  asio::io_context io;
  beast::test::stream stream(io);
  stream.append(input);
  if (read_size > 0) stream.read_size(read_size);
  stream.close_remote();  // end of file once the input is read
  std::exception_ptr failure;
  asio::co_spawn(io, Serve(database, stream, body_limit),
                 [&failure](std::exception_ptr e) { failure = e; });
  io.run();
  if (failure) std::rethrow_exception(failure);  // a finding: the server would not catch it
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static NoDatabase database;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  Run(database, input, 0, kMaxBodyBytes);
  Run(database, input, 7, kMaxBodyBytes);
  Run(database, input, 0, 16);
  return 0;
}
