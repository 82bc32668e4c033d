// backslash_escapes.h: the single-letter backslash escapes that JSON strings, PostgreSQL's
// E'...' string constants and COPY's text format have in common: \b \f \n \r \t. Each of them
// adds its own (JSON \" \/ \uXXXX, COPY \v and octal or hex bytes, E'' octal, hex and Unicode).
#pragma once

namespace augur {

struct BackslashEscape {
  char letter;     // what follows the backslash
  char character;  // what the two stand for
};

inline constexpr BackslashEscape kBackslashEscapes[] = {
    {'b', '\b'}, {'f', '\f'}, {'n', '\n'}, {'r', '\r'}, {'t', '\t'},
};

// The letter that follows the backslash for `c` ('n' for a newline), or 0 when `c` is not one
// of the five.
constexpr char BackslashEscapeLetter(char c) {
  if (c > '\r') return 0;  // all five are below: the common case returns at once
  for (const BackslashEscape& e : kBackslashEscapes) {
    if (e.character == c) return e.letter;
  }
  return 0;
}

// The character that a backslash and `letter` stand for ('\n' for 'n'), or 0 when `letter` is
// not one of the five.
constexpr char BackslashEscapedChar(char letter) {
  for (const BackslashEscape& e : kBackslashEscapes) {
    if (e.letter == letter) return e.character;
  }
  return 0;
}

static_assert(BackslashEscapeLetter('\n') == 'n' && BackslashEscapedChar('t') == '\t');
static_assert(BackslashEscapeLetter('\v') == 0 && BackslashEscapedChar('v') == 0);

}  // namespace augur
