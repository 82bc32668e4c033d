// connection.h: one client connection, from startup to Terminate.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "augur/engine.h"
#include "pgwire/client_stream.h"
#include "pgwire/codec.h"
#include "pgwire/turn_signal.h"

namespace augur::pgwire {

class Server;

// RowDescription fields for result columns; `formats` follows Bind's 0/1/n rule.
std::vector<FieldDescription> DescribeColumns(const std::vector<ColumnInfo>& columns,
                                              const std::vector<int16_t>& formats = {});

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
  // Authenticates user_ by the configured method (authentication.cpp). False: refused, and the
  // client has been told why.
  boost::asio::awaitable<bool> Authenticate();
  boost::asio::awaitable<bool> AuthenticateScram(const std::optional<RoleInfo>& role);
  // Ends a failed login: counts it, logs it, and sends `error` as FATAL.
  boost::asio::awaitable<bool> RefuseLogin(Error error, std::string_view reason);
  std::string ClientAddress();
  // The error refusing this client when it connects faster than server.rate_limit allows.
  std::optional<Error> RateLimited();
  boost::asio::awaitable<bool> ReadMessage(Message& message);
  boost::asio::awaitable<void> SimpleQuery(const std::string& sql);
  // Extended query protocol. Each returns an error to report (the caller then skips to Sync).
  boost::asio::awaitable<Status> HandleExtended(const Message& message);
  boost::asio::awaitable<Status> Parse(std::string_view body);
  boost::asio::awaitable<Status> Bind(std::string_view body);
  boost::asio::awaitable<Status> Describe(std::string_view body);
  boost::asio::awaitable<Status> Execute(std::string_view body);
  Status Close(std::string_view body);
  // A statement's first batches, fetched on the worker that ran it: a short result then costs
  // one trip to the worker pool instead of three (run, rows, end of rows). A zero-row batch
  // last means the cursor ended.
  using RowsAhead = std::vector<RowBatch>;
  // Runs on a worker, right after the statement: fetches into `ahead` the first batch of a
  // portal of `max_rows` rows (0: all), or up to the end. An error ends the cursor, as in SendRows.
  static Status FetchAhead(Cursor& cursor, size_t max_rows, RowsAhead& ahead);
  struct Portal;
  // Execute's first run of `portal` on this thread (Session::TryExecuteInline) with its result
  // formats set and first rows fetched as on a worker, or nullopt to run it on a worker.
  std::optional<Result<std::unique_ptr<Cursor>>> RunInline(Portal& portal, size_t max_rows,
                                                           Status& formats, Status& fetched,
                                                           RowsAhead& ahead);
  // Streams up to max_rows rows (0: all) of `cursor` as DataRows, `ahead` first. Sets `exhausted`
  // when the cursor ended (then the caller sends CommandComplete), else the limit was reached.
  boost::asio::awaitable<Status> SendRows(Cursor& cursor, size_t max_rows, bool& exhausted,
                                          RowsAhead ahead = {});
  void LogFailure(const Error& error, std::string_view statement);
  // Counts a completed statement in the metrics, and logs it when it ran longer than
  // log.slow_statement_ms.
  void StatementDone(std::string_view tag, std::chrono::steady_clock::time_point start,
                     std::string_view statement);
  // After a statement: ParameterStatus for every reported setting it changed (pgjdbc reads
  // these), and the prepared statements it DEALLOCATEd dropped.
  void ReportParameterChanges();
  // COPY TO STDOUT / FROM STDIN over this connection (copy_protocol.cpp). Both leave the
  // CommandComplete tag in `tag` on success.
  boost::asio::awaitable<Status> CopyOut(Cursor& cursor, std::string& tag);
  boost::asio::awaitable<Status> CopyIn(Cursor& cursor, std::string& tag);
  boost::asio::awaitable<void> Flush();
  // Suspends until the session's waker fires (turn_signal.h). Meanwhile it watches the socket:
  // a client that disconnects while queued cancels its statement, so that its session leaves
  // the queue at once instead of when its turn comes.
  boost::asio::awaitable<void> WaitForTurn();
  // Runs an engine call that may have to wait for the writer turn, on a worker each time it
  // runs, suspended (not on a worker) while it waits.
  template <typename Fn>
  boost::asio::awaitable<std::invoke_result_t<Fn&>> RunStatement(boost::asio::thread_pool& pool,
                                                                 Fn fn) {
    return RunWaitingForTurn(pool, std::move(fn), [this] { return WaitForTurn(); });
  }
  // LISTEN/NOTIFY (notify_delivery.cpp). Before every ReadyForQuery: the notifications that
  // arrived, appended to out_. While idle (after ReadyForQuery, waiting for the next message):
  // written at once by the idle notifier, never in the middle of another message sequence.
  void QueueNotifications();
  boost::asio::awaitable<void> DeliverIdleNotifications();
  // Started after login: waits on notify_ and delivers while the connection is idle.
  void StartIdleNotifier();
  // Reads the next message; while it waits the connection counts as idle when `idle` is true.
  boost::asio::awaitable<bool> ReadNextMessage(Message& message, bool idle);
  // Sends a FATAL error and lets Run() end.
  boost::asio::awaitable<void> SendFatal(Error error);
  TransactionStatus transaction_status() const;

  // A bound statement ready to execute (PostgreSQL's portal).
  struct Portal {
    std::shared_ptr<PreparedStatement> statement;
    std::vector<ParameterValue> parameters;
    std::vector<int16_t> result_formats;
    std::unique_ptr<Cursor> cursor;  // created by the first Execute (or a Describe)
    bool done = false;
    std::chrono::steady_clock::time_point started;  // of the first Execute
  };

  Server& server_;
  ClientStream stream_;
  std::shared_ptr<TurnSignal> turn_;         // fired by the session's waker
  std::shared_ptr<TurnSignal> notify_;       // fired when notifications arrive for the session
  std::shared_ptr<TurnSignal> notify_done_;  // fired when an idle delivery finished writing
  bool idle_ = false;                        // waiting for a message after ReadyForQuery
  bool notify_writing_ = false;              // an idle delivery is writing
  bool notifier_stop_ = false;
  std::string peer_;
  std::shared_ptr<Session> session_;
  MessageWriter out_;
  std::string user_;
  std::string application_name_;
  std::chrono::steady_clock::time_point started_;
  uint64_t statements_ = 0;
  std::unordered_map<std::string, std::shared_ptr<PreparedStatement>> prepared_;
  std::unordered_map<std::string, Portal> portals_;
  bool skip_until_sync_ = false;
  bool peer_closed_ = false;  // a read saw end-of-file: the client is gone
  uint64_t flushes_ = 0;      // output flushes so far: a reply that was flushed cannot be cached
  bool holds_slot_ = false;   // counted against max_connections  // after an error,
                              // extended-protocol messages up to Sync are ignored
};

}  // namespace augur::pgwire
