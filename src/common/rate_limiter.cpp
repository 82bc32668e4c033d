// rate_limiter.cpp
#include "common/rate_limiter.h"

#include <algorithm>

namespace augur {
namespace {
// Keys whose TAT has passed hold no state worth keeping; sweep them when the map grows past this.
constexpr size_t kSweepAt = 100'000;
}  // namespace

RateLimiter::RateLimiter(double rate_per_second, uint32_t burst, Clock clock)
    : interval_ns_(rate_per_second > 0 ? static_cast<int64_t>(1e9 / rate_per_second) : 0),
      tolerance_ns_(interval_ns_ * (static_cast<int64_t>(std::max<uint32_t>(burst, 1)) - 1)),
      clock_(std::move(clock)) {}

std::chrono::nanoseconds RateLimiter::SteadyNow() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
      std::chrono::steady_clock::now().time_since_epoch());
}

RateLimiter::Decision RateLimiter::Admit(std::string_view key) {
  if (!enabled()) return {};
  int64_t now = clock_().count();
  std::lock_guard lock(mu_);
  if (tat_ns_.size() >= kSweepAt) {
    std::erase_if(tat_ns_, [now](const auto& entry) { return entry.second <= now; });
  }
  auto [it, inserted] = tat_ns_.try_emplace(std::string(key), now);
  int64_t tat = std::max(it->second, now);
  int64_t ahead = tat - now;
  if (ahead > tolerance_ns_) {
    return {false, std::chrono::nanoseconds(ahead - tolerance_ns_)};
  }
  it->second = tat + interval_ns_;
  return {};
}

RateLimiter::Decision RateLimiter::Peek(std::string_view key) {
  if (!enabled()) return {};
  int64_t now = clock_().count();
  std::lock_guard lock(mu_);
  auto it = tat_ns_.find(std::string(key));
  if (it == tat_ns_.end()) return {};
  int64_t ahead = std::max(it->second, now) - now;
  if (ahead > tolerance_ns_) return {false, std::chrono::nanoseconds(ahead - tolerance_ns_)};
  return {};
}

}  // namespace augur
