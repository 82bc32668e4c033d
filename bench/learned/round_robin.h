// round_robin.h: times lookups of several index structures on the same keys, taking turns.
//
// This machine is shared: a neighbour's burst can slow one structure's whole measurement by 30%
// and make the slower structure look faster. So every structure is timed once per round, for
// several rounds, and each keeps its fastest round (interference only ever adds time): the
// structures see the same conditions, and a row's figure is its undisturbed speed.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <memory>
#include <numeric>
#include <random>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "learned/learned_index.h"

namespace augur::bench {

struct Candidate {
  std::string name;
  double build_seconds = 0;
  double bytes = 0;  // the index's own bytes (not the keys')
  std::function<size_t(uint64_t)> lookup;
  double independent_ns = 0;  // filled by TimeRoundRobin
  double dependent_ns = 0;
};

// ns per lookup; `dependent` makes each probe's choice depend on the previous answer (latency),
// otherwise the CPU overlaps consecutive lookups (throughput).
inline double TimeLookups(const std::vector<uint64_t>& probes, bool dependent,
                          const std::function<size_t(uint64_t)>& lookup) {
  using Clock = std::chrono::steady_clock;
  size_t sink = 0;
  auto start = Clock::now();
  if (dependent) {
    for (size_t i = 0; i < probes.size(); ++i) {
      sink += lookup(probes[(i + (sink & 1)) % probes.size()]);
    }
  } else {
    for (uint64_t p : probes) sink += lookup(p);
  }
  double ns = std::chrono::duration<double, std::nano>(Clock::now() - start).count();
  if (sink == 42) std::puts("");  // keeps the loop
  return ns / static_cast<double>(probes.size());
}

// The fastest of `passes` timings of one structure (for structures timed alone).
inline double BestOf(int passes, const std::vector<uint64_t>& probes, bool dependent,
                     const std::function<size_t(uint64_t)>& lookup) {
  double best = TimeLookups(probes, dependent, lookup);
  for (int pass = 1; pass < passes; ++pass) {
    best = std::min(best, TimeLookups(probes, dependent, lookup));
  }
  return best;
}

inline void TimeRoundRobin(std::vector<Candidate>& candidates, const std::vector<uint64_t>& probes,
                           int rounds) {
  for (int round = 0; round < rounds; ++round) {
    for (Candidate& c : candidates) {
      const double indep = TimeLookups(probes, false, c.lookup);
      const double dep = TimeLookups(probes, true, c.lookup);
      c.independent_ns = round == 0 ? indep : std::min(c.independent_ns, indep);
      c.dependent_ns = round == 0 ? dep : std::min(c.dependent_ns, dep);
    }
  }
}

// ns per dependent random 8-byte read in an array of `bytes` (a pointer chase through one random
// cycle): the cost of one memory access at that footprint, the unit the issue counts lookups in.
inline double RandomAccessNs(size_t bytes, size_t reads) {
  using Clock = std::chrono::steady_clock;
  const size_t slots = std::max<size_t>(bytes / sizeof(uint64_t), 2);
  std::vector<uint64_t> order(slots);
  std::iota(order.begin(), order.end(), 0);
  std::shuffle(order.begin() + 1, order.end(), std::mt19937_64(7));
  std::vector<uint64_t> next(slots);
  for (size_t i = 0; i < slots; ++i) next[order[i]] = order[(i + 1) % slots];
  uint64_t at = 0;
  auto start = Clock::now();
  for (size_t i = 0; i < reads; ++i) at = next[at];
  double ns = std::chrono::duration<double, std::nano>(Clock::now() - start).count();
  if (at == slots) std::puts("");  // keeps the loop
  return ns / static_cast<double>(reads);
}

// An index over `keys` as a row, with the index itself (for names or descriptions that depend
// on what was built): `build()` is timed, and the row reports the index's SizeBytes() and looks
// keys up with its LowerBound(keys, key). `keys` must outlive the row.
template <typename Build>
auto IndexCandidate(std::string name, const std::vector<uint64_t>& keys, Build build) {
  using Index = std::invoke_result_t<Build>;
  const auto start = std::chrono::steady_clock::now();
  auto index = std::make_shared<const Index>(build());
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  Candidate row{std::move(name), seconds, static_cast<double>(index->SizeBytes()),
                [&keys, index](uint64_t key) { return index->LowerBound(keys, key); }};
  return std::pair{std::move(row), index};
}

// A LearnedIndex built with `options` as a row; when a size budget chose the epsilon, the name
// says which.
inline Candidate LearnedCandidate(std::string name, const std::vector<uint64_t>& keys,
                                  learned::LearnedIndexOptions options) {
  auto [row, index] = IndexCandidate(std::move(name), keys,
                                     [&] { return learned::LearnedIndex::Build(keys, options); });
  if (options.max_bytes_per_key > 0) row.name += " (eps=" + std::to_string(index->epsilon()) + ")";
  return std::move(row);
}

// std::lower_bound over `keys`: the row every learned index is measured against.
inline Candidate LowerBoundCandidate(const std::vector<uint64_t>& keys) {
  return {
      "std::lower_bound", 0.0, 0.0, [&keys](uint64_t key) {
        return static_cast<size_t>(std::lower_bound(keys.begin(), keys.end(), key) - keys.begin());
      }};
}

// One markdown row per candidate: | keys | structure | build s | bytes/key | indep ns | dep ns |
inline void PrintRows(std::string_view keys_name, const std::vector<Candidate>& candidates,
                      size_t key_count) {
  for (const Candidate& c : candidates) {
    std::printf("| %.*s | %s | %.2f | %.3f | %.0f | %.0f |\n", static_cast<int>(keys_name.size()),
                keys_name.data(), c.name.c_str(), c.build_seconds,
                c.bytes / static_cast<double>(key_count), c.independent_ns, c.dependent_ns);
  }
  std::fflush(stdout);
}

}  // namespace augur::bench
