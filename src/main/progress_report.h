// progress_report.h: how a long `augur` command shows how far it has got: on a terminal, a bar
// redrawn in place on stderr; otherwise (a log, a pipe) a line at every tenth of the way.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace augur {

class ProgressReport {
 public:
  // `what` names the work in the log lines ("import"); `terminal` chooses the bar.
  ProgressReport(std::string what, bool terminal);
  // `fraction` is 0..1 of the work; `rows` how many rows are done so far.
  void Update(double fraction, uint64_t rows);
  // Ends the bar's line (the summary is printed after it).
  void Finish();
  double seconds() const;

 private:
  std::string what_;
  bool terminal_;
  int last_tenth_ = -1;     // log mode: the last tenth reported
  int last_permille_ = -1;  // bar mode: redraw only when the figure changes
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

}  // namespace augur
