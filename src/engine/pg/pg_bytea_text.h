// pg_bytea_text.h: PostgreSQL's bytea text input (byteain) and hex output (byteaout).
//
// DuckDB reads a string as a BLOB in its own escape format ("\xAB" is one byte per "\xHH"), so
// PostgreSQL's hex form '\xdeadbeef' would silently become different bytes. augur replaces
// DuckDB's VARCHAR -> BLOB cast with this parser (pg_values.cpp) and uses it for bind
// parameters, so every path that turns text into bytea follows PostgreSQL's rules. Hand-written:
// the rules are PostgreSQL's (src/backend/utils/adt/varlena.c, encode.c) and are a few lines.
#pragma once

#include <string>
#include <string_view>

#include "augur/result.h"

namespace augur::engine {

// '\x' followed by hex pairs (whitespace between pairs allowed), or the escape form where '\\'
// is a backslash and '\ooo' an octal byte. Errors carry PostgreSQL's SQLSTATE and message.
Result<std::string> ParseByteaText(std::string_view text);

// '\x' followed by two lower-case hex digits per byte (bytea_output = hex).
std::string ByteaHexText(std::string_view bytes);

// encode(bytes, format) and decode(text, format) for PostgreSQL's 'hex', 'base64' (lines of 76
// characters) and 'escape' formats, the format's name in any case (encode.c). An unknown format
// is 22023 "unrecognized encoding"; malformed text PostgreSQL's 22023 or 22P02 and message.
Result<std::string> PgEncode(std::string_view bytes, std::string_view format);
Result<std::string> PgDecode(std::string_view text, std::string_view format);

}  // namespace augur::engine
