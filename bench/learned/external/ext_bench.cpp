// ext_bench.cpp: published learned indexes (PGM-index, RadixSpline, ALEX) against augur's learned
// core, on the keys, probes and timing code of bench/learned/bench_index.cpp. Built by build.sh
// in this folder, against their sources fetched outside the repository.
//
//   ext_bench [KEYS] [LOOKUPS] [updates]   defaults: 10000000 1000000
//
// Static mode (default): one markdown table, rows as bench_index prints them.
// Update mode: bench_index's insert workload, augur's UpdatableIndex against ALEX.
// Every structure's answers are checked against std::lower_bound (static) or the inserted
// payloads (updates) before timing; a mismatch exits with MISMATCH.
// Environment: DISTS=a,b limits the distributions; AUGUR_CONFIGS="16:0,16:1" picks augur's
// (epsilon : background folds) configurations in update mode.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "alex_runner.h"
#include "learned/lab/key_distributions.h"
#include "learned/lab/rmi_index.h"
#include "learned/learned_index.h"
#include "learned/round_robin.h"
#include "learned/updatable_index.h"
#include "learned/workloads.h"
#include "pgm/pgm_index.hpp"
#include "rs/builder.h"

namespace {

using augur::learned::LearnedIndex;
using Clock = std::chrono::steady_clock;
constexpr int kRounds = 3;         // as bench_index
constexpr size_t kChecks = 10000;  // probes verified before timing

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

[[noreturn]] void Fail(const std::string& what) {
  std::fprintf(stderr, "MISMATCH: %s\n", what.c_str());
  std::exit(1);
}

template <uint64_t Eps>
std::shared_ptr<pgm::PGMIndex<uint64_t, Eps>> BuildPgm(const std::vector<uint64_t>& keys) {
  return std::make_shared<pgm::PGMIndex<uint64_t, Eps>>(keys.begin(), keys.end());
}

void StaticMode(size_t n, size_t lookups) {
  std::printf("| keys | structure | build s | bytes/key | indep ns | dep ns |\n");
  std::printf("|---|---|---:|---:|---:|---:|\n");
  for (std::string_view dist : augur::learned::lab::kKeyDistributions) {
    if (dist == "duplicates") continue;  // as bench_index
    if (const char* only = std::getenv("DISTS");
        only && std::string_view(only).find(dist) == std::string_view::npos)
      continue;
    const auto workload = augur::bench::StaticWorkload(dist, n, lookups);
    const std::vector<uint64_t>& keys = workload.keys;
    const std::vector<uint64_t>& probes = workload.probes;

    std::vector<augur::bench::Candidate> rows = {augur::bench::LowerBoundCandidate(keys)};
    auto add = [&](std::string name, double build, double bytes,
                   std::function<size_t(uint64_t)> lookup) {
      rows.push_back({std::move(name), build, bytes, std::move(lookup)});
    };
    auto add_learned = [&](std::string name, augur::learned::LearnedIndexOptions options) {
      rows.push_back(augur::bench::LearnedCandidate(std::move(name), keys, options));
    };
    add_learned("augur pla eps=16", {.epsilon = 16});
    add_learned("augur pla 1%", {.epsilon = 16, .max_bytes_per_key = 0.08});
    rows.push_back(augur::bench::IndexCandidate("augur rmi leaves=65536", keys, [&] {
                     return augur::learned::lab::RmiIndex::Build(keys, {.leaves = 65536});
                   }).first);
    auto add_pgm = [&]<uint64_t Eps>() {
      auto start = Clock::now();
      auto index = BuildPgm<Eps>(keys);
      double build = Seconds(start);
      add("PGM eps=" + std::to_string(Eps), build, static_cast<double>(index->size_in_bytes()),
          [&keys, index](uint64_t k) {
            auto a = index->search(k);
            return static_cast<size_t>(
                std::lower_bound(keys.begin() + a.lo, keys.begin() + a.hi, k) - keys.begin());
          });
    };
    add_pgm.operator()<16>();
    add_pgm.operator()<32>();
    add_pgm.operator()<64>();
    for (auto [bits, err] : {std::pair<size_t, size_t>{18, 32}, {16, 128}}) {
      auto start = Clock::now();
      rs::Builder<uint64_t> builder(keys.front(), keys.back(), bits, err);
      for (uint64_t k : keys) builder.AddKey(k);
      auto index = std::make_shared<rs::RadixSpline<uint64_t>>(builder.Finalize());
      double build = Seconds(start);
      add("RadixSpline r=" + std::to_string(bits) + " e=" + std::to_string(err), build,
          static_cast<double>(index->GetSize()), [&keys, index](uint64_t k) {
            auto b = index->GetSearchBound(k);
            return static_cast<size_t>(
                std::lower_bound(keys.begin() + b.begin, keys.begin() + b.end, k) - keys.begin());
          });
    }
    // Correctness: every structure agrees with std::lower_bound on the first kChecks probes
    // and on a few absent keys near the probes (k+1, k-1).
    for (size_t i = 0; i < std::min(kChecks, probes.size()); ++i) {
      for (uint64_t k : {probes[i], probes[i] + 1, probes[i] - 1}) {
        if (k < keys.front() || k > keys.back()) continue;
        const size_t want = rows[0].lookup(k);
        for (auto& c : rows) {
          if (c.lookup(k) != want) {
            Fail(std::string(dist) + " " + c.name + " key " + std::to_string(k) + " gave " +
                 std::to_string(c.lookup(k)) + " want " + std::to_string(want));
          }
        }
      }
    }
    augur::bench::TimeRoundRobin(rows, probes, kRounds);
    augur::bench::PrintRows(dist, rows, n);
  }
}

void UpdateMode(size_t n, size_t lookups) {
  std::printf(
      "Updates: %zu keys bulk-loaded, %zu inserted one at a time; inserts/s include every merge; "
      "lookups probe keys from both halves, timed round-robin (%d rounds, best kept)\n\n",
      n / 2, n - n / 2, kRounds);
  std::printf("| keys | structure | inserts M/s | indep ns | dep ns | bytes/key total |\n");
  std::printf("|---|---|---:|---:|---:|---:|\n");
  const char* only = std::getenv("DISTS");
  for (std::string_view dist : {"uniform", "lognormal", "clustered"}) {
    if (only && std::string_view(only).find(dist) == std::string_view::npos) continue;
    const auto workload = augur::bench::UpdateWorkload(dist, n, lookups);
    const std::vector<uint64_t>& keys = workload.keys;
    const std::vector<uint64_t>& probes = workload.probes;
    const std::vector<size_t>& expected = workload.probe_positions;  // the probes' payloads
    const size_t half = keys.size() / 2;

    std::vector<augur::bench::Candidate> rows;
    std::vector<double> rates;
    std::vector<std::unique_ptr<augur::learned::UpdatableIndex>> augur_indexes;
    std::vector<std::pair<uint64_t, bool>> configs = {{16, false}, {16, true}};
    if (const char* c = std::getenv("AUGUR_CONFIGS")) {  // e.g. "16:0,4:1"
      configs.clear();
      for (std::string_view v(c); !v.empty();) {
        size_t comma = v.find(',');
        std::string item(v.substr(0, comma));
        configs.emplace_back(std::stoull(item), item.back() == '1');
        v = comma == std::string_view::npos ? "" : v.substr(comma + 1);
      }
    }
    for (auto [eps, background] : configs) {
      std::vector<augur::learned::UpdatableIndex::Entry> bulk;
      for (size_t i = 0; i < half; ++i) bulk.emplace_back(keys[i], i);
      auto index = std::make_unique<augur::learned::UpdatableIndex>(
          std::move(bulk), augur::learned::LearnedIndexOptions{.epsilon = eps},
          augur::learned::UpdatableIndexOptions{.background = background});
      auto start = Clock::now();
      for (size_t i = half; i < keys.size(); ++i) {
        index->Insert(keys[i], i);
        if (!background && (i & 1023) == 0 && index->NeedsMerge()) index->Merge();
      }
      rates.push_back(static_cast<double>(keys.size() - half) / Seconds(start) / 1e6);
      index->WaitForBackgroundWork();
      auto* raw = index.get();
      rows.push_back(
          {std::string(background ? "augur updatable, background folds" : "augur updatable") +
               " eps=" + std::to_string(eps),
           0, static_cast<double>(raw->GetStats().total_bytes),
           [raw](uint64_t k) { return static_cast<size_t>(*raw->FindAny(k)); }});
      augur_indexes.push_back(std::move(index));
    }
    std::unique_ptr<AlexHandle, void (*)(AlexHandle*)> alex(AlexCreate(), AlexDestroy);
    {
      std::vector<std::pair<uint64_t, uint64_t>> bulk;
      bulk.reserve(half);
      for (size_t i = 0; i < half; ++i) bulk.emplace_back(keys[i], i);
      std::sort(bulk.begin(), bulk.end());
      AlexBulkLoad(alex.get(), bulk.data(), bulk.size());
      auto start = Clock::now();
      for (size_t i = half; i < keys.size(); ++i) AlexInsert(alex.get(), keys[i], i);
      rates.push_back(static_cast<double>(keys.size() - half) / Seconds(start) / 1e6);
      auto* raw = alex.get();
      std::fprintf(stderr, "%.*s ALEX: model %zu bytes, data %zu bytes, %zu keys\n",
                   static_cast<int>(dist.size()), dist.data(), AlexModelBytes(raw),
                   AlexDataBytes(raw), AlexSize(raw));
      rows.push_back({"ALEX", 0, static_cast<double>(AlexModelBytes(raw) + AlexDataBytes(raw)),
                      [raw](uint64_t k) { return static_cast<size_t>(AlexGet(raw, k)); }});
    }
    if (AlexSize(alex.get()) != keys.size()) Fail(std::string(dist) + " ALEX size");
    for (auto& index : augur_indexes) {
      if (index->size() != keys.size()) Fail(std::string(dist) + " augur size");
    }
    for (size_t j = 0; j < std::min(kChecks, probes.size()); ++j) {
      for (auto& c : rows) {
        if (c.lookup(probes[j]) != expected[j]) {
          Fail(std::string(dist) + " " + c.name + " key " + std::to_string(probes[j]));
        }
      }
    }
    augur::bench::TimeRoundRobin(rows, probes, kRounds);
    for (size_t r = 0; r < rows.size(); ++r) {
      std::printf("| %.*s | %s | %.2f | %.0f | %.0f | %.1f |\n", static_cast<int>(dist.size()),
                  dist.data(), rows[r].name.c_str(), rates[r], rows[r].independent_ns,
                  rows[r].dependent_ns, rows[r].bytes / static_cast<double>(keys.size()));
    }
    std::fflush(stdout);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const size_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 10'000'000;
  const size_t lookups = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 1'000'000;
  const bool updates = argc > 3 && std::string_view(argv[3]) == "updates";
  std::printf("%zu keys, %zu lookups per measurement, one thread\n\n", n, lookups);
  if (updates) {
    UpdateMode(n, lookups);
  } else {
    StaticMode(n, lookups);
  }
  return 0;
}
