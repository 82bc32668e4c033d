// progress_report.h: how a long `augur` command (import, backup, restore) shows how far it has
// got: on a terminal, a bar redrawn in place on stderr with the time so far and an estimate of
// the time left; otherwise (a log, a pipe) a line at every tenth of the way.
//
// Safe to update from several threads (a command's work and its progress poller); the figures
// never go back: an update below the last one draws the last one again.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

namespace augur {

class ProgressReport {
 public:
  // `what` names the work in the log lines ("import"); `terminal` chooses the bar.
  ProgressReport(std::string what, bool terminal);
  // `fraction` is 0..1 of the work; `rows` how many rows are done so far, when known (the
  // figure shown is the last one given).
  void Update(double fraction, std::optional<uint64_t> rows);
  // Ends the bar's line (the summary is printed after it).
  void Finish();
  double seconds() const;

 private:
  std::string what_;
  bool terminal_;
  std::mutex mu_;
  double fraction_ = 0;           // the highest so far
  std::optional<uint64_t> rows_;  // the last figure given
  int last_tenth_ = -1;           // log mode: the last tenth reported
  int last_permille_ = -1;        // bar mode: redraw only when the figure changes...
  int last_second_ = -1;          // ...or the clock's second
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace augur
