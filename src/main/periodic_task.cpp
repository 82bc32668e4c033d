// periodic_task.cpp: see periodic_task.h.
#include "main/periodic_task.h"

namespace augur {

PeriodicTask::PeriodicTask(std::chrono::milliseconds every, std::function<bool()> tick)
    : every_(every), tick_(std::move(tick)) {
  thread_ = std::thread([this] {
    for (;;) {
      {
        std::unique_lock lock(mu_);
        if (wake_.wait_for(lock, every_, [this] { return stopping_; })) return;
      }
      if (!tick_()) return;
    }
  });
}

void PeriodicTask::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace augur
