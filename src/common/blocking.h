// blocking.h: run a blocking engine call on a worker pool and resume the calling coroutine on
// its own executor with the result.
//
// DuckDB calls block (parse, plan, execute, fetch). The I/O threads must keep serving other
// connections meanwhile, so every engine call goes through RunBlocking. The work guard keeps the
// I/O context alive while a call is in flight, so shutdown waits for cancelled queries to unwind.
#pragma once

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <type_traits>
#include <utility>

namespace augur {

template <typename Fn>
auto RunBlocking(boost::asio::thread_pool& pool, Fn fn)
    -> boost::asio::awaitable<std::invoke_result_t<Fn&>> {
  using R = std::invoke_result_t<Fn&>;
  return boost::asio::async_initiate<decltype(boost::asio::use_awaitable), void(R)>(
      [&pool, fn = std::move(fn)](auto handler) mutable {
        auto io = boost::asio::get_associated_executor(handler);
        auto work = boost::asio::make_work_guard(io);
        boost::asio::post(pool, [fn = std::move(fn), handler = std::move(handler),
                                 work = std::move(work)]() mutable {
          R result = fn();
          auto io = work.get_executor();
          boost::asio::dispatch(
              io, [handler = std::move(handler), result = std::move(result),
                   work = std::move(work)]() mutable { std::move(handler)(std::move(result)); });
        });
      },
      boost::asio::use_awaitable);
}

}  // namespace augur
