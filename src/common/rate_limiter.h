// rate_limiter.h: per-client rate limiting with GCRA (the generic cell rate algorithm).
//
// Each client key (an address, a token) has a theoretical arrival time (TAT): when its next
// request would be due if it sent at exactly `rate` per second. A request is admitted when the
// TAT is at most (burst - 1) intervals ahead of now, and pushes the TAT one interval further. So a
// quiet client may send `burst` requests at once, then one per interval; a refused one learns
// exactly how long to wait. One integer per key, no timers, no token refills: that is why GCRA
// rather than a token bucket. Written here because no Debian package offers one.
//
// Thread safety: Admit may be called from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace augur {

class RateLimiter {
 public:
  using Clock = std::function<std::chrono::nanoseconds()>;

  struct Decision {
    bool allowed = true;
    std::chrono::nanoseconds retry_after{0};  // when refused: wait at least this long
  };

  // `rate_per_second` <= 0 admits everything. `burst` is at least 1.
  RateLimiter(double rate_per_second, uint32_t burst, Clock clock = SteadyNow);

  Decision Admit(std::string_view key);
  // Whether Admit would admit `key` now, without counting a request.
  Decision Peek(std::string_view key);
  bool enabled() const { return interval_ns_ > 0; }

  static std::chrono::nanoseconds SteadyNow();

 private:
  int64_t interval_ns_;   // 1 / rate
  int64_t tolerance_ns_;  // (burst - 1) intervals
  Clock clock_;
  std::mutex mu_;
  std::unordered_map<std::string, int64_t> tat_ns_;  // per key
};

}  // namespace augur
