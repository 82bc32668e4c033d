// running_queries.h: the REST API's statements that are running now, by the query id the client
// chose, so that POST /api/cancel can interrupt one (the console's Cancel button).
//
// A request names its statement with "query_id" (1 to 64 letters, digits, '-' or '_'; the
// console sends a random UUID). While it runs, the id maps to its session and its role. As with
// pg_cancel_backend, a role may cancel only its own statements, and a superuser any.
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "augur/engine.h"

namespace augur::http {

class RunningQueries {
 public:
  // Keeps `id` registered while it lives; unregisters it when destroyed (before its session
  // closes: destroy it first).
  class Registration {
   public:
    Registration(RunningQueries& owner, std::string id,
                 std::shared_ptr<std::atomic<bool>> cancelled)
        : owner_(owner), id_(std::move(id)), cancelled_(std::move(cancelled)) {}
    ~Registration();
    // Whether Cancel reached it: a script stops before its next statement (Session::Cancel
    // interrupts only the statement running at that moment).
    bool cancelled() const { return cancelled_->load(); }
    Registration(const Registration&) = delete;
    Registration& operator=(const Registration&) = delete;

   private:
    RunningQueries& owner_;
    std::string id_;
    std::shared_ptr<std::atomic<bool>> cancelled_;
  };

  // 22023 for an id that is not well formed, 42710 for one already running.
  Result<std::unique_ptr<Registration>> Register(const std::string& id, const std::string& role,
                                                 Session& session);

  enum class CancelOutcome { kCancelled, kNotRunning, kNotYours };
  // Interrupts the statement `id` (it fails with 57014) when `role` owns it or is a superuser.
  CancelOutcome Cancel(std::string_view id, std::string_view role, bool superuser);

  size_t size() const;

 private:
  struct Running {
    std::string role;
    Session* session;
    std::shared_ptr<std::atomic<bool>> cancelled;
  };
  mutable std::mutex mu_;
  std::map<std::string, Running, std::less<>> running_;
};

// Whether `id` is a well-formed query id.
bool ValidQueryId(std::string_view id);

}  // namespace augur::http
