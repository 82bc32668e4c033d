// pg_datetime_format.h: PostgreSQL's date/time format templates (to_char, to_date,
// to_timestamp; formatting.c), on broken-down values so that the rules are testable without
// DuckDB. The common patterns follow PostgreSQL 15; a pattern augur does not implement (ISO week
// dates, Roman numerals, time zone fields of timestamptz, spelled-out forms when parsing) fails
// with 0A000 naming it, rather than being copied as text as an unknown letter would be.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "augur/result.h"

namespace augur::engine {

// A date and time of day, as to_char reads it.
struct PgDateTimeParts {
  int64_t year = 1;  // > 0
  int month = 1;     // 1..12
  int day = 1;       // 1..31
  int hour = 0, minute = 0, second = 0;
  int micros = 0;       // 0..999999
  int day_of_week = 0;  // 0 = Sunday
  int day_of_year = 1;  // 1..366
  int64_t julian_day = 0;
};

// to_char(value, format). `with_zone` is true for timestamptz, whose zone fields (TZ, OF, ...)
// augur does not print (0A000); for timestamp they are PostgreSQL's empty zone.
Result<std::string> PgToChar(const PgDateTimeParts& value, std::string_view format, bool with_zone);

// What to_date and to_timestamp read from text: fields not in the template keep these defaults.
struct PgParsedDateTime {
  int64_t year = 0;
  int month = 1, day = 1, hour = 0, minute = 0, second = 0, micros = 0;
};

// Reads `text` by `format` as PostgreSQL does outside FX mode (separators match any separator,
// spaces are skipped, a field ends at a non-digit). Errors carry PostgreSQL's SQLSTATE and
// message: 22007 for a value that does not fit its field, 22008 for a date or time out of range.
Result<PgParsedDateTime> PgParseDateTime(std::string_view text, std::string_view format);

}  // namespace augur::engine
