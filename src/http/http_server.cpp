// http_server.cpp
#include "http/http_server.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/chunk_encode.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <filesystem>

#include "common/blocking.h"
#include "common/listen.h"
#include "common/metrics.h"
#include "http/authorization.h"
#include "http/cancel_api.h"
#include "http/malformed_request.h"
#include "http/progress_api.h"
#include "http/query_api.h"
#include "http/read_request.h"
#include "http/routes.h"

namespace augur::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
using asio::ip::tcp;

namespace {

// DATA/tmp; beside a database in memory, a directory of this process in the system's.
std::filesystem::path SpoolDir(const std::string& data_dir) {
  if (data_dir.empty()) {
    return std::filesystem::temp_directory_path() / fmt::format("augur-spool-{}", ::getpid());
  }
  return std::filesystem::path(data_dir) / "tmp";
}

}  // namespace

HttpServer::HttpServer(asio::io_context& io, Database& database, HttpOptions options)
    : io_(io),
      database_(database),
      options_(std::move(options)),
      acceptor_(io),
      workers_(static_cast<size_t>(std::max(1, options_.worker_threads))),
      cross_site_{options_.listen_address, options_.allowed_hosts, options_.allowed_origins,
                  options_.tls_context != nullptr},
      spool_(SpoolDir(options_.data_dir), options_.export_spool_bytes) {}

HttpServer::~HttpServer() { workers_.join(); }

Status HttpServer::Start() {
  if (auto opened = spool_.Open(); !opened) return opened;
  auto port = Listen(acceptor_, options_.listen_address, options_.port, "HTTP", "--http-port");
  if (!port) return std::move(port).error();
  bound_port_ = *port;
  asio::co_spawn(io_, AcceptLoop(), asio::detached);
  spdlog::info("http listening address={} port={}", options_.listen_address, bound_port_);
  return {};
}

void HttpServer::Stop() {
  if (stopping_) return;
  stopping_ = true;
  boost::system::error_code ec;
  acceptor_.close(ec);
  std::lock_guard lock(mu_);
  for (auto& socket : open_) socket->close(ec);
}

asio::awaitable<void> HttpServer::AcceptLoop() {
  while (!stopping_) {
    auto [ec, socket] = co_await acceptor_.async_accept(asio::as_tuple(asio::use_awaitable));
    if (ec) {
      if (stopping_ || ec == asio::error::operation_aborted) break;
      spdlog::warn("http accept failed error=\"{}\"", ec.message());
      asio::steady_timer pause(io_, std::chrono::milliseconds(50));
      co_await pause.async_wait(asio::use_awaitable);
      continue;
    }
    // A response leaves in more than one write (head, then body or chunks): with Nagle's
    // algorithm on, the second waits for the client's delayed ACK, ~40 ms per request.
    socket.set_option(asio::ip::tcp::no_delay(true), ec);
    asio::co_spawn(io_, Serve(std::move(socket)), asio::detached);
  }
}

namespace {

prometheus::Counter& BytesIn() {
  static auto& counter = metrics::NetworkBytesCounter("http", "in");
  return counter;
}

prometheus::Counter& BytesOut() {
  static auto& counter = metrics::NetworkBytesCounter("http", "out");
  return counter;
}

// After refusing a request whose body is still arriving: stop sending, read and discard what the
// client sends (bounded in bytes and time), so that it sees our answer instead of a reset.
template <class Stream>
asio::awaitable<void> DrainThenClose(Stream& stream) {
  constexpr size_t kMaxDrainBytes = 64u << 20;
  boost::system::error_code ec;
  beast::get_lowest_layer(stream).socket().shutdown(tcp::socket::shutdown_send, ec);
  beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(5));
  std::array<char, 16384> sink;
  for (size_t drained = 0; drained < kMaxDrainBytes;) {
    auto [read_error, n] =
        co_await stream.async_read_some(asio::buffer(sink), asio::as_tuple(asio::use_awaitable));
    if (read_error) break;
    drained += n;
  }
}

}  // namespace

void HttpServer::CountStatement(std::string_view command_tag, std::string_view sqlstate) {
  if (!sqlstate.empty()) {
    metrics::StatementErrors()
        .Add({{"protocol", "http"}, {"class", std::string(sqlstate.substr(0, 2))}})
        .Increment();
    return;
  }
  std::string_view command = command_tag.substr(0, command_tag.find(' '));
  metrics::Statements()
      .Add({{"protocol", "http"}, {"command", command.empty() ? "OTHER" : std::string(command)}})
      .Increment();
}

void HttpServer::RecordRequest(const std::string& route, unsigned status,
                               std::chrono::steady_clock::time_point start) {
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  metrics::HttpRequests().Add({{"route", route}, {"status", std::to_string(status)}}).Increment();
  metrics::HttpSeconds().Add({{"route", route}}, metrics::LatencyBuckets()).Observe(seconds);
}

