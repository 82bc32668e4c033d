// notifications.cpp: the hub's bookkeeping and a transaction's pending NOTIFYs (see
// notifications.h).
#include "engine/session/notifications.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace augur::engine {

Status CheckNotification(const std::string& channel, const std::string& payload) {
  if (channel.empty()) return Error("22023", "channel name cannot be empty");
  if (channel.size() > kMaxChannelBytes) return Error("22023", "channel name too long");
  if (payload.size() > kMaxPayloadBytes) return Error("22023", "payload string too long");
  return {};
}

void NotificationHub::SetWaker(int32_t pid, std::function<void()> wake) {
  std::lock_guard lock(mu_);
  listeners_[pid].wake = std::move(wake);
}

Status NotificationHub::Listen(int32_t pid, const std::string& channel) {
  std::lock_guard lock(mu_);
  Listener& l = listeners_[pid];
  if (l.channels.count(channel) != 0) return {};
  if (l.channels.size() >= kMaxChannels) {
    return Error("54000", fmt::format("too many channels listened to (at most {} per session)",
                                      kMaxChannels))
        .WithHint("UNLISTEN channels no longer needed");
  }
  l.channels.insert(channel);
  by_channel_[channel].insert(pid);
  return {};
}

void NotificationHub::Unlisten(int32_t pid, const std::string& channel) {
  std::lock_guard lock(mu_);
  auto it = listeners_.find(pid);
  if (it == listeners_.end() || it->second.channels.erase(channel) == 0) return;
  auto c = by_channel_.find(channel);
  if (c != by_channel_.end()) {
    c->second.erase(pid);
    if (c->second.empty()) by_channel_.erase(c);
  }
}

void NotificationHub::UnlistenAll(int32_t pid) {
  std::lock_guard lock(mu_);
  auto it = listeners_.find(pid);
  if (it == listeners_.end()) return;
  for (const auto& channel : it->second.channels) {
    auto c = by_channel_.find(channel);
    if (c == by_channel_.end()) continue;
    c->second.erase(pid);
    if (c->second.empty()) by_channel_.erase(c);
  }
  it->second.channels.clear();
}

void NotificationHub::Remove(int32_t pid) {
  UnlistenAll(pid);
  std::lock_guard lock(mu_);
  listeners_.erase(pid);
}

Status NotificationHub::CheckRoom(const std::string& channel) {
  std::lock_guard lock(mu_);
  auto c = by_channel_.find(channel);
  if (c == by_channel_.end()) return {};
  for (int32_t pid : c->second) {
    const Listener& l = listeners_[pid];
    // Room for one more of the largest notification, so that a NOTIFY fails before a commit
    // would have to drop anything.
    if (l.pending.size() >= kMaxPendingPerListener ||
        l.pending_bytes + kMaxChannelBytes + kMaxPayloadBytes > kMaxPendingBytes) {
      return Error("54000", "too many notifications in the NOTIFY queue")
          .WithDetail(fmt::format("The server process with PID {} is among those with the "
                                  "oldest transactions.",
                                  pid))
          .WithHint(
              "The NOTIFY queue cannot be emptied until that process ends its current "
              "transaction.");
    }
  }
  return {};
}

void NotificationHub::Publish(const std::vector<Notification>& notifications) {
  if (notifications.empty()) return;
  std::lock_guard lock(mu_);
  std::set<int32_t> woken;
  for (const auto& n : notifications) {
    auto c = by_channel_.find(n.channel);
    if (c == by_channel_.end()) continue;
    for (int32_t pid : c->second) {
      Listener& l = listeners_[pid];
      size_t bytes = n.channel.size() + n.payload.size();
      if (l.pending.size() >= kMaxPendingPerListener ||
          l.pending_bytes + bytes > kMaxPendingBytes) {
        spdlog::warn("notification dropped: listener too far behind pid={} channel=\"{}\"", pid,
                     n.channel);
        continue;
      }
      l.pending.push_back(n);
      l.pending_bytes += bytes;
      woken.insert(pid);
    }
  }
  for (int32_t pid : woken) {
    if (auto& wake = listeners_[pid].wake) wake();
  }
}

std::vector<Notification> NotificationHub::Take(int32_t pid) {
  std::lock_guard lock(mu_);
  auto it = listeners_.find(pid);
  if (it == listeners_.end() || it->second.pending.empty()) return {};
  std::vector<Notification> out(std::make_move_iterator(it->second.pending.begin()),
                                std::make_move_iterator(it->second.pending.end()));
  it->second.pending.clear();
  it->second.pending_bytes = 0;
  return out;
}

std::vector<std::string> NotificationHub::Channels(int32_t pid) {
  std::lock_guard lock(mu_);
  auto it = listeners_.find(pid);
  if (it == listeners_.end()) return {};
  return {it->second.channels.begin(), it->second.channels.end()};
}

Status PendingNotifications::Notify(int32_t pid, std::string channel, std::string payload) {
  std::lock_guard lock(mu_);
  if (!seen_.emplace(channel, payload).second) return {};  // PostgreSQL sends duplicates once
  size_t bytes = channel.size() + payload.size();
  if (notifications_.size() >= kMaxPendingPerListener || bytes_ + bytes > kMaxPendingBytes) {
    seen_.erase({channel, payload});
    return Error("54000", "too many notifications in the NOTIFY queue")
        .WithDetail(fmt::format("A transaction may queue at most {} notifications and {} MiB.",
                                kMaxPendingPerListener, kMaxPendingBytes >> 20));
  }
  bytes_ += bytes;
  notifications_.push_back(Notification{pid, std::move(channel), std::move(payload)});
  return {};
}

Status PendingNotifications::Finish(NotificationHub& hub, int32_t pid, bool commit) {
  std::vector<Notification> notifications;
  std::vector<std::pair<Kind, std::string>> actions;
  {
    std::lock_guard lock(mu_);
    notifications.swap(notifications_);
    actions.swap(actions_);
    seen_.clear();
    bytes_ = 0;
  }
  if (!commit) return {};
  Status status;
  for (auto& [kind, channel] : actions) {
    switch (kind) {
      case Kind::kListen:
        if (auto ok = hub.Listen(pid, channel); !ok && status) status = std::move(ok);
        break;
      case Kind::kUnlisten:
        hub.Unlisten(pid, channel);
        break;
      case Kind::kUnlistenAll:
        hub.UnlistenAll(pid);
        break;
    }
  }
  hub.Publish(notifications);
  return status;
}

}  // namespace augur::engine
