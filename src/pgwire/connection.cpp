// connection.cpp: the per-connection protocol state machine (startup, simple query flow).
#include "pgwire/connection.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <boost/asio/read.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <cctype>
#include <cerrno>

#include "common/blocking.h"
#include "common/metrics.h"
#include "common/query_cache.h"
#include "pgwire/server.h"
#include "pgwire/startup_settings.h"
#include "pgwire/statement_timer.h"

namespace augur::pgwire {

namespace asio = boost::asio;

namespace {

// Startup packets are small; PostgreSQL caps them at 10000 bytes (MAX_STARTUP_PACKET_LENGTH).
constexpr uint32_t kMaxStartupPacket = 10000;
// Result rows are sent once this much is buffered, so memory stays bounded for any result size.
constexpr size_t kFlushThreshold = 64 * 1024;
constexpr size_t kFetchRows = 1024;
// A message body is read in steps that start here and double (ReadMessage).
constexpr size_t kFirstBodyRead = 64 * 1024;
constexpr size_t kKeptBodyCapacity = 1 << 20;

}  // namespace

Connection::Connection(Server& server, asio::ip::tcp::socket socket)
    : server_(server),
      stream_(std::move(socket)),
      turn_(std::make_shared<TurnSignal>(stream_.get_executor())),
      notify_(std::make_shared<TurnSignal>(stream_.get_executor())),
      notify_done_(std::make_shared<TurnSignal>(stream_.get_executor())),
      started_(std::chrono::steady_clock::now()) {
  boost::system::error_code ec;
  auto endpoint = stream_.socket().remote_endpoint(ec);
  peer_ = ec ? "unknown" : fmt::format("{}:{}", endpoint.address().to_string(), endpoint.port());
}

void Connection::CancelStatement() {
  if (auto session = std::atomic_load(&session_)) session->Cancel();
}

void Connection::Close() {
  CancelStatement();
  stream_.Close();
}

TransactionStatus Connection::transaction_status() const {
  return static_cast<TransactionStatus>(session_->transaction_state());
}

asio::awaitable<void> Connection::Flush() {
  if (out_.size() == 0) co_return;
  co_await stream_.Write(asio::buffer(out_.buffer()));
  out_.Clear();
  ++flushes_;
}

asio::awaitable<void> Connection::WaitForTurn() {
  // Nothing reads the socket while the statement waits; a readable socket now means either
  // pipelined messages (left for later) or the client's EOF or reset, which a peek tells apart.
  auto watching = std::make_shared<bool>(true);
  auto self = shared_from_this();
  stream_.socket().async_wait(
      asio::ip::tcp::socket::wait_read, [self, watching](const boost::system::error_code& ec) {
        if (ec || !*watching) return;
        char byte;
        ssize_t n =
            ::recv(self->stream_.socket().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
        if (n > 0 || (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))) {
          return;  // data waiting (or a spurious wake-up): the client is there
        }
        auto session = std::atomic_load(&self->session_);
        spdlog::info("client left while waiting for the writer turn peer={} pid={}", self->peer_,
                     session ? session->id() : 0);
        self->CancelStatement();
      });
  // lock_timeout: the retry after it fails the statement with 55P03 (SessionImpl::LockForWrite).
  asio::steady_timer lock_timer(stream_.get_executor());
  if (auto timeout = session_->lock_timeout(); timeout.count() > 0) {
    lock_timer.expires_after(timeout);
    lock_timer.async_wait([signal = turn_](const boost::system::error_code& ec) {
      if (!ec) signal->Fire();
    });
  }
  co_await turn_->Wait();
  lock_timer.cancel();
  *watching = false;
  boost::system::error_code ignored;
  stream_.socket().cancel(ignored);  // ends the watch; nothing else is pending while we wait
}

asio::awaitable<void> Connection::SendFatal(Error error) {
  error.severity = Error::Severity::kFatal;
  spdlog::warn("connection ended by the server peer={} sqlstate={} error=\"{}\"", peer_,
               error.sqlstate, error.message);
  out_.ErrorResponse(error);
  co_await Flush();
}

asio::awaitable<void> Connection::Run() {
  auto self = shared_from_this();  // keeps this alive for the coroutine's lifetime
  int32_t pid = 0;
  if (!server_.Track(self)) {
    stream_.Close();  // accepted just as the server began to stop
    co_return;
  }
  try {
    // The startup phase (TLS handshake, startup packet, password exchange) must finish within
    // pgwire.authentication_timeout_ms, like PostgreSQL's authentication_timeout: a client that
    // connects and stalls must not hold a socket and a coroutine forever.
    asio::steady_timer startup_timer(stream_.get_executor());
    startup_timer.expires_after(server_.options().authentication_timeout);
    startup_timer.async_wait([self](const boost::system::error_code& ec) {
      if (ec) return;
      spdlog::warn("startup timed out peer={}", self->peer_);
      self->stream_.Close();
    });
    bool started = co_await Startup();
    startup_timer.cancel();
    if (started) {
      pid = session_->id();
      spdlog::info("connection accepted peer={} pid={} user={} application=\"{}\" tls={}", peer_,
                   pid, user_, application_name_, stream_.tls() ? stream_.tls_version() : "off");
      Message message;
      StartIdleNotifier();
      bool idle = true;  // ReadyForQuery was the last message sent
      while (co_await ReadNextMessage(message, idle)) {
        idle = message.type == 'S' || (message.type == 'Q' && !skip_until_sync_);
        if (message.type == 'X') break;  // Terminate
        if (message.type == 'S') {       // Sync: end of an extended-protocol batch
          skip_until_sync_ = false;
          // Outside a transaction block the implicit transaction ended, and its portals with it.
          if (session_->transaction_state() == TransactionState::kIdle) portals_.clear();
          ReportParameterChanges();
          QueueNotifications();
          out_.ReadyForQuery(transaction_status());
          co_await Flush();
          continue;
        }
        if (message.type == 'H') {  // Flush
          co_await Flush();
          continue;
        }
        if (skip_until_sync_) continue;
        if (message.type == 'Q') {
          // The body is the query text plus its NUL terminator.
          BodyReader reader(message.body);
          auto sql = reader.CString("query string");
          if (!sql) {
            co_await SendFatal(std::move(sql).error());
            break;
          }
          co_await SimpleQuery(std::string(*sql));
          continue;
        }
        if (std::string_view("PBDEC").find(message.type) != std::string_view::npos) {
          if (auto handled = co_await HandleExtended(message); !handled) {
            out_.ErrorResponse(handled.error());
            skip_until_sync_ = true;
          }
          continue;
        }
        // CopyData, CopyDone and CopyFail outside COPY: a client still sending after its COPY
        // failed. PostgreSQL accepts and ignores them, as the protocol says to.
        if (message.type == 'd' || message.type == 'c' || message.type == 'f') continue;
        co_await SendFatal(
            Error(sqlstate::kProtocolViolation,
                  fmt::format("invalid frontend message type {}",
                              static_cast<int>(static_cast<unsigned char>(message.type)))));
        break;
      }
    }
  } catch (const boost::system::system_error& e) {
    // The client went away (reset, EOF mid-message) or the server is stopping: nothing to tell.
    if (pid != 0)
      spdlog::info("connection lost peer={} pid={} reason=\"{}\"", peer_, pid, e.code().message());
  }
  notifier_stop_ = true;  // ends the idle notifier
  notify_->Fire();
  if (pid != 0) {
    server_.Unregister(pid);
    auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_);
    spdlog::info("connection closed peer={} pid={} statements={} duration_s={:.3f}", peer_, pid,
                 statements_, elapsed.count());
  }
  if (holds_slot_) server_.ReleaseSlot();
  server_.Untrack(this);
  stream_.Close();
  // A session may still be finishing a cancelled statement on a worker; it is destroyed there.
  auto session = std::atomic_exchange(&session_, std::shared_ptr<Session>());
  if (session) {
    // Captured by reference: GCC 12 miscompiles init-captures that move a coroutine local into a
    // lambda inside a co_await expression (the local is destroyed twice).
    co_await RunBlocking(server_.workers(), [&session] {
      session.reset();
      return true;
    });
  }
}

