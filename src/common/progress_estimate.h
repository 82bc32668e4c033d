// progress_estimate.h: how long a piece of work has left, from how long it has run and how much
// of it is done, for the progress displays (the console's bar through GET /api/progress, and the
// bars of `augur import`, `backup` and `restore`).
//
// A straight line: the rest goes at the rate so far. That is all DuckDB's estimate supports (it
// counts rows, not time), and a display should say "about": a join's build side or a sort's merge
// runs at another rate than the scan that fed it.
#pragma once

#include <optional>

namespace augur {

// Seconds left, or nullopt when there is nothing to go on yet: nothing done (or the fraction is
// not a number, or so small that the answer would be infinite), or no time elapsed. `fraction_done`
// is 0..1 (clamped); at 1, nothing is left.
std::optional<double> EstimateSecondsLeft(double elapsed_seconds, double fraction_done);

}  // namespace augur
