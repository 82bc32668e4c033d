// bench_index.cpp: the learned index against std::lower_bound and absl::btree_map on generated
// keys. Prints a markdown table (build time, bytes per key, lookup latency).
//
//   build/bench/learned/bench_index [KEYS] [LOOKUPS]      defaults: 10000000 1000000
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
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "learned/key_encoding.h"
#include "learned/learned_index.h"
#include "learned/updatable_index.h"

namespace {

using augur::learned::EncodeKey;
using augur::learned::LearnedIndex;
using Clock = std::chrono::steady_clock;

std::vector<uint64_t> Generate(const std::string& name, size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<uint64_t> keys;
  keys.reserve(n);
  if (name == "sequential gaps") {
    uint64_t k = 1000;
    for (size_t i = 0; i < n; ++i) {
      k += 1 + (rng() % 100 == 0 ? rng() % 1000 : 0);
      keys.push_back(k);
    }
  } else if (name == "uniform") {
    for (size_t i = 0; i < n; ++i) keys.push_back(rng());
  } else if (name == "lognormal") {
    std::lognormal_distribution<double> d(0, 2);
    for (size_t i = 0; i < n; ++i) keys.push_back(static_cast<uint64_t>(d(rng) * 1e9));
  } else if (name == "normal") {
    std::normal_distribution<double> d(0, 1e15);
    for (size_t i = 0; i < n; ++i) keys.push_back(EncodeKey(static_cast<int64_t>(d(rng))));
  } else if (name == "clustered") {
    std::normal_distribution<double> spread(0, 1e6);
    std::vector<uint64_t> centers;
    for (int c = 0; c < 1000; ++c) centers.push_back(rng() >> 2);
    for (size_t i = 0; i < n; ++i) {
      keys.push_back(centers[rng() % centers.size()] +
                     static_cast<uint64_t>(std::abs(spread(rng))));
    }
  } else {  // bursty timestamps
    int64_t t = 1'700'000'000'000'000;
    for (size_t i = 0; i < n; ++i) {
      t += (rng() % 20 == 0) ? static_cast<int64_t>(rng() % 60'000'000)
                             : static_cast<int64_t>(rng() % 50);
      keys.push_back(EncodeKey(t));
    }
  }
  std::sort(keys.begin(), keys.end());
  return keys;
}

// ns per lookup; `dependent` feeds each answer into the next probe's choice.
double TimeLookups(const std::vector<uint64_t>& probes, bool dependent,
                   const std::function<size_t(uint64_t)>& lookup) {
  size_t sink = 0;
  auto start = Clock::now();
  if (dependent) {
    for (size_t i = 0; i < probes.size(); ++i)
      sink += lookup(probes[(i + (sink & 1)) % probes.size()]);
  } else {
    for (uint64_t p : probes) sink += lookup(p);
  }
  double ns = std::chrono::duration<double, std::nano>(Clock::now() - start).count();
  if (sink == 42) std::puts("");  // keeps the loop
  return ns / static_cast<double>(probes.size());
}

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

}  // namespace

int main(int argc, char** argv) {
  const size_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 10'000'000;
  const size_t lookups = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 1'000'000;
  std::printf("%zu keys, %zu lookups per measurement, one thread\n\n", n, lookups);
  std::printf("| keys | structure | build s | bytes/key | indep ns | dep ns |\n");
  std::printf("|---|---|---:|---:|---:|---:|\n");
  for (const char* dist :
       {"sequential gaps", "uniform", "lognormal", "normal", "clustered", "bursty timestamps"}) {
    auto keys = Generate(dist, n, 1);
    std::mt19937_64 rng(2);
    std::vector<uint64_t> probes(lookups);
    for (auto& p : probes) p = keys[rng() % keys.size()];

    auto row = [&](const char* name, double build, double bytes,
                   const std::function<size_t(uint64_t)>& lookup) {
      std::printf("| %s | %s | %.2f | %.3f | %.0f | %.0f |\n", dist, name, build,
                  bytes / static_cast<double>(n), TimeLookups(probes, false, lookup),
                  TimeLookups(probes, true, lookup));
      std::fflush(stdout);
    };
    row("std::lower_bound", 0.0, 0.0, [&](uint64_t k) {
      return static_cast<size_t>(std::lower_bound(keys.begin(), keys.end(), k) - keys.begin());
    });
    for (uint64_t eps : {16, 64}) {
      auto start = Clock::now();
      auto index = LearnedIndex::Build(keys, {.epsilon = eps});
      double build = Seconds(start);
      std::string name = "learned eps=" + std::to_string(eps);
      row(name.c_str(), build, static_cast<double>(index.SizeBytes()),
          [&](uint64_t k) { return index.LowerBound(keys, k); });
    }
    {
      auto start = Clock::now();
      absl::btree_map<uint64_t, uint64_t> btree;
      for (size_t i = 0; i < keys.size(); ++i) btree.emplace_hint(btree.end(), keys[i], i);
      double build = Seconds(start);
      // Total footprint of keys + payloads in the tree; the others index an external array.
      row("absl::btree_map", build, static_cast<double>(btree.size() * 16),
          [&](uint64_t k) { return btree.lower_bound(k)->second; });
    }
  }
  // Updates: half the keys bulk-loaded, the other half inserted, then merged.
  {
    auto keys = Generate("uniform", n, 3);
    std::mt19937_64 rng(4);
    std::shuffle(keys.begin(), keys.end(), rng);
    std::vector<augur::learned::UpdatableIndex::Entry> bulk;
    for (size_t i = 0; i < n / 2; ++i) bulk.emplace_back(keys[i], i);
    auto start = Clock::now();
    augur::learned::UpdatableIndex index(std::move(bulk), {.epsilon = 16});
    double load = Seconds(start);
    start = Clock::now();
    for (size_t i = n / 2; i < n; ++i) index.Insert(keys[i], i);
    double insert = Seconds(start);
    start = Clock::now();
    index.Merge();
    double merge = Seconds(start);
    std::vector<uint64_t> probes(lookups / 10);
    for (auto& p : probes) p = keys[rng() % keys.size()];
    double find_ns = TimeLookups(probes, false, [&](uint64_t k) { return index.Find(k).size(); });
    std::printf(
        "\nUpdatable index, uniform keys: bulk load %zu in %.2f s; %zu inserts at %.2f M/s; "
        "merge %.2f s; lookup after merge %.0f ns\n",
        n / 2, load, n - n / 2, static_cast<double>(n - n / 2) / insert / 1e6, merge, find_ns);
  }
  return 0;
}