template <class Stream>
asio::awaitable<bool> HttpServer::StreamQuery(Stream& stream, const Request& request,
                                              QueryStream& query, std::string_view cache_status) {
  beast::http::response<beast::http::empty_body> head(beast::http::status::ok, request.version());
  head.set(beast::http::field::content_type, query.content_type());
  head.set(beast::http::field::server, "augur");
  head.set("X-Cache", cache_status);
  head.keep_alive(request.keep_alive());
  head.set(beast::http::field::trailer, "X-Augur-Truncated, X-Augur-Error");
  AddCorsHeaders(cross_site_, request, head);
  head.chunked(true);
  beast::http::response_serializer<beast::http::empty_body> serializer(head);
  beast::get_lowest_layer(stream).expires_after(options_.request_timeout);
  auto [head_error, head_bytes] = co_await beast::http::async_write_header(
      stream, serializer, asio::as_tuple(asio::use_awaitable));
  BytesOut().Increment(static_cast<double>(head_bytes));
  if (head_error) co_return false;
  std::string piece = query.Begin();
  for (;;) {
    if (!piece.empty()) {
      beast::get_lowest_layer(stream).expires_after(options_.request_timeout);
      auto [error, written] =
          co_await asio::async_write(stream, beast::http::make_chunk(asio::buffer(piece)),
                                     asio::as_tuple(asio::use_awaitable));
      BytesOut().Increment(static_cast<double>(written));
      if (error) co_return false;  // the client went away: abandon the result
    }
    if (query.done()) break;
    piece = co_await RunBlocking(workers_, [&query] { return query.Next(); });
  }
  // The status went out before the rows: trailers say whether the body is whole.
  beast::http::fields trailers;
  trailers.set("X-Augur-Truncated", query.truncated() ? "true" : "false");
  if (!query.error_sqlstate().empty()) trailers.set("X-Augur-Error", query.error_sqlstate());
  auto [error, written] = co_await asio::async_write(stream, beast::http::make_chunk_last(trailers),
                                                     asio::as_tuple(asio::use_awaitable));
  BytesOut().Increment(static_cast<double>(written));
  co_return !error;
}

std::optional<Response> HttpServer::LoopbackOnly(beast::tcp_stream& stream,
                                                 const Request& request) {
  boost::system::error_code ec;
  auto endpoint = stream.socket().remote_endpoint(ec);
  if (!ec && endpoint.address().is_loopback()) return std::nullopt;
  Response response =
      ErrorResponse(Error("42501", "this route writes server files and answers only local clients"),
                    request.version(), request.keep_alive());
  response.result(beast::http::status::forbidden);
  return response;
}

std::optional<std::string> HttpServer::BearerRole(const Request& request) {
  auto presented = ParseAuthorization(request[beast::http::field::authorization]);
  if (presented.scheme != Authorization::Scheme::kBearer) return std::nullopt;
  return database_.RoleForToken(presented.token);
}

Result<std::string> HttpServer::Authenticate(beast::tcp_stream& stream, const Request& request,
                                             const std::optional<std::string>& token_role) {
  boost::system::error_code ec;
  auto endpoint = stream.socket().remote_endpoint(ec);
  bool loopback = !ec && endpoint.address().is_loopback();
  const std::string& method = loopback ? options_.auth_loopback : options_.auth_remote;
  if (method == "reject") {
    return Error(sqlstate::kInsufficientPrivilege,
                 fmt::format("requests from {} are refused (auth.{} = reject)",
                             ec ? "unknown" : endpoint.address().to_string(),
                             loopback ? "loopback" : "remote"));
  }
  auto presented = ParseAuthorization(request[beast::http::field::authorization]);
  switch (presented.scheme) {
    case Authorization::Scheme::kBearer:
      if (!token_role) return Error(sqlstate::kInvalidAuthorization, "invalid API token");
      return *token_role;
    case Authorization::Scheme::kBadBasic:
      return Error(sqlstate::kInvalidAuthorization, "malformed Basic credentials");
    case Authorization::Scheme::kBasic:
      if (!database_.CheckPassword(presented.user, presented.password)) {
        return Error("28P01",
                     fmt::format("password authentication failed for user \"{}\"", presented.user));
      }
      return std::move(presented.user);
    case Authorization::Scheme::kUnsupported:
      return Error(sqlstate::kInvalidAuthorization,
                   "unsupported Authorization scheme: use Bearer or Basic");
    case Authorization::Scheme::kNone:
      break;
  }
  if (method == "trust") return std::string(kBootstrapRole);
  return Error(sqlstate::kInvalidAuthorization, "authentication required")
      .WithHint(
          "send \"Authorization: Bearer <token>\" (see augur_create_api_token) or Basic "
          "credentials");
}