std::string Connection::ClientAddress() {
  boost::system::error_code ec;
  auto endpoint = stream_.socket().remote_endpoint(ec);
  return ec ? "unknown" : endpoint.address().to_string();
}

std::optional<Error> Connection::RateLimited() {
  auto& limiter = server_.options().rate_limiter;
  if (!limiter || !limiter->enabled()) return std::nullopt;
  std::string address = ClientAddress();
  auto decision = limiter->Admit(address);
  if (decision.allowed) return std::nullopt;
  metrics::RateLimited().Add({{"protocol", "pgwire"}}).Increment();
  auto wait_ms = std::chrono::ceil<std::chrono::milliseconds>(decision.retry_after).count();
  return Error(sqlstate::kConfigurationLimitExceeded,
               fmt::format("too many connection attempts from {}", address))
      .WithHint(fmt::format("retry in {} ms (server.rate_limit)", wait_ms));
}

asio::awaitable<bool> Connection::Startup() {
  for (;;) {
    char length_word[4];
    co_await stream_.Read(asio::buffer(length_word));
    auto length = CheckedBodyLength(length_word, kMaxStartupPacket);
    if (!length) {
      co_await SendFatal(std::move(length).error());
      co_return false;
    }
    std::string body(*length, '\0');
    co_await stream_.Read(asio::buffer(body));
    auto packet = ParseStartupPacket(body);
    if (!packet) {
      co_await SendFatal(std::move(packet).error());
      co_return false;
    }
    switch (packet->code) {
      case kSslRequestCode: {
        // 'S' and the handshake when TLS is configured and not yet on; else 'N' tells the
        // client to go on in plaintext or give up.
        auto* tls = server_.options().tls_context.get();
        char answer = tls && !stream_.tls() ? 'S' : 'N';
        co_await stream_.Write(asio::buffer(&answer, 1));
        if (answer == 'S') co_await stream_.StartTls(*tls);
        continue;
      }
      case kGssEncRequestCode: {
        char no = 'N';  // GSSAPI encryption is not offered
        co_await stream_.Write(asio::buffer(&no, 1));
        continue;
      }
      case kCancelRequestCode:
        server_.Cancel(packet->cancel_pid, packet->cancel_key);
        co_return false;
      case kProtocolVersion3:
        if (server_.options().tls_required && !stream_.tls()) {
          co_await SendFatal(
              Error(sqlstate::kInvalidAuthorization, "connection requires TLS (tls.mode = require)")
                  .WithHint("connect with sslmode=require or stronger"));
          co_return false;
        }
        if (auto refused = RateLimited()) {
          co_await SendFatal(std::move(*refused));
          co_return false;
        }
        break;
      default:
        co_await SendFatal(Error(sqlstate::kFeatureNotSupported,
                                 fmt::format("unsupported frontend protocol {}.{}: server supports "
                                             "3.0 to 3.0",
                                             packet->code >> 16, packet->code & 0xFFFF)));
        co_return false;
    }
    user_ = std::string(packet->Parameter("user"));
    application_name_ = std::string(packet->Parameter("application_name"));
    auto startup_settings = StartupSettings(*packet);
    if (!startup_settings) {
      co_await SendFatal(std::move(startup_settings).error());
      co_return false;
    }
    if (!server_.TryClaimSlot()) {
      co_await SendFatal(Error(sqlstate::kTooManyConnections, "sorry, too many clients already"));
      co_return false;
    }
    holds_slot_ = true;
    if (user_.empty()) {
      co_await SendFatal(Error(sqlstate::kInvalidAuthorization,
                               "no PostgreSQL user name specified in startup packet"));
      co_return false;
    }
    if (!co_await Authenticate()) co_return false;
    auto session = co_await RunBlocking(server_.workers(),
                                        [this] { return server_.database().ConnectAs(user_); });
    if (!session) {
      co_await SendFatal(std::move(session).error());
      co_return false;
    }
    (*session)->SetWaker(turn_->Waker());  // waits for the writer turn suspend this coroutine
    (*session)->SetNotificationWaker(notify_->Waker());
    std::atomic_store(&session_, std::shared_ptr<Session>(std::move(*session)));
    // As PostgreSQL: a setting the session refuses ends the connection before it starts.
    for (auto& [name, value] : *startup_settings) {
      auto applied = SetStatementFor(name, value);
      if (applied) {
        auto result =
            co_await RunBlocking(server_.workers(), [&] { return session_->Query(*applied); });
        if (!result) applied = std::move(result).error();
      }
      if (!applied) {
        co_await SendFatal(std::move(applied).error());
        co_return false;
      }
    }
    {
      boost::system::error_code ec;
      auto remote = stream_.socket().remote_endpoint(ec);
      session_->SetClientInfo(user_, application_name_, ec ? "" : remote.address().to_string(),
                              ec ? 0 : remote.port());
    }
    int32_t pid = session_->id();
    int32_t key = server_.Register(pid, shared_from_this());
    auto timezone = co_await RunBlocking(server_.workers(), [this] {
      return session_->Query("SELECT current_setting('TimeZone')");
    });

    out_.AuthenticationOk();
    // What libpq, pgjdbc and friends read at startup; pgjdbc refuses servers that omit some.
    out_.ParameterStatus("server_version", "15.0");
    out_.ParameterStatus("server_encoding", "UTF8");
    out_.ParameterStatus("client_encoding", "UTF8");
    out_.ParameterStatus("DateStyle", "ISO, MDY");
    out_.ParameterStatus("IntervalStyle", "postgres");
    out_.ParameterStatus("integer_datetimes", "on");
    out_.ParameterStatus("standard_conforming_strings", "on");
    out_.ParameterStatus("TimeZone", timezone && timezone->rows() == 1 && timezone->cell(0, 0)
                                         ? *timezone->cell(0, 0)
                                         : "UTC");
    out_.ParameterStatus("application_name", application_name_);
    auto role = server_.database().FindRole(user_);
    out_.ParameterStatus("is_superuser", role && role->superuser ? "on" : "off");
    out_.ParameterStatus("session_authorization", user_);
    out_.BackendKeyData(pid, key);
    out_.ReadyForQuery(TransactionStatus::kIdle);
    co_await Flush();
    co_return true;
  }
}

