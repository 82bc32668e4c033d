// progress_report.cpp: see progress_report.h.
#include "main/progress_report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "common/progress_estimate.h"

namespace augur {

ProgressReport::ProgressReport(std::string what, bool terminal)
    : what_(std::move(what)), terminal_(terminal) {}

double ProgressReport::seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void ProgressReport::Update(double fraction, std::optional<uint64_t> rows) {
  if (!(fraction >= 0)) fraction = 0;  // NaN too
  if (fraction > 1) fraction = 1;
  std::lock_guard lock(mu_);
  fraction_ = std::max(fraction_, fraction);
  if (rows) rows_ = rows;
  double elapsed = seconds();
  if (terminal_) {
    int permille = static_cast<int>(fraction_ * 1000);
    int second = static_cast<int>(elapsed);
    if (permille == last_permille_ && second == last_second_) return;
    last_permille_ = permille;
    last_second_ = second;
    constexpr int kWidth = 30;
    int filled = static_cast<int>(fraction_ * kWidth);
    std::string bar(static_cast<size_t>(filled), '#');
    bar.append(static_cast<size_t>(kWidth - filled), ' ');
    std::string left;
    if (auto estimate = EstimateSecondsLeft(elapsed, fraction_); estimate && fraction_ < 1) {
      left = "  about " + std::to_string(static_cast<long long>(std::ceil(*estimate))) + " s left";
    }
    // \033[K clears what a longer previous line left behind.
    std::string rows_text = rows_ ? "  " + std::to_string(*rows_) + " rows" : "";
    std::fprintf(stderr, "\r%s [%s] %5.1f%%%s  %.1f s%s\033[K", what_.c_str(), bar.c_str(),
                 fraction_ * 100, rows_text.c_str(), elapsed, left.c_str());
    std::fflush(stderr);
    drawn_ = true;
    return;
  }
  int tenth = static_cast<int>(fraction_ * 10);
  if (tenth <= last_tenth_) return;
  last_tenth_ = tenth;
  std::string rows_text = rows_ ? std::to_string(*rows_) + " rows, " : "";
  std::fprintf(stderr, "%s: %d%% (%s%.1f s)\n", what_.c_str(), tenth * 10, rows_text.c_str(),
               elapsed);
}

void ProgressReport::Finish() {
  std::lock_guard lock(mu_);
  if (terminal_ && drawn_) std::fputc('\n', stderr);
  drawn_ = false;
}

}  // namespace augur
