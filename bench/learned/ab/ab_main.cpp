// ab_main.cpp: ab.sh's driver. The insert workload (5M keys bulk-loaded, 5M inserted with
// background folds) for two revisions of the updatable index, in one process: builds take turns
// (old first, then new first), and the lookups of both are timed round-robin (round_robin.h), so
// the two see the same load on this shared machine and their ratio means something.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "learned/round_robin.h"
#include "learned/workloads.h"

void* Build_old(const std::vector<uint64_t>& keys, double* inserts_per_second);
void* Build_new(const std::vector<uint64_t>& keys, double* inserts_per_second);
size_t Find_old(const void* index, uint64_t key);
size_t Find_new(const void* index, uint64_t key);
double BytesPerKey_old(const void* index);
double BytesPerKey_new(const void* index);

int main(int argc, char** argv) {
  const size_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 10'000'000;
  const int pairs = argc > 2 ? std::atoi(argv[2]) : 2;
  std::printf(
      "| keys | pair | old inserts M/s | new inserts M/s | new/old | old dep ns | new dep ns "
      "| new/old | old B/key | new B/key |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  for (std::string_view dist : {"uniform", "lognormal"}) {
    const auto workload = augur::bench::UpdateWorkload(dist, n, 1'000'000);
    const std::vector<uint64_t>& keys = workload.keys;
    const std::vector<uint64_t>& probes = workload.probes;
    for (int pair = 0; pair < pairs; ++pair) {
      double old_rate = 0, new_rate = 0;
      void* old_index = nullptr;
      void* new_index = nullptr;
      if (pair % 2 == 0) {
        old_index = Build_old(keys, &old_rate);
        new_index = Build_new(keys, &new_rate);
      } else {
        new_index = Build_new(keys, &new_rate);
        old_index = Build_old(keys, &old_rate);
      }
      for (size_t i = 0; i < 10'000; ++i) {  // both must hold every key under its payload
        if (keys[Find_old(old_index, probes[i])] != probes[i] ||
            keys[Find_new(new_index, probes[i])] != probes[i]) {
          std::fprintf(stderr, "MISMATCH on key %llu\n",
                       static_cast<unsigned long long>(probes[i]));
          return 1;
        }
      }
      std::vector<augur::bench::Candidate> c;
      c.push_back({"old", 0, 0, [&](uint64_t k) { return Find_old(old_index, k); }});
      c.push_back({"new", 0, 0, [&](uint64_t k) { return Find_new(new_index, k); }});
      augur::bench::TimeRoundRobin(c, probes, 3);
      std::printf("| %.*s | %d | %.2f | %.2f | %.2f | %.0f | %.0f | %.2f | %.1f | %.1f |\n",
                  static_cast<int>(dist.size()), dist.data(), pair + 1, old_rate / 1e6,
                  new_rate / 1e6, new_rate / old_rate, c[0].dependent_ns, c[1].dependent_ns,
                  c[1].dependent_ns / c[0].dependent_ns, BytesPerKey_old(old_index),
                  BytesPerKey_new(new_index));
      std::fflush(stdout);
      // The indexes are left to the process's end: freeing 400 MB each takes a while.
    }
  }
}