asio::awaitable<bool> Connection::ReadMessage(Message& message) {
  // A read after end-of-file may never complete (the edge-triggered reactor has no new event to
  // report), so a client that half-closed during COPY stayed connected forever.
  if (peer_closed_) co_return false;
  char header[5];
  boost::system::error_code ec;
  // Inside a transaction block the wait for the next message is bounded by the session's
  // idle_in_transaction_session_timeout: a forgotten BEGIN must not hold locks forever.
  auto idle_limit = session_ && session_->transaction_state() != TransactionState::kIdle
                        ? session_->idle_in_transaction_timeout()
                        : std::chrono::milliseconds(0);
  asio::steady_timer idle_timer(stream_.get_executor());
  auto timed_out = std::make_shared<bool>(false);  // outlives this frame if the handler runs late
  if (idle_limit.count() > 0) {
    idle_timer.expires_after(idle_limit);
    idle_timer.async_wait([this, timed_out](const boost::system::error_code& wait_error) {
      if (wait_error) return;
      *timed_out = true;
      stream_.Cancel();
    });
  }
  ec = co_await stream_.TryRead(asio::buffer(header));
  idle_timer.cancel();
  if (*timed_out) {
    co_await SendFatal(Error("25P03", "terminating connection due to idle-in-transaction timeout"));
    co_return false;
  }
  if (ec) {  // EOF or reset between messages: a client that just left
    peer_closed_ = true;
    co_return false;
  }
  auto length = CheckedBodyLength(header + 1, server_.options().max_message_bytes);
  if (!length) {
    co_await SendFatal(std::move(length).error());
    co_return false;
  }
  message.type = header[0];
  // The declared length is only a claim: memory grows with the bytes that actually arrive
  // (doubling, so at most twice what was received), or 40 clients announcing 64 MiB each would
  // take 2.5 GiB before sending anything. A large body's buffer is not kept for the next message.
  if (message.body.capacity() > kKeptBodyCapacity) std::string().swap(message.body);
  message.body.clear();
  while (message.body.size() < *length) {
    size_t have = message.body.size();
    size_t step = std::min<size_t>(*length - have, std::max(kFirstBodyRead, have));
    message.body.resize(have + step);
    co_await stream_.Read(asio::buffer(message.body.data() + have, step));
  }
  co_return true;
}

