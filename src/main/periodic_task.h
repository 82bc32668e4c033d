// periodic_task.h: runs a function every interval on a thread of its own until stopped: the
// progress pollers of `augur backup` (GET /api/progress) and `augur restore` (its session).
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace augur {

class PeriodicTask {
 public:
  // `tick` runs first after one interval, then every interval; returning false ends the task.
  PeriodicTask(std::chrono::milliseconds every, std::function<bool()> tick);
  ~PeriodicTask() { Stop(); }
  PeriodicTask(const PeriodicTask&) = delete;
  PeriodicTask& operator=(const PeriodicTask&) = delete;

  // Waits for a tick that runs to end, and runs no more. Idempotent.
  void Stop();

 private:
  std::chrono::milliseconds every_;
  std::function<bool()> tick_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace augur
