// server.h: the PostgreSQL wire-protocol server.
//
// One coroutine per client connection on the I/O context; engine calls run on a worker pool (see
// blocking.h). The server owns the registry that CancelRequest uses to find a session by its
// backend pid and secret key.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "augur/engine.h"
#include "common/rate_limiter.h"
#include "common/result_cache.h"

namespace augur::pgwire {

struct ServerOptions {
  std::string listen_address = "127.0.0.1";
  uint16_t port = 5432;
  // Largest regular message accepted; larger ones end the connection with an error (54000).
  uint32_t max_message_bytes = 64u << 20;
  // Threads that run engine calls; bounds how many statements execute at once.
  int worker_threads = 16;
  // Client sessions at once; the next one is refused with 53300, as PostgreSQL does.
  int max_connections = 100;
  // Statements running at least this long are logged with their duration and rows; 0: none.
  int64_t slow_statement_ms = 0;
  // New connections per client address (shared with HTTP); null or disabled: no limit.
  std::shared_ptr<RateLimiter> rate_limiter;
  // TLS: offered to clients that send SSLRequest when set; with tls_required, plaintext startup
  // messages are refused with 28000.
  std::shared_ptr<boost::asio::ssl::context> tls_context;
  bool tls_required = false;
  // How clients authenticate, on the loopback interface and from elsewhere: "trust",
  // "scram-sha-256" or "reject" (PostgreSQL's pg_hba.conf methods).
  std::string auth_loopback = "trust";
  std::string auth_remote = "scram-sha-256";
  // Answers autocommit read-only simple queries from this cache (pgwire.result_cache); null: off.
  std::shared_ptr<ResultCache> cache;
  // Time a client has from connecting to finishing authentication (PostgreSQL's
  // authentication_timeout).
  std::chrono::milliseconds authentication_timeout{60'000};
  // Failed logins an address may make at once; then one a second.
  int failed_login_burst = 5;
  // Prepared key lookups that cannot block run on the I/O thread instead of a worker
  // (Session::TryExecuteInline; pgwire.inline_fast_path).
  bool inline_fast_path = true;
};

class Connection;

class Server {
 public:
  Server(boost::asio::io_context& io, Database& database, ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and starts accepting. Fails with a clear error when the address is unusable.
  Status Start();
  // The port actually bound (useful with port 0).
  uint16_t port() const { return bound_port_; }
  // Stops accepting, cancels running and waiting statements and closes every connection, logged
  // in or not. Call on the I/O context's thread. io_context::run() returns once the connections
  // have unwound.
  void Stop();

  // --- for connections ---
  Database& database() { return database_; }
  boost::asio::thread_pool& workers() { return workers_; }
  const ServerOptions& options() const { return options_; }
  // Every connection from accept to its end, so that Stop() reaches those still logging in.
  // False when the server is stopping: the connection should end at once.
  bool Track(const std::shared_ptr<Connection>& connection);
  void Untrack(Connection* connection);
  // Registers a live connection; returns the secret key it must present to be cancelled.
  int32_t Register(int32_t pid, const std::shared_ptr<Connection>& connection);
  // Claims a session slot; false when max_connections are in use. Release with ReleaseSlot.
  bool TryClaimSlot();
  void ReleaseSlot();
  void Unregister(int32_t pid);
  // Cancels the running statement of session `pid` when `key` matches. Unknown pids are ignored,
  // as in PostgreSQL (the client gets no answer either way).
  void Cancel(int32_t pid, int32_t key);
  // Failed logins per client address: a burst, then one a second (brute-force brake).
  RateLimiter& failed_logins() { return failed_logins_; }

 private:
  boost::asio::awaitable<void> AcceptLoop();

  struct Live {
    int32_t key;
    std::weak_ptr<Connection> connection;
  };

  boost::asio::io_context& io_;
  Database& database_;
  ServerOptions options_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::thread_pool workers_;
  uint16_t bound_port_ = 0;
  bool stopping_ = false;
  std::mutex mu_;  // guards live_ and all_
  std::unordered_map<int32_t, Live> live_;
  std::unordered_map<Connection*, std::weak_ptr<Connection>> all_;
  int sessions_ = 0;  // guarded by mu_
  RateLimiter failed_logins_;
};

}  // namespace augur::pgwire