void Connection::LogFailure(const Error& error, std::string_view statement) {
  spdlog::warn("statement failed pid={} sqlstate={} error=\"{}\" statement=\"{}\"", session_->id(),
               error.sqlstate, error.message, statement.substr(0, 1000));
  metrics::StatementErrors()
      .Add({{"protocol", "pgwire"}, {"class", error.sqlstate.substr(0, 2)}})
      .Increment();
}

void Connection::StatementDone(std::string_view tag, std::chrono::steady_clock::time_point start,
                               std::string_view statement) {
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::string_view command = tag.substr(0, tag.find(' '));
  metrics::Statements()
      .Add({{"protocol", "pgwire"}, {"command", command.empty() ? "OTHER" : std::string(command)}})
      .Increment();
  metrics::StatementSeconds()
      .Add({{"protocol", "pgwire"}}, metrics::LatencyBuckets())
      .Observe(seconds);
  int64_t slow_ms = server_.options().slow_statement_ms;
  if (slow_ms > 0 && seconds * 1000 >= static_cast<double>(slow_ms)) {
    // The tag's last number is the row count (SELECT 5, INSERT 0 3, UPDATE 7).
    std::string_view rows = tag.substr(tag.rfind(' ') + 1);
    spdlog::warn("slow statement pid={} duration_ms={:.1f} rows={} statement=\"{}\"",
                 session_->id(), seconds * 1000,
                 rows.empty() || !std::isdigit(static_cast<unsigned char>(rows[0])) ? "-" : rows,
                 statement.substr(0, 1000));
  }
}