std::optional<Response> HttpServer::RateLimited(beast::tcp_stream& stream, const Request& request,
                                                bool valid_token) {
  auto& limiter = options_.rate_limiter;
  // Probes and scrapes are never limited: a busy client must not look dead to its orchestrator.
  std::string_view target = request.target();
  if (!limiter || !limiter->enabled() || target == "/health" || target == "/ready" ||
      target == "/metrics") {
    return std::nullopt;
  }
  // The client is its API token when it presents a valid one (several services behind one
  // proxy address stay apart), else its address. Only a valid token counts: made-up ones would
  // let a flood spread over unlimited keys.
  std::string client;
  if (valid_token) {
    std::string_view token = ParseAuthorization(request[beast::http::field::authorization]).token;
    client = "token " + std::string(token.substr(0, token.rfind('_')));  // augur_<id>, no secret
  } else {
    boost::system::error_code ec;
    auto endpoint = stream.socket().remote_endpoint(ec);
    client = ec ? "unknown" : endpoint.address().to_string();
  }
  auto decision = limiter->Admit(client);
  if (decision.allowed) return std::nullopt;
  metrics::RateLimited().Add({{"protocol", "http"}}).Increment();
  auto wait_ms = std::chrono::ceil<std::chrono::milliseconds>(decision.retry_after).count();
  Response response = ErrorResponse(
      std::move(Error(sqlstate::kConfigurationLimitExceeded,
                      fmt::format("too many requests from {}", client))
                    .WithHint(fmt::format("retry in {} ms (server.rate_limit)", wait_ms))),
      request.version(), request.keep_alive());
  response.result(beast::http::status::too_many_requests);
  // Retry-After counts whole seconds: round up so that a client that obeys it is admitted.
  response.set(beast::http::field::retry_after, std::to_string((wait_ms + 999) / 1000));
  return response;
}

asio::awaitable<void> HttpServer::Serve(tcp::socket socket) {
  beast::tcp_stream plain(std::move(socket));
  // Registered by address so that Stop() can close it; the stream owns the socket.
  auto handle = std::shared_ptr<tcp::socket>(std::shared_ptr<void>(), &plain.socket());
  {
    std::lock_guard lock(mu_);
    if (stopping_) co_return;
    open_.insert(handle);
  }
  auto& open_connections = metrics::Sessions().Add({{"protocol", "http"}});
  open_connections.Increment();
  if (options_.tls_context) {
    beast::ssl_stream<beast::tcp_stream&> tls(plain, *options_.tls_context);
    plain.expires_after(options_.request_timeout);
    auto [handshake_error] = co_await tls.async_handshake(asio::ssl::stream_base::server,
                                                          asio::as_tuple(asio::use_awaitable));
    if (!handshake_error) co_await ServeRequests(tls);
  } else {
    co_await ServeRequests(plain);
  }
  open_connections.Decrement();
  boost::system::error_code ec;
  plain.socket().shutdown(tcp::socket::shutdown_send, ec);
  std::lock_guard lock(mu_);
  open_.erase(handle);
}

