// bench_index.cpp: the learned index against std::lower_bound and absl::btree_map on generated
// keys. Prints a markdown table (build time, bytes per key, lookup latency).
//
//   build/bench/learned/bench_index [KEYS] [LOOKUPS] [updates]   defaults: 10000000 1000000
//
// With a third argument `updates` only the insert workload runs.
//
// "indep" lookups are issued back to back (the CPU overlaps their memory accesses: throughput);
// "dep" lookups each depend on the previous answer (true latency, the figure that matters for
// index probes inside a query). A benchmark, not a test: numbers vary with the machine and load.
#include <absl/container/btree_map.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "learned/lab/chosen_index.h"
#include "learned/lab/key_distributions.h"
#include "learned/lab/rmi_index.h"
#include "learned/learned_index.h"
#include "learned/updatable_index.h"
#include "round_robin.h"
#include "workloads.h"

namespace {

using augur::learned::LearnedIndex;
using Clock = std::chrono::steady_clock;

using augur::bench::BestOf;

// Rounds of round-robin timing per distribution; each structure keeps its fastest.
constexpr int kRounds = 3;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

}  // namespace

int main(int argc, char** argv) {
  const size_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 10'000'000;
  const size_t lookups = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 1'000'000;
  std::printf("%zu keys, %zu lookups per measurement, one thread\n", n, lookups);
  // The unit of the "memory accesses per lookup": divide a row's dep ns by this.
  std::printf("one dependent random read in an array of the keys' size (%zu MB): %.0f ns\n\n",
              n * sizeof(uint64_t) >> 20,
              augur::bench::RandomAccessNs(n * sizeof(uint64_t), lookups));
  std::printf("| keys | structure | build s | bytes/key | indep ns | dep ns |\n");
  std::printf("|---|---|---:|---:|---:|---:|\n");
  const bool updates_only = argc > 3 && std::string_view(argv[3]) == "updates";
  std::string choices;  // what ChosenIndex picked per distribution, and why
  for (std::string_view dist : augur::learned::lab::kKeyDistributions) {
    if (updates_only) break;
    if (dist == "duplicates") continue;  // a correctness case, not one of the workloads
    const auto workload = augur::bench::StaticWorkload(dist, n, lookups);
    const std::vector<uint64_t>& keys = workload.keys;

    // Every structure is built first, then all are timed in turns (round_robin.h).
    std::vector<augur::bench::Candidate> rows = {augur::bench::LowerBoundCandidate(keys)};
    auto add_learned = [&](std::string name, augur::learned::LearnedIndexOptions options) {
      rows.push_back(augur::bench::LearnedCandidate(std::move(name), keys, options));
    };
    add_learned("learned eps=16", {.epsilon = 16});
    add_learned("learned eps=64", {.epsilon = 64});
    add_learned("learned 1% budget", {.epsilon = 16, .max_bytes_per_key = 0.08});
    add_learned("learned eps=16 optimal", {.epsilon = 16, .optimal_segmentation = true});
    for (size_t leaves : {size_t{65536}, n / 512}) {
      rows.push_back(
          augur::bench::IndexCandidate("rmi leaves=" + std::to_string(leaves), keys, [&] {
            return augur::learned::lab::RmiIndex::Build(keys, {.leaves = leaves});
          }).first);
    }
    {
      auto [row, index] = augur::bench::IndexCandidate(
          "chosen", keys, [&] { return augur::learned::lab::ChosenIndex::Build(keys); });
      rows.push_back(std::move(row));
      choices += std::string(dist) + ": " + index->Describe() + "\n";
    }
    {
      auto start = Clock::now();
      auto btree = std::make_shared<absl::btree_map<uint64_t, uint64_t>>();
      for (size_t i = 0; i < keys.size(); ++i) btree->emplace_hint(btree->end(), keys[i], i);
      double build = Seconds(start);
      // Total footprint of keys + payloads in the tree; the others index an external array.
      rows.push_back({"absl::btree_map", build, static_cast<double>(btree->size() * 16),
                      [btree](uint64_t k) { return btree->lower_bound(k)->second; }});
    }
    augur::bench::TimeRoundRobin(rows, workload.probes, kRounds);
    augur::bench::PrintRows(dist, rows, n);
  }
  if (!updates_only) {
    std::printf("\nChosenIndex (build time includes building and timing every candidate):\n\n%s",
                choices.c_str());
  }
  // Updates: half the keys bulk-loaded, the other half inserted one at a time in random order
  // (merging whenever the index asks, inside the timed loop), then point lookups of keys from
  // both halves. absl::btree_map takes the same inserts for comparison.
  std::printf(
      "\nUpdatable index: %zu keys bulk-loaded, %zu inserted; inserts/s include every merge; "
      "lookups probe keys from both halves\n\n",
      n / 2, n - n / 2);
  std::printf(
      "| keys | structure | inserts M/s | merges | indep ns | dep ns | bytes/key total |\n");
  std::printf("|---|---|---:|---:|---:|---:|---:|\n");
  for (std::string_view dist : {"uniform", "lognormal", "clustered"}) {
    const auto workload = augur::bench::UpdateWorkload(dist, n, lookups);
    const std::vector<uint64_t>& keys = workload.keys;
    const std::vector<uint64_t>& probes = workload.probes;
    const size_t half = keys.size() / 2;
    for (bool background : {false, true}) {
      std::vector<augur::learned::UpdatableIndex::Entry> bulk;
      for (size_t i = 0; i < half; ++i) bulk.emplace_back(keys[i], i);
      augur::learned::UpdatableIndex index(std::move(bulk), {.epsilon = 16},
                                           {.background = background});
      size_t merges = 0;
      auto start = Clock::now();
      for (size_t i = half; i < keys.size(); ++i) {
        index.Insert(keys[i], i);
        if (!background && (i & 1023) == 0 && index.NeedsMerge()) {
          index.Merge();
          ++merges;
        }
      }
      const double rate = static_cast<double>(keys.size() - half) / Seconds(start) / 1e6;
      index.WaitForBackgroundWork();
      auto find = [&](uint64_t k) { return static_cast<size_t>(*index.FindAny(k)); };
      std::printf(
          "| %.*s | augur updatable%s | %.2f | %s | %.0f | %.0f | %.1f |\n",
          static_cast<int>(dist.size()), dist.data(), background ? ", background folds" : "", rate,
          background ? "auto" : std::to_string(merges).c_str(),
          BestOf(kRounds, probes, false, find), BestOf(kRounds, probes, true, find),
          static_cast<double>(index.GetStats().total_bytes) / static_cast<double>(index.size()));
      std::fflush(stdout);
    }
    {
      absl::btree_map<uint64_t, uint64_t> btree;
      for (size_t i = 0; i < half; ++i) btree.emplace(keys[i], i);
      auto start = Clock::now();
      for (size_t i = half; i < keys.size(); ++i) btree.emplace(keys[i], i);
      const double rate = static_cast<double>(keys.size() - half) / Seconds(start) / 1e6;
      auto find = [&](uint64_t k) { return btree.find(k)->second; };
      std::printf("| %.*s | absl::btree_map | %.2f | - | %.0f | %.0f | - |\n",
                  static_cast<int>(dist.size()), dist.data(), rate,
                  BestOf(kRounds, probes, false, find), BestOf(kRounds, probes, true, find));
      std::fflush(stdout);
    }
  }
  return 0;
}
