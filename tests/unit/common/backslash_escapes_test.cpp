// backslash_escapes_test.cpp: the five escapes both ways, and every other byte (NUL, quotes,
// backslash, \v, non-ASCII) having none.
#include "common/backslash_escapes.h"

#include <gtest/gtest.h>

namespace augur {
namespace {

TEST(BackslashEscapes, FiveBothWays) {
  const char controls[] = {'\b', '\f', '\n', '\r', '\t'};
  const char letters[] = {'b', 'f', 'n', 'r', 't'};
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(BackslashEscapeLetter(controls[i]), letters[i]);
    EXPECT_EQ(BackslashEscapedChar(letters[i]), controls[i]);
  }
}

TEST(BackslashEscapes, EveryOtherByteHasNone) {
  int with_letter = 0, with_char = 0;
  for (int b = 0; b < 256; ++b) {
    const char c = static_cast<char>(b);
    if (BackslashEscapeLetter(c) != 0) ++with_letter;
    if (BackslashEscapedChar(c) != 0) ++with_char;
  }
  EXPECT_EQ(with_letter, 5);
  EXPECT_EQ(with_char, 5);
  for (char c : {'\0', '\v', '\\', '"', '\'', 'u', 'x', 'v', 'N', '0'}) {
    EXPECT_EQ(BackslashEscapeLetter(c), 0) << int(c);
    EXPECT_EQ(BackslashEscapedChar(c), 0) << int(c);
  }
  EXPECT_EQ(BackslashEscapeLetter(static_cast<char>(0xC3)), 0);
  EXPECT_EQ(BackslashEscapedChar(static_cast<char>(0xA9)), 0);
}

}  // namespace
}  // namespace augur
