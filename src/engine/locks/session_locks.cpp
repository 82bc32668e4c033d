// session_locks.cpp: a session's side of advisory locks, row-locking clauses and LISTEN/NOTIFY:
// what it holds and queues, and what happens to that when its transaction ends. The shared
// tables are in advisory_locks.h and notifications.h.
#include <fmt/format.h>

#include <charconv>

#include "engine/session/session_impl.h"

namespace augur::engine {

void SessionImpl::SetNotificationWaker(std::function<void()> wake) {
  registry_.notifications().SetWaker(id_, std::move(wake));
}

std::vector<NotificationMessage> SessionImpl::TakeNotifications() {
  std::vector<NotificationMessage> out;
  for (auto& n : registry_.notifications().Take(id_)) {
    out.push_back(NotificationMessage{n.pid, std::move(n.channel), std::move(n.payload)});
  }
  return out;
}

Result<bool> SessionImpl::AdvisoryLock(AdvisoryLocks::Key key, AdvisoryLocks::Mode mode,
                                       AdvisoryLocks::Scope scope, bool try_only) {
  AdvisoryLocks::Wait wait;
  wait.cancelled = &cancel_requested_;
  wait.timeout = lock_timeout();
  wait.try_only = try_only;
  waiting_for_advisory_lock_ = !try_only;  // shown while it may wait
  auto locked = registry_.advisory_locks().Lock(id_, key, mode, scope, wait);
  waiting_for_advisory_lock_ = false;
  return locked;
}

bool SessionImpl::AdvisoryUnlock(AdvisoryLocks::Key key, AdvisoryLocks::Mode mode) {
  return registry_.advisory_locks().Unlock(id_, key, mode);
}

void SessionImpl::AdvisoryUnlockAll() { registry_.advisory_locks().UnlockAllSession(id_); }

Status SessionImpl::QueueNotify(std::string channel, std::string payload) {
  if (auto valid = CheckNotification(channel, payload); !valid) return valid;
  if (auto room = registry_.notifications().CheckRoom(channel); !room) return room;
  return pending_notifications_.Notify(id_, std::move(channel), std::move(payload));
}

Status SessionImpl::CheckRowLockPrivilege(const std::optional<RowLockClause>& row_lock) {
  if (!row_lock || role_->Has(Privilege::kWriter)) return {};
  // Locking rows takes the writer turn: a read-only role could stall every writer.
  return Error(sqlstate::kInsufficientPrivilege,
               fmt::format("permission denied for table {}", row_lock->relation));
}

std::optional<Result<std::unique_ptr<Cursor>>> SessionImpl::HandleNotifyCommand(
    const std::string& name, const std::string& value) {
  using Answer = std::optional<Result<std::unique_ptr<Cursor>>>;
  auto fixed = [this](const char* tag) {
    return Answer(std::unique_ptr<Cursor>(std::make_unique<CursorImpl>(*this, tag)));
  };
  auto& hub = registry_.notifications();
  // Inside a block LISTEN and UNLISTEN take effect at COMMIT, as in PostgreSQL.
  const bool in_block = state_ == TransactionState::kInBlock;
  if (name == "augur.listen") {
    if (in_block) {
      if (hub.Channels(id_).size() >= kMaxChannels) {
        return Answer(Error("54000", fmt::format("too many channels listened to (at most {} per "
                                                 "session)",
                                                 kMaxChannels)));
      }
      pending_notifications_.Listen(value);
    } else if (auto ok = hub.Listen(id_, value); !ok) {
      return Answer(std::move(ok).error());
    }
    return fixed("LISTEN");
  }
  if (name == "augur.unlisten") {  // '' is UNLISTEN *
    if (in_block) {
      value.empty() ? pending_notifications_.UnlistenAll() : pending_notifications_.Unlisten(value);
    } else if (value.empty()) {
      hub.UnlistenAll(id_);
    } else {
      hub.Unlisten(id_, value);
    }
    return fixed("UNLISTEN");
  }
  if (name == "augur.notify") {  // "<channel length>:<channel><payload>"
    size_t colon = value.find(':');
    size_t length = 0;
    if (colon == std::string::npos ||
        std::from_chars(value.data(), value.data() + colon, length).ec != std::errc() ||
        length > value.size() - colon - 1) {
      return Answer(Error(sqlstate::kSyntaxError, "malformed NOTIFY"));
    }
    std::string channel = value.substr(colon + 1, length);
    std::string payload = value.substr(colon + 1 + length);
    if (auto queued = QueueNotify(std::move(channel), std::move(payload)); !queued) {
      return Answer(std::move(queued).error());
    }
    if (!in_block) (void)pending_notifications_.Finish(hub, id_, /*commit=*/true);
    return fixed("NOTIFY");
  }
  return std::nullopt;
}

void SessionImpl::EndTransaction(bool committed) {
  registry_.advisory_locks().UnlockAllTransaction(id_);
  (void)pending_notifications_.Finish(registry_.notifications(), id_, committed);
}

}  // namespace augur::engine