template <class Stream>
asio::awaitable<void> HttpServer::ServeRequests(Stream& stream) {
  beast::flat_buffer buffer;
  while (!stopping_) {
    beast::http::request_parser<beast::http::string_body> parser;
    parser.body_limit(options_.max_body_bytes);
    beast::get_lowest_layer(stream).expires_after(options_.request_timeout);
    auto [header_error, header_bytes] = co_await ReadRequestHeader(stream, buffer, parser);
    BytesIn().Increment(static_cast<double>(header_bytes));
    // Beast reports a Content-Length over the limit as soon as it has the header.
    bool too_large = header_error == beast::http::error::body_limit;
    boost::system::error_code read_error = too_large ? boost::system::error_code() : header_error;
    if (!too_large && !read_error) {
      auto [body_error, read] = co_await beast::http::async_read(
          stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
      BytesIn().Increment(static_cast<double>(read));
      too_large = body_error == beast::http::error::body_limit;
      if (!too_large) read_error = body_error;
    }
    if (read_error) {
      std::string_view received(static_cast<const char*>(buffer.data().data()), buffer.size());
      auto answer = MalformedRequestResponse(read_error, received);
      if (!answer) break;  // closed, reset or timed out: nothing to answer
      answer->prepare_payload();
      metrics::HttpRequests()
          .Add({{"route", "other"}, {"status", std::to_string(answer->result_int())}})
          .Increment();
      co_await beast::http::async_write(stream, *answer, asio::as_tuple(asio::use_awaitable));
      co_await DrainThenClose(stream);
      break;
    }
    if (too_large) {
      Response response = ErrorResponse(
          Error(sqlstate::kProgramLimitExceeded,
                fmt::format("request body exceeds {} bytes", options_.max_body_bytes)),
          parser.get().version(), false);
      response.prepare_payload();
      metrics::HttpRequests().Add({{"route", "other"}, {"status", "413"}}).Increment();
      co_await beast::http::async_write(stream, response, asio::as_tuple(asio::use_awaitable));
      co_await DrainThenClose(stream);
      break;
    }
    Request request = parser.release();
    auto start = std::chrono::steady_clock::now();
    std::string route = RouteOf(request);
    const std::optional<std::string> token_role = BearerRole(request);
    std::optional<Response> answer =
        RateLimited(beast::get_lowest_layer(stream), request, token_role.has_value());
    if (!answer) {
      boost::system::error_code ec;
      auto local = beast::get_lowest_layer(stream).socket().local_endpoint(ec);
      answer = CheckCrossSite(cross_site_, request, ec ? "" : local.address().to_string());
    }
    std::string role;
    if (!answer && route.starts_with("/api/")) {
      auto who = Authenticate(beast::get_lowest_layer(stream), request, token_role);
      if (who) {
        role = std::move(*who);
      } else {
        answer = ErrorResponse(who.error(), request.version(), request.keep_alive());
        if (who.error().sqlstate == sqlstate::kInsufficientPrivilege) {
          answer->result(beast::http::status::forbidden);
        } else {
          answer->set(beast::http::field::www_authenticate, "Bearer realm=\"augur\"");
          answer->insert(beast::http::field::www_authenticate, "Basic realm=\"augur\"");
        }
      }
    }
    if (!answer && route == "/api/backup")
      answer = LoopbackOnly(beast::get_lowest_layer(stream), request);
    if (!answer && route == "/api/query" && request.method() == beast::http::verb::post) {
      QueryCache cache(options_.cache, database_);
      bool bypass =
          request[beast::http::field::cache_control].find("no-cache") != std::string_view::npos;
      std::optional<std::string> key;
      if (cache.enabled() && !bypass) {
        // Every HTTP request starts a session with the default search_path.
        if (auto canonical = QueryStream::CacheKey(request.body())) {
          key = QueryCache::Key("http", role, "", *canonical);
        }
      }
      if (key) {
        if (auto hit = cache.Lookup(*key)) {
          answer.emplace(beast::http::status::ok, request.version());
          answer->set(beast::http::field::content_type, hit->content_type);
          answer->set(beast::http::field::server, "augur");
          answer->set("X-Cache", "hit");
          answer->keep_alive(request.keep_alive());
          answer->body() = std::move(hit->body);
        }
      }
      if (!answer) {
        // Streamed: the status line goes out once the statement has started; rows follow in
        // chunks as they are fetched.
        auto started = co_await RunBlocking(workers_, [this, &request, &role, &cache, &key] {
          return QueryStream::Start(database_, request.body(), role, key ? &cache : nullptr,
                                    key.value_or(""), options_.max_result_bytes, &spool_,
                                    &running_);
        });
        if (started) {
          auto& query = **started;
          bool ok = co_await StreamQuery(stream, request, query,
                                         key && query.cacheable() ? "miss" : "bypass");
          CountStatement(query.command(), query.error_sqlstate());
          if (ok) query.StoreInCache(cache);
          co_await RunBlocking(workers_, [&started] {  // closing a cursor may block
            started->reset();
            return 0;
          });
          RecordRequest(route, 200, start);
          if (!ok || !request.keep_alive()) break;
          continue;
        }
        CountStatement("", started.error().sqlstate);
        answer = ErrorResponse(started.error(), request.version(), request.keep_alive());
      }
    } else if (!answer && route == "/api/cancel" && request.method() == beast::http::verb::post) {
      answer = HandleCancel(running_, database_, request, role);  // here: never queued
    } else if (!answer && route == "/api/progress" && request.method() == beast::http::verb::get) {
      answer = HandleProgress(running_, database_, request, role);  // here too: polled often
    } else if (!answer) {
      answer = co_await RunBlocking(workers_, [this, &request, &role] {
        return Handle(database_, request, options_.data_dir, role, &running_,
                      options_.max_result_bytes);
      });
    }
    Response& response = *answer;
    AddCorsHeaders(cross_site_, request, response);
    response.prepare_payload();
    RecordRequest(route, response.result_int(), start);
    if (response.result_int() >= 500) {
      spdlog::warn("http request failed route={} status={} body={}", route, response.result_int(),
                   response.body());
    }
    bool keep_alive = response.keep_alive();
    beast::get_lowest_layer(stream).expires_after(options_.request_timeout);
    auto [write_error, written] =
        co_await beast::http::async_write(stream, response, asio::as_tuple(asio::use_awaitable));
    BytesOut().Increment(static_cast<double>(written));
    if (write_error || !keep_alive) break;
  }
}

}  // namespace augur::http
