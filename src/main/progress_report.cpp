// progress_report.cpp: see progress_report.h.
#include "main/progress_report.h"

#include <cstdio>

namespace augur {

ProgressReport::ProgressReport(std::string what, bool terminal)
    : what_(std::move(what)), terminal_(terminal) {}

double ProgressReport::seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void ProgressReport::Update(double fraction, uint64_t rows) {
  if (fraction < 0) fraction = 0;
  if (fraction > 1) fraction = 1;
  if (terminal_) {
    int permille = static_cast<int>(fraction * 1000);
    if (permille == last_permille_) return;
    last_permille_ = permille;
    constexpr int kWidth = 30;
    int filled = static_cast<int>(fraction * kWidth);
    std::string bar(static_cast<size_t>(filled), '#');
    bar.append(static_cast<size_t>(kWidth - filled), ' ');
    std::fprintf(stderr, "\r%s [%s] %5.1f%%  %llu rows  %.1f s", what_.c_str(), bar.c_str(),
                 fraction * 100, static_cast<unsigned long long>(rows), seconds());
    std::fflush(stderr);
    drawn_ = true;
    return;
  }
  int tenth = static_cast<int>(fraction * 10);
  if (tenth <= last_tenth_) return;
  last_tenth_ = tenth;
  std::fprintf(stderr, "%s: %d%% (%llu rows, %.1f s)\n", what_.c_str(), tenth * 10,
               static_cast<unsigned long long>(rows), seconds());
}

void ProgressReport::Finish() {
  if (terminal_ && drawn_) std::fputc('\n', stderr);
  drawn_ = false;
}

}  // namespace augur
