// statement_timer.h: enforces statement_timeout. While a statement runs, a timer on the
// connection's executor waits; if it fires first it cancels the session's statement, and the
// connection reports PostgreSQL's 57014 "canceling statement due to statement timeout".
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>

#include "augur/engine.h"

namespace augur::pgwire {

class StatementTimer {
 public:
  // Arms the timer when `timeout` is positive; a zero timeout never fires.
  StatementTimer(const boost::asio::any_io_executor& executor, std::shared_ptr<Session> session,
                 std::chrono::milliseconds timeout)
      : timer_(executor), state_(std::make_shared<State>()) {
    if (timeout.count() <= 0) return;
    state_->session = std::move(session);
    timer_.expires_after(timeout);
    timer_.async_wait([state = state_](const boost::system::error_code& ec) {
      // A disarmed timer may still complete successfully if it expired just before; the flag
      // keeps it from cancelling whatever the session runs next.
      if (ec || !state->armed) return;
      state->fired = true;
      state->session->Cancel();
    });
  }
  ~StatementTimer() {
    state_->armed = false;
    timer_.cancel();
  }
  StatementTimer(const StatementTimer&) = delete;
  StatementTimer& operator=(const StatementTimer&) = delete;

  // Rewrites a cancellation caused by this timer into PostgreSQL's timeout message.
  Error Explain(Error error) const {
    if (state_->fired && error.sqlstate == sqlstate::kQueryCanceled) {
      error.message = "canceling statement due to statement timeout";
    }
    return error;
  }

 private:
  struct State {
    bool armed = true;
    bool fired = false;
    std::shared_ptr<Session> session;
  };
  boost::asio::steady_timer timer_;
  std::shared_ptr<State> state_;
};

}  // namespace augur::pgwire
