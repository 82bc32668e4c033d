// key_encoding_test.cpp: the key maps keep order, checked on random and edge-case values.
#include "learned/key_encoding.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace augur::learned {
namespace {

std::string RandomString(std::mt19937_64& rng, const std::string& prefix) {
  static const std::string kAlphabet = std::string("abc\x01\xff") + '\0';
  std::string s = rng() % 4 ? prefix.substr(0, rng() % (prefix.size() + 1)) : "";
  for (size_t n = rng() % 14; n > 0; --n) s += kAlphabet[rng() % kAlphabet.size()];
  return s;
}

TEST(KeyEncoding, SignedAndDoubleKeepOrder) {
  std::vector<int64_t> ints = {std::numeric_limits<int64_t>::min(), -5, -1, 0, 1, 7,
                               std::numeric_limits<int64_t>::max()};
  for (size_t i = 1; i < ints.size(); ++i) EXPECT_LT(EncodeKey(ints[i - 1]), EncodeKey(ints[i]));
  std::vector<double> doubles = {
      -std::numeric_limits<double>::infinity(), -1e300, -2.5, -0.0, 0.0, 1e-300, 3.0,
      std::numeric_limits<double>::infinity()};
  for (size_t i = 1; i < doubles.size(); ++i) {
    EXPECT_LE(EncodeKey(doubles[i - 1]), EncodeKey(doubles[i])) << doubles[i];
  }
}

// a < b implies code(a) <= code(b), for any strings and any fixed prefix, including strings
// that do not start with the prefix and strings that are prefixes of it.
TEST(KeyEncoding, StringsAfterAPrefixKeepOrder) {
  std::mt19937_64 rng(42);
  for (const std::string& prefix :
       std::vector<std::string>{"", "c", "customer-", std::string("ab\0c", 4)}) {
    std::vector<std::string> keys;
    for (int i = 0; i < 3000; ++i) keys.push_back(RandomString(rng, prefix));
    std::sort(keys.begin(), keys.end());
    for (size_t i = 1; i < keys.size(); ++i) {
      ASSERT_LE(EncodeKeyAfterPrefix(keys[i - 1], prefix), EncodeKeyAfterPrefix(keys[i], prefix))
          << "prefix '" << prefix << "': '" << keys[i - 1] << "' < '" << keys[i] << "'";
    }
  }
}

TEST(KeyEncoding, PrefixSkippingSeparatesSharedPrefixes) {
  EXPECT_EQ(EncodeKey(std::string_view("customer-00001")),
            EncodeKey(std::string_view("customer-00002")));
  EXPECT_LT(EncodeKeyAfterPrefix("customer-00001", "customer-"),
            EncodeKeyAfterPrefix("customer-00002", "customer-"));
  EXPECT_EQ(EncodeKeyAfterPrefix("aardvark", "customer-"), 0u);
  EXPECT_EQ(EncodeKeyAfterPrefix("zebra", "customer-"), UINT64_MAX);
}

}  // namespace
}  // namespace augur::learned
