// notifications.h: LISTEN / NOTIFY between the sessions of one Database.
//
// Job queues (graphile-worker, Oban-style pollers, Django channels' Postgres layer), cache
// invalidation and live dashboards use PostgreSQL's LISTEN/NOTIFY to avoid polling. The hub
// keeps, per listening session, the channels it listens on and the notifications delivered to it
// but not yet sent to its client; the protocol layer takes them (TakeNotifications) and sends
// NotificationResponse messages, between statements or at once when the client is idle (the
// listener's wake callback tells it to look).
//
// A session queues its NOTIFYs in its own transaction (PendingNotifications, de-duplicated as
// PostgreSQL does) and publishes them here when the transaction commits, in order, so every
// listener sees the notifications of one transaction together and in the order they were made.
//
// Bounds (PostgreSQL has one 8 GB queue on disk; augur keeps notifications in memory): a
// listener holds at most kMaxPendingPerListener notifications or kMaxPendingBytes bytes not yet
// sent; a NOTIFY on a channel whose listener is that far behind fails with 54000, as PostgreSQL's
// does when its queue is full, and a commit that would overflow it drops the excess (logged). A
// session listens on at most kMaxChannels channels and a transaction queues at most
// kMaxPendingPerListener notifications and kMaxPendingBytes bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "augur/result.h"

namespace augur::engine {

struct Notification {
  int32_t pid = 0;  // the notifying session
  std::string channel;
  std::string payload;
};

inline constexpr size_t kMaxPayloadBytes = 7999;  // PostgreSQL: payload must be under 8000 bytes
inline constexpr size_t kMaxChannelBytes = 63;    // NAMEDATALEN - 1
inline constexpr size_t kMaxChannels = 10000;
inline constexpr size_t kMaxPendingPerListener = 100000;
inline constexpr size_t kMaxPendingBytes = 64u << 20;

// 22023 unless `channel` and `payload` are a valid notification (pg_notify's checks).
Status CheckNotification(const std::string& channel, const std::string& payload);

class NotificationHub {
 public:
  // Registers session `pid` as a possible listener; `wake` is called (on any thread, with the
  // hub's mutex held: it must only post) when a notification arrives for it.
  void SetWaker(int32_t pid, std::function<void()> wake);
  Status Listen(int32_t pid, const std::string& channel);
  void Unlisten(int32_t pid, const std::string& channel);
  void UnlistenAll(int32_t pid);
  // Forgets the session: its channels and undelivered notifications.
  void Remove(int32_t pid);
  // 54000 when a listener of `channel` is too far behind to take another notification.
  Status CheckRoom(const std::string& channel);
  // Delivers one committed transaction's notifications to every listener of their channels.
  void Publish(const std::vector<Notification>& notifications);
  // The notifications delivered to `pid` and not yet taken, oldest first.
  std::vector<Notification> Take(int32_t pid);
  // Channels `pid` listens on (pg_listening_channels()).
  std::vector<std::string> Channels(int32_t pid);

 private:
  struct Listener {
    std::set<std::string> channels;
    std::deque<Notification> pending;
    size_t pending_bytes = 0;
    std::function<void()> wake;
  };
  std::mutex mu_;
  std::map<int32_t, Listener> listeners_;
  std::map<std::string, std::set<int32_t>> by_channel_;
};

// One transaction's NOTIFYs and LISTEN/UNLISTEN requests, applied at commit. Guarded by its own
// mutex: pg_notify() may run on any of DuckDB's threads.
class PendingNotifications {
 public:
  // 54000 when the transaction already queued too many.
  Status Notify(int32_t pid, std::string channel, std::string payload);
  void Listen(std::string channel) { Action(Kind::kListen, std::move(channel)); }
  void Unlisten(std::string channel) { Action(Kind::kUnlisten, std::move(channel)); }
  void UnlistenAll() { Action(Kind::kUnlistenAll, ""); }
  // Commit: applies the LISTEN/UNLISTEN requests in order, then publishes the notifications.
  // Rollback (commit = false): forgets everything.
  Status Finish(NotificationHub& hub, int32_t pid, bool commit);

 private:
  enum class Kind { kListen, kUnlisten, kUnlistenAll };
  void Action(Kind kind, std::string channel) {
    std::lock_guard lock(mu_);
    actions_.emplace_back(kind, std::move(channel));
  }
  std::mutex mu_;
  std::vector<Notification> notifications_;
  size_t bytes_ = 0;                                    // channels and payloads of notifications_
  std::set<std::pair<std::string, std::string>> seen_;  // channel, payload: sent once
  std::vector<std::pair<Kind, std::string>> actions_;
};

}  // namespace augur::engine
