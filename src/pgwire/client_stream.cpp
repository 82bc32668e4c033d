// client_stream.cpp
#include "pgwire/client_stream.h"

#include <boost/asio/read.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>

#include "common/metrics.h"

namespace augur::pgwire {

namespace asio = boost::asio;

namespace {

prometheus::Counter& BytesIn() {
  static auto& counter = metrics::NetworkBytesCounter("pgwire", "in");
  return counter;
}

prometheus::Counter& BytesOut() {
  static auto& counter = metrics::NetworkBytesCounter("pgwire", "out");
  return counter;
}

}  // namespace

asio::awaitable<void> ClientStream::StartTls(asio::ssl::context& context) {
  tls_ = std::make_unique<asio::ssl::stream<asio::ip::tcp::socket>>(std::move(socket_), context);
  co_await tls_->async_handshake(asio::ssl::stream_base::server, asio::use_awaitable);
}

const char* ClientStream::tls_version() const {
  return tls_ ? SSL_get_version(tls_->native_handle()) : "";
}

asio::awaitable<void> ClientStream::Read(asio::mutable_buffer buffer) {
  if (tls_) {
    co_await asio::async_read(*tls_, buffer, asio::use_awaitable);
  } else {
    co_await asio::async_read(socket_, buffer, asio::use_awaitable);
  }
  BytesIn().Increment(static_cast<double>(buffer.size()));
}

asio::awaitable<boost::system::error_code> ClientStream::TryRead(asio::mutable_buffer buffer) {
  boost::system::error_code ec;
  if (tls_) {
    co_await asio::async_read(*tls_, buffer, asio::redirect_error(asio::use_awaitable, ec));
  } else {
    co_await asio::async_read(socket_, buffer, asio::redirect_error(asio::use_awaitable, ec));
  }
  if (!ec) BytesIn().Increment(static_cast<double>(buffer.size()));
  co_return ec;
}

asio::awaitable<void> ClientStream::Write(asio::const_buffer buffer) {
  if (tls_) {
    co_await asio::async_write(*tls_, buffer, asio::use_awaitable);
  } else {
    co_await asio::async_write(socket_, buffer, asio::use_awaitable);
  }
  BytesOut().Increment(static_cast<double>(buffer.size()));
}

void ClientStream::Cancel() {
  boost::system::error_code ignored;
  socket().cancel(ignored);
}

void ClientStream::Close() {
  boost::system::error_code ignored;
  socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket().close(ignored);
}

}  // namespace augur::pgwire
