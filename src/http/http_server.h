// http_server.h: augur's HTTP server (Boost.Beast), beside the PostgreSQL server on the same I/O
// context.
//
// One coroutine per connection with keep-alive; a request must arrive within the request
// timeout and its body must fit the body limit (413 otherwise); a malformed one is answered
// (400, 431, 505) and the connection closed. Requests from other sites are refused before any
// route runs (cross_site.h). Engine calls run on the server's own worker pool, never on the I/O
// threads. Routes: GET /health, GET /ready,
// GET /metrics, POST /api/query (see docs/API.md).
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "augur/engine.h"
#include "common/rate_limiter.h"
#include "common/result_cache.h"
#include "http/cross_site.h"
#include "http/export_spool.h"
#include "http/query_api.h"
#include "http/routes.h"

namespace augur::http {

struct HttpOptions {
  std::string listen_address = "127.0.0.1";
  uint16_t port = 8080;
  uint64_t max_body_bytes = 1u << 20;
  std::chrono::milliseconds request_timeout{30'000};
  int worker_threads = 4;
  std::string data_dir;  // for file sizes in /metrics
  // Requests per client address (shared with pgwire); null or disabled: no limit.
  std::shared_ptr<RateLimiter> rate_limiter;
  // Results of read-only queries; null or capacity 0: no cache.
  std::shared_ptr<ResultCache> cache;
  // How API clients authenticate, on loopback and from elsewhere: "trust" (no credentials: the
  // bootstrap superuser), "scram-sha-256" (a token or a password required) or "reject".
  std::string auth_loopback = "trust";
  std::string auth_remote = "scram-sha-256";
  // Largest /api/query result body; beyond it the body ends with error 54000. 0: no cap.
  uint64_t max_result_bytes = 0;
  // HTTPS when set: every connection starts with a TLS handshake.
  std::shared_ptr<boost::asio::ssl::context> tls_context;
  // Host names answered besides the listen address, localhost and loopback addresses ("*": any),
  // and other sites' origins whose pages may call the API (see cross_site.h).
  std::vector<std::string> allowed_hosts;
  std::vector<std::string> allowed_origins;
  // Bytes that Parquet exports may hold at once in DATA/tmp; 0: no quota.
  uint64_t export_spool_bytes = 1ull << 30;
};

class HttpServer {
 public:
  HttpServer(boost::asio::io_context& io, Database& database, HttpOptions options);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and starts accepting; a clear error when the address is unusable.
  Status Start();
  uint16_t port() const { return bound_port_; }
  // Stops accepting and closes every connection. Call on the I/O context's thread.
  void Stop();

 private:
  boost::asio::awaitable<void> AcceptLoop();
  boost::asio::awaitable<void> Serve(boost::asio::ip::tcp::socket socket);
  // The request loop of one connection; Stream is beast::tcp_stream or an ssl_stream over it.
  template <class Stream>
  boost::asio::awaitable<void> ServeRequests(Stream& stream);
  // Writes a started query's rows as a chunked 200 response; false when the connection broke.
  template <class Stream>
  boost::asio::awaitable<bool> StreamQuery(Stream& stream, const Request& request,
                                           QueryStream& query, std::string_view cache_status);
  // Counts an /api/query statement: by command tag when it succeeded, else by SQLSTATE class.
  static void CountStatement(std::string_view command_tag, std::string_view sqlstate);
  static void RecordRequest(const std::string& route, unsigned status,
                            std::chrono::steady_clock::time_point start);
  // A 403 response unless the client is on the loopback interface.
  std::optional<Response> LoopbackOnly(boost::beast::tcp_stream& stream, const Request& request);
  // The role an /api request runs as: from "Authorization: Bearer <token>" or "Basic", or the
  // bootstrap superuser where auth is trust. Errors are 28000/28P01 (HTTP 401) or 403.
  // `token_role` is BearerRole(request), looked up once per request.
  Result<std::string> Authenticate(boost::beast::tcp_stream& stream, const Request& request,
                                   const std::optional<std::string>& token_role);
  // The role of the request's "Authorization: Bearer" token; nullopt without a valid one.
  std::optional<std::string> BearerRole(const Request& request);
  // A 429 response when the client is over server.rate_limit.
  std::optional<Response> RateLimited(boost::beast::tcp_stream& stream, const Request& request,
                                      bool valid_token);

  boost::asio::io_context& io_;
  Database& database_;
  HttpOptions options_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::thread_pool workers_;
  uint16_t bound_port_ = 0;
  bool stopping_ = false;
  std::mutex mu_;  // guards open_
  std::set<std::shared_ptr<boost::asio::ip::tcp::socket>> open_;
  CrossSitePolicy cross_site_;
  ExportSpool spool_;
  RunningQueries running_;  // statements started with a query_id, for POST /api/cancel
};

}  // namespace augur::http
