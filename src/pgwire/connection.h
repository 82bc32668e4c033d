// connection.h: one client connection, from startup to Terminate.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "augur/engine.h"
#include "pgwire/codec.h"

namespace augur::pgwire {

class Server;

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(Server& server, boost::asio::ip::tcp::socket socket);

  // Runs the protocol until the client leaves or the server stops.
  boost::asio::awaitable<void> Run();
  // Cancels the running statement (CancelRequest). Any thread.
  void CancelStatement();
  // Ends the connection: cancels the statement and closes the socket. I/O thread only.
  void Close();

 private:
  struct Message {
    char type;
    std::string body;
  };

  // Startup phase: SSL/GSS negotiation, CancelRequest, StartupMessage. False: connection done.
  boost::asio::awaitable<bool> Startup();
  boost::asio::awaitable<bool> ReadMessage(Message& message);
  boost::asio::awaitable<void> SimpleQuery(const std::string& sql);
  boost::asio::awaitable<void> Flush();
  // Sends a FATAL error and lets Run() end.
  boost::asio::awaitable<void> SendFatal(Error error);
  TransactionStatus transaction_status() const;

  Server& server_;
  boost::asio::ip::tcp::socket socket_;
  std::string peer_;
  std::shared_ptr<Session> session_;
  MessageWriter out_;
  std::string user_;
  std::string application_name_;
  std::chrono::steady_clock::time_point started_;
  uint64_t statements_ = 0;
};

}  // namespace augur::pgwire