Status Connection::FetchAhead(Cursor& cursor, size_t max_rows, RowsAhead& ahead) {
  const size_t want = max_rows == 0 ? kFetchRows : std::min(kFetchRows, max_rows);
  size_t rows = 0;
  while (rows < want) {
    auto batch = cursor.Fetch(std::min(kFetchRows, want - rows));
    if (!batch) return std::move(batch).error();
    rows += batch->rows();
    const bool end = batch->rows() == 0;
    ahead.push_back(std::move(*batch));
    if (end) break;
  }
  return Status();
}

asio::awaitable<Status> Connection::SendRows(Cursor& cursor, size_t max_rows, bool& exhausted,
                                             RowsAhead ahead) {
  size_t sent = 0;
  size_t next_ahead = 0;
  exhausted = false;
  while (max_rows == 0 || sent < max_rows) {
    size_t want = max_rows == 0 ? kFetchRows : std::min(kFetchRows, max_rows - sent);
    Result<RowBatch> batch = RowBatch();
    if (next_ahead < ahead.size()) {
      batch = std::move(ahead[next_ahead++]);  // FetchAhead kept within max_rows
    } else {
      batch = co_await RunBlocking(server_.workers(), [&] { return cursor.Fetch(want); });
    }
    if (!batch) co_return std::move(batch).error();
    if (batch->rows() == 0) {
      exhausted = true;
      break;
    }
    for (size_t r = 0; r < batch->rows(); ++r) {
      out_.BeginDataRow(static_cast<int16_t>(batch->columns()));
      for (size_t col = 0; col < batch->columns(); ++col) out_.DataRowCell(batch->cell(r, col));
      out_.EndDataRow();
    }
    sent += batch->rows();
    if (out_.size() >= kFlushThreshold) co_await Flush();
  }
  co_return Status();
}

