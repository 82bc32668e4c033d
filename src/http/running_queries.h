// running_queries.h: the REST API's statements that are running now, by the query id the client
// chose, so that POST /api/cancel can interrupt one (the console's Cancel button) and GET
// /api/progress can say how far it has got (the console's progress bar, `augur backup`'s).
//
// A request names its statement with "query_id" (1 to 64 letters, digits, '-' or '_'; the
// console sends a random UUID). While it runs, the id maps to its session and its role. As with
// pg_cancel_backend, a role may cancel only its own statements, and a superuser any; the same
// goes for reading their progress.
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
    struct Shared {
      std::atomic<bool> cancelled{false};
      std::atomic<int> statement{1};   // which statement of a script runs, from 1
      std::atomic<int> statements{1};  // of how many
    };
    Registration(RunningQueries& owner, std::string id, std::shared_ptr<Shared> shared)
        : owner_(owner), id_(std::move(id)), shared_(std::move(shared)) {}
    ~Registration();
    // Whether Cancel reached it: a script stops before its next statement (Session::Cancel
    // interrupts only the statement running at that moment).
    bool cancelled() const { return shared_->cancelled.load(); }
    // A script says which of its statements runs now, for GET /api/progress.
    void SetStatement(int statement, int statements) {
      shared_->statements.store(statements);
      shared_->statement.store(statement);
    }
    Registration(const Registration&) = delete;
    Registration& operator=(const Registration&) = delete;

   private:
    RunningQueries& owner_;
    std::string id_;
    std::shared_ptr<Shared> shared_;
  };

  // 22023 for an id that is not well formed, 42710 for one already running.
  Result<std::unique_ptr<Registration>> Register(const std::string& id, const std::string& role,
                                                 Session& session);

  enum class CancelOutcome { kCancelled, kNotRunning, kNotYours };
  // Interrupts the statement `id` (it fails with 57014) when `role` owns it or is a superuser.
  CancelOutcome Cancel(std::string_view id, std::string_view role, bool superuser);

  struct Progress {
    enum class Outcome { kRunning, kNotRunning, kNotYours } outcome = Outcome::kNotRunning;
    SessionProgress session;  // kRunning: its session's statement
    int statement = 1;        // kRunning: which statement of the request, from 1
    int statements = 1;
  };
  // How far the statement `id` has got, when `role` owns it or is a superuser.
  Progress ProgressOf(std::string_view id, std::string_view role, bool superuser) const;

  size_t size() const;

 private:
  struct Running {
    std::string role;
    Session* session;
    std::shared_ptr<Registration::Shared> shared;
  };
  mutable std::mutex mu_;
  std::map<std::string, Running, std::less<>> running_;
};

// Whether `id` is a well-formed query id.
bool ValidQueryId(std::string_view id);

}  // namespace augur::http
