// notify_delivery.cpp: sending LISTEN/NOTIFY notifications to the client.
//
// PostgreSQL sends a NotificationResponse between the end of a statement and ReadyForQuery, and
// at once to a client that sits idle: psycopg's notifies(), asyncpg's add_listener and
// node-postgres wait for them without sending anything. So notifications go out on two paths:
// QueueNotifications() before every ReadyForQuery, and an "idle notifier" coroutine that the
// session's notification waker wakes; it writes only while the main loop waits for the next
// message after a ReadyForQuery, and the main loop, once a message arrived, waits until such a
// write finished before it answers. A message sequence is thus never interleaved with a
// notification. All of this runs on the connection's I/O thread.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/write.hpp>

#include "pgwire/connection.h"

namespace augur::pgwire {

namespace asio = boost::asio;

void Connection::QueueNotifications() {
  for (auto& n : session_->TakeNotifications()) {
    out_.NotificationResponse(n.pid, n.channel, n.payload);
  }
}

asio::awaitable<void> Connection::DeliverIdleNotifications() {
  if (notify_writing_ || !idle_) co_return;
  notify_writing_ = true;
  struct Done {  // also when the write throws (the client left)
    Connection& c;
    ~Done() {
      c.notify_writing_ = false;
      c.notify_done_->Fire();
    }
  } done{*this};
  // Until nothing is pending, or a message arrived (the rest go before its ReadyForQuery).
  while (idle_) {
    auto batch = session_->TakeNotifications();
    if (batch.empty()) break;
    MessageWriter writer;
    for (auto& n : batch) writer.NotificationResponse(n.pid, n.channel, n.payload);
    co_await stream_.Write(asio::buffer(writer.buffer()));
  }
}

void Connection::StartIdleNotifier() {
  auto self = shared_from_this();
  asio::co_spawn(
      stream_.get_executor(),
      [self]() -> asio::awaitable<void> {
        while (!self->notifier_stop_) {
          co_await self->notify_->Wait();
          if (self->notifier_stop_) break;
          co_await self->DeliverIdleNotifications();
        }
      },
      [](std::exception_ptr) {});  // a failed write: the main loop sees the socket fail too
}

asio::awaitable<bool> Connection::ReadNextMessage(Message& message, bool idle) {
  if (idle) {
    idle_ = true;
    co_await DeliverIdleNotifications();  // those that came while ReadyForQuery was sent
  }
  bool read = false;
  try {
    read = co_await ReadMessage(message);
  } catch (...) {
    idle_ = false;
    throw;
  }
  idle_ = false;
  while (notify_writing_) co_await notify_done_->Wait();
  co_return read;
}

}  // namespace augur::pgwire