asio::awaitable<void> Connection::SimpleQuery(const std::string& sql) {
  auto& workers = server_.workers();
  // A simple Query ends the unnamed statement and portal (PostgreSQL drops them too).
  prepared_.erase("");
  portals_.erase("");
  // The result cache answers one autocommit read-only statement (never one inside a block).
  QueryCache cache(server_.options().cache, server_.database());
  const bool may_cache =
      cache.enabled() && session_->transaction_state() == TransactionState::kIdle;

  // The usual query is one statement: the worker that splits it runs it too and fetches its first
  // rows, one trip to the pool instead of two. The result cache must look first, and a statement
  // that has to wait for the writer turn runs again below, where the wait can suspend.
  auto first_timer = std::make_unique<StatementTimer>(stream_.get_executor(), session_,
                                                      session_->statement_timeout());
  const auto first_started = std::chrono::steady_clock::now();
  std::optional<Result<std::unique_ptr<Cursor>>> first_run;
  Status first_fetched;
  RowsAhead first_ahead;
  auto statements = co_await RunBlocking(workers, [&] {
    auto split = session_->Split(sql);
    if (split && split->size() == 1 && !may_cache) {
      auto run = session_->Execute(*split->front());
      if (!run && MustWait(run.error())) return split;
      if (run && !(*run)->copy()) {
        first_fetched = FetchAhead(**run, /*max_rows=*/0, first_ahead);
      }
      first_run = std::move(run);
    }
    return split;
  });
  if (!statements) {
    LogFailure(statements.error(), sql);
    out_.ErrorResponse(statements.error());
  } else if (statements->empty()) {
    out_.EmptyQueryResponse();
  } else {
    std::optional<QueryCache::Admission> admission;
    if (may_cache && statements->size() == 1) {
      std::string key =
          QueryCache::Key("pgwire", user_, session_->search_path(), CanonicalSql(sql));
      if (auto hit = cache.Lookup(key)) {
        out_.Raw(hit->body);
        ++statements_;
        StatementDone("SELECT", std::chrono::steady_clock::now(), sql);
        QueueNotifications();
        out_.ReadyForQuery(transaction_status());
        co_await Flush();
        co_return;
      }
      auto reads =
          co_await RunBlocking(workers, [&] { return session_->ReadsOf(*statements->front()); });
      admission = cache.Admit(std::move(key), std::move(reads));
    }
    for (auto& statement : *statements) {
      ++statements_;
      const bool first = statement == statements->front();
      auto started = first ? first_started : std::chrono::steady_clock::now();
      const size_t reply_start = out_.size();
      const uint64_t flushes_before = flushes_;
      auto timer = first ? std::move(first_timer)
                         : std::make_unique<StatementTimer>(stream_.get_executor(), session_,
                                                            session_->statement_timeout());
      Status fetched;
      RowsAhead ahead;
      Result<std::unique_ptr<Cursor>> cursor = Error();
      if (first && first_run) {
        cursor = std::move(*first_run);
        fetched = std::move(first_fetched);
        ahead = std::move(first_ahead);
      } else {
        cursor = co_await RunStatement(workers, [&] {
          auto run = session_->Execute(*statement);
          if (run && !(*run)->copy()) {
            fetched = FetchAhead(**run, /*max_rows=*/0, ahead);
          }
          return run;
        });
      }
      if (!cursor) {
        Error error = timer->Explain(std::move(cursor).error());
        LogFailure(error, statement->text());
        out_.ErrorResponse(error);
        break;
      }
      Cursor& c = **cursor;
      if (c.copy()) {
        std::string tag;
        // Not a ?: expression: GCC 12 mishandles co_await inside conditional operators.
        Status copied;
        if (c.copy()->from_client) {
          copied = co_await CopyIn(c, tag);
        } else {
          copied = co_await CopyOut(c, tag);
        }
        if (!copied) {
          Error error = timer->Explain(std::move(copied).error());
          LogFailure(error, statement->text());
          out_.ErrorResponse(error);
          break;
        }
        out_.CommandComplete(tag);
        cursor = Error();
        continue;
      }
      if (c.returns_rows()) out_.RowDescription(DescribeColumns(c.columns(), c.result_formats()));
      bool exhausted = false;
      Status sent = fetched;
      if (sent) sent = co_await SendRows(c, 0, exhausted, std::move(ahead));
      if (!sent) {
        Error error = timer->Explain(std::move(sent).error());
        LogFailure(error, statement->text());
        out_.ErrorResponse(error);
        break;
      }
      out_.CommandComplete(c.command_tag());
      StatementDone(c.command_tag(), started, statement->text());
      // Only a reply still whole in the buffer can be kept.
      if (admission && flushes_ == flushes_before &&
          session_->transaction_state() == TransactionState::kIdle) {
        cache.Store(std::move(*admission), out_.buffer().substr(reply_start), /*content_type=*/"");
      }
      ReportParameterChanges();
      cursor = Error();  // release the DuckDB result before the next statement runs
    }
  }
  ReportParameterChanges();
  QueueNotifications();
  out_.ReadyForQuery(transaction_status());
  co_await Flush();
}

void Connection::ReportParameterChanges() {
  for (auto& [name, value] : session_->TakeParameterChanges()) out_.ParameterStatus(name, value);
  for (auto& name : session_->TakeDeallocations()) {
    if (name == "ALL") {
      prepared_.clear();
    } else {
      prepared_.erase(name);
    }
  }
}

}  // namespace augur::pgwire
