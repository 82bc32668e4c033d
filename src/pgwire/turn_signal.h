// turn_signal.h: how a connection waits for its session's turn to write without holding a thread.
//
// Writing transactions take turns (src/engine/writer_lock.h). A statement that finds the turn
// taken does not block its worker: the session queues itself and the statement answers
// kMustWait. The connection's coroutine then suspends here until the session's waker (Waker())
// fires, and runs the statement again on a worker; by then the turn has been handed to it (or the
// wait was cancelled, and the statement fails with 57014). Hundreds of waiting clients thus cost
// no worker threads, and the holder's COMMIT always finds one.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <functional>
#include <memory>
#include <type_traits>

#include "augur/engine.h"
#include "common/blocking.h"

namespace augur::pgwire {

class TurnSignal : public std::enable_shared_from_this<TurnSignal> {
 public:
  explicit TurnSignal(const boost::asio::any_io_executor& executor) : timer_(executor) {}

  // The callback for Session::SetWaker. It may run on any thread (with the engine's lock held),
  // so it only posts to the connection's executor; the signal is held weakly, and a wake after
  // the connection ended does nothing.
  std::function<void()> Waker() {
    return [weak = weak_from_this(), executor = timer_.get_executor()] {
      boost::asio::post(executor, [weak] {
        if (auto self = weak.lock()) self->Fire();
      });
    };
  }

  // Suspends until the waker has fired since the last Wait() returned (at once if it has). A
  // wake that arrives while nobody waits is kept: the next Wait() returns at once, and the
  // statement it retries answers kMustWait again if its turn has not come. I/O thread only.
  boost::asio::awaitable<void> Wait() {
    while (!woken_) {
      timer_.expires_at(boost::asio::steady_timer::time_point::max());
      boost::system::error_code ignored;  // Fire() cancels the wait: operation_aborted
      co_await timer_.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ignored));
    }
    woken_ = false;
  }

  // Ends the current or next Wait(). I/O thread only.
  void Fire() {
    woken_ = true;
    timer_.cancel();
  }

 private:
  boost::asio::steady_timer timer_;
  bool woken_ = false;
};

// Runs `fn` (an engine call: Session::Execute or CopyIn) on `pool` until it answers something
// other than kMustWait, suspending on `wait()` (an awaitable that ends when the session's waker
// fired) in between. `fn` is called again with the same arguments each time, which the engine's
// contract for kMustWait allows.
template <typename Fn, typename Wait>
auto RunWaitingForTurn(boost::asio::thread_pool& pool, Fn fn, Wait wait)
    -> boost::asio::awaitable<std::invoke_result_t<Fn&>> {
  for (;;) {
    auto result = co_await RunBlocking(pool, fn);
    if (result || !MustWait(result.error())) co_return result;
    co_await wait();
  }
}

}  // namespace augur::pgwire
