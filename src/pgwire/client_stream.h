// client_stream.h: a client's byte stream, plain TCP until the client asks for TLS.
//
// PostgreSQL negotiates TLS inside its own protocol (SSLRequest, answered 'S' or 'N'), so a
// connection starts plain and may be upgraded once, before the startup message. Everything the
// protocol code reads or writes goes through here, whichever the stream is.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/system/error_code.hpp>
#include <memory>

namespace augur::pgwire {

class ClientStream {
 public:
  explicit ClientStream(boost::asio::ip::tcp::socket socket) : socket_(std::move(socket)) {}

  // Runs the server side of the TLS handshake; from then on all I/O is encrypted. Throws
  // boost::system::system_error when the handshake fails.
  boost::asio::awaitable<void> StartTls(boost::asio::ssl::context& context);
  bool tls() const { return tls_ != nullptr; }
  // "TLSv1.3" and the like; empty without TLS.
  const char* tls_version() const;

  // Reads exactly buffer.size() bytes. Throws on EOF or error.
  boost::asio::awaitable<void> Read(boost::asio::mutable_buffer buffer);
  // Reads exactly buffer.size() bytes; the error (EOF, cancellation) is returned, not thrown.
  boost::asio::awaitable<boost::system::error_code> TryRead(boost::asio::mutable_buffer buffer);
  // Writes all of buffer. Throws on error.
  boost::asio::awaitable<void> Write(boost::asio::const_buffer buffer);

  // Aborts pending reads and writes (they complete with operation_aborted). I/O thread only.
  void Cancel();
  // Shuts the connection down. I/O thread only.
  void Close();

  boost::asio::ip::tcp::socket& socket() { return tls_ ? tls_->next_layer() : socket_; }
  boost::asio::any_io_executor get_executor() { return socket().get_executor(); }

 private:
  boost::asio::ip::tcp::socket socket_;  // moved into tls_ by StartTls
  std::unique_ptr<boost::asio::ssl::stream<boost::asio::ip::tcp::socket>> tls_;
};

}  // namespace augur::pgwire
