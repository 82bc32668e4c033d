// key_distributions.h: the key distributions the learned index is tested and measured on (the
// issue's list: sequential with random gaps, uniform, lognormal, normal, a clustered "map-like"
// mixture, bursty timestamps) plus heavy duplicates. Used by tests/unit/learned and
// bench/learned so both exercise the same data; the index itself does not use it.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <string_view>
#include <vector>

#include "learned/key_encoding.h"

namespace augur::learned::lab {

inline constexpr std::string_view kKeyDistributions[] = {
    "sequential_gaps", "uniform",           "lognormal", "normal",
    "clustered",       "bursty_timestamps", "duplicates"};

// `n` sorted keys of the named distribution; the same seed gives the same keys.
inline std::vector<uint64_t> GenerateKeys(std::string_view name, size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<uint64_t> keys;
  keys.reserve(n);
  if (name == "sequential_gaps") {  // mostly +1, a jump of up to 1000 every ~100 keys
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
  } else if (name == "normal") {  // signed values around 0, through the int64 encoding
    std::normal_distribution<double> d(0, 1e15);
    for (size_t i = 0; i < n; ++i) keys.push_back(EncodeKey(static_cast<int64_t>(d(rng))));
  } else if (name == "clustered") {  // 1000 dense clusters at random places
    std::normal_distribution<double> spread(0, 1e6);
    std::vector<uint64_t> centers;
    for (int c = 0; c < 1000; ++c) centers.push_back(rng() >> 2);
    for (size_t i = 0; i < n; ++i) {
      keys.push_back(centers[rng() % centers.size()] +
                     static_cast<uint64_t>(std::abs(spread(rng))));
    }
  } else if (name == "bursty_timestamps") {  // microseconds: bursts, then pauses up to a minute
    int64_t t = 1'700'000'000'000'000;
    for (size_t i = 0; i < n; ++i) {
      t += (rng() % 20 == 0) ? static_cast<int64_t>(rng() % 60'000'000)
                             : static_cast<int64_t>(rng() % 50);
      keys.push_back(EncodeKey(t));
    }
  } else if (name == "duplicates") {  // 1000 distinct values
    for (size_t i = 0; i < n; ++i) keys.push_back(rng() % 1000);
  }
  std::sort(keys.begin(), keys.end());
  return keys;
}

}  // namespace augur::learned::lab
