// server.cpp
#include "pgwire/server.h"

#include <fmt/format.h>
#include <openssl/rand.h>
#include <spdlog/spdlog.h>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <random>

#include "common/listen.h"
#include "common/metrics.h"
#include "pgwire/connection.h"

namespace augur::pgwire {

namespace asio = boost::asio;
using asio::ip::tcp;

Server::Server(asio::io_context& io, Database& database, ServerOptions options)
    : io_(io),
      database_(database),
      options_(std::move(options)),
      acceptor_(io),
      workers_(static_cast<size_t>(std::max(1, options_.worker_threads))),
      failed_logins_(1.0, static_cast<uint32_t>(std::max(1, options_.failed_login_burst))) {}

Server::~Server() { workers_.join(); }

Status Server::Start() {
  auto port = Listen(acceptor_, options_.listen_address, options_.port, "PostgreSQL", "--pg-port");
  if (!port) return std::move(port).error();
  bound_port_ = *port;
  asio::co_spawn(io_, AcceptLoop(), asio::detached);
  spdlog::info("pgwire listening address={} port={}", options_.listen_address, bound_port_);
  return {};
}

asio::awaitable<void> Server::AcceptLoop() {
  while (!stopping_) {
    auto [ec, socket] = co_await acceptor_.async_accept(asio::as_tuple(asio::use_awaitable));
    if (ec) {
      if (stopping_ || ec == asio::error::operation_aborted) break;
      // EMFILE and friends: log, back off a little, keep serving the connections we have.
      spdlog::warn("accept failed error=\"{}\"", ec.message());
      asio::steady_timer pause(io_, std::chrono::milliseconds(50));
      co_await pause.async_wait(asio::use_awaitable);
      continue;
    }
    socket.set_option(tcp::no_delay(true), ec);
    auto connection = std::make_shared<Connection>(*this, std::move(socket));
    asio::co_spawn(io_, connection->Run(), asio::detached);
  }
}

void Server::Stop() {
  if (stopping_) return;
  stopping_ = true;
  boost::system::error_code ec;
  acceptor_.close(ec);
  std::vector<std::shared_ptr<Connection>> open;
  {
    std::lock_guard lock(mu_);
    for (auto& [address, weak] : all_) {
      if (auto c = weak.lock()) open.push_back(std::move(c));
    }
  }
  spdlog::info("closing connections count={}", open.size());
  // Each cancels its session's statement, or its wait for the writer turn, and closes its
  // socket; the coroutines then unwind and their sessions roll back on the workers.
  for (auto& c : open) c->Close();
}

bool Server::Track(const std::shared_ptr<Connection>& connection) {
  std::lock_guard lock(mu_);
  if (stopping_) return false;
  all_[connection.get()] = connection;
  return true;
}

void Server::Untrack(Connection* connection) {
  std::lock_guard lock(mu_);
  all_.erase(connection);
}

int32_t Server::Register(int32_t pid, const std::shared_ptr<Connection>& connection) {
  int32_t key = 0;
  if (RAND_bytes(reinterpret_cast<unsigned char*>(&key), sizeof(key)) != 1) {
    key = static_cast<int32_t>(std::random_device{}());
  }
  std::lock_guard lock(mu_);
  live_[pid] = Live{key, connection};
  return key;
}

bool Server::TryClaimSlot() {
  std::lock_guard lock(mu_);
  if (sessions_ >= options_.max_connections) return false;
  ++sessions_;
  metrics::Sessions().Add({{"protocol", "pgwire"}}).Set(sessions_);
  return true;
}

void Server::ReleaseSlot() {
  std::lock_guard lock(mu_);
  --sessions_;
  metrics::Sessions().Add({{"protocol", "pgwire"}}).Set(sessions_);
}

void Server::Unregister(int32_t pid) {
  std::lock_guard lock(mu_);
  live_.erase(pid);
}

void Server::Cancel(int32_t pid, int32_t key) {
  std::shared_ptr<Connection> target;
  {
    std::lock_guard lock(mu_);
    auto it = live_.find(pid);
    if (it == live_.end() || it->second.key != key) {
      spdlog::warn("cancel request ignored pid={} reason=\"{}\"", pid,
                   it == live_.end() ? "no such session" : "wrong key");
      return;
    }
    target = it->second.connection.lock();
  }
  if (target) {
    spdlog::info("cancel request pid={}", pid);
    target->CancelStatement();
  }
}

}  // namespace augur::pgwire
