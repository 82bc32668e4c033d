// pg_datetime_format.cpp: see pg_datetime_format.h. The keyword table, its matching order
// (first match wins, longer keywords first) and the FM / TH modifiers are formatting.c's.
#include "engine/pg/pg_datetime_format.h"

#include <fmt/format.h>

#include <array>
#include <cctype>
#include <optional>
#include <vector>

namespace augur::engine {
namespace {

enum class Field {
  kYearComma,  // Y,YYY
  kYear4,
  kYear3,
  kYear2,
  kYear1,
  kMonthName,
  kMonthAbbr,
  kMonth,
  kDayName,
  kDayAbbr,
  kDayOfYear,
  kDay,
  kDayOfWeek,
  kHour24,
  kHour12,
  kMinute,
  kSecond,
  kMillis,
  kMicros,
  kFraction,  // FF1..FF6
  kSecondsOfDay,
  kMeridiem,      // AM, PM
  kMeridiemDots,  // A.M., P.M.
  kEra,           // AD, BC
  kEraDots,       // A.D., B.C.
  kQuarter,
  kWeekOfYear,
  kWeekOfMonth,
  kCentury,
  kJulian,
  kFx,  // fixed-format mode: nothing printed
  kZoneName,
  kZoneHours,
  kZoneMinutes,
  kZoneOffset,
  kUnsupported,  // ISO week dates, Roman numeral months
};

enum class Case { kUpper, kCapital, kLower };

struct Keyword {
  std::string_view name;
  Field field;
  Case letter_case = Case::kUpper;
  int digits = 0;  // FFn
};

// formatting.c's DCH_keywords, in its order.
constexpr Keyword kKeywords[] = {
    {"A.D.", Field::kEraDots},
    {"A.M.", Field::kMeridiemDots},
    {"AD", Field::kEra},
    {"AM", Field::kMeridiem},
    {"B.C.", Field::kEraDots},
    {"BC", Field::kEra},
    {"CC", Field::kCentury},
    {"DAY", Field::kDayName},
    {"DDD", Field::kDayOfYear},
    {"DD", Field::kDay},
    {"DY", Field::kDayAbbr},
    {"Day", Field::kDayName, Case::kCapital},
    {"Dy", Field::kDayAbbr, Case::kCapital},
    {"D", Field::kDayOfWeek},
    {"FF1", Field::kFraction, Case::kUpper, 1},
    {"FF2", Field::kFraction, Case::kUpper, 2},
    {"FF3", Field::kFraction, Case::kUpper, 3},
    {"FF4", Field::kFraction, Case::kUpper, 4},
    {"FF5", Field::kFraction, Case::kUpper, 5},
    {"FF6", Field::kFraction, Case::kUpper, 6},
    {"FX", Field::kFx},
    {"HH24", Field::kHour24},
    {"HH12", Field::kHour12},
    {"HH", Field::kHour12},
    {"IDDD", Field::kUnsupported},
    {"ID", Field::kUnsupported},
    {"IW", Field::kUnsupported},
    {"IYYY", Field::kUnsupported},
    {"IYY", Field::kUnsupported},
    {"IY", Field::kUnsupported},
    {"I", Field::kUnsupported},
    {"J", Field::kJulian},
    {"MI", Field::kMinute},
    {"MM", Field::kMonth},
    {"MONTH", Field::kMonthName},
    {"MON", Field::kMonthAbbr},
    {"MS", Field::kMillis},
    {"Month", Field::kMonthName, Case::kCapital},
    {"Mon", Field::kMonthAbbr, Case::kCapital},
    {"OF", Field::kZoneOffset},
    {"P.M.", Field::kMeridiemDots},
    {"PM", Field::kMeridiem},
    {"Q", Field::kQuarter},
    {"RM", Field::kUnsupported},
    {"SSSSS", Field::kSecondsOfDay},
    {"SSSS", Field::kSecondsOfDay},
    {"SS", Field::kSecond},
    {"TZH", Field::kZoneHours},
    {"TZM", Field::kZoneMinutes},
    {"TZ", Field::kZoneName},
    {"US", Field::kMicros},
    {"WW", Field::kWeekOfYear},
    {"W", Field::kWeekOfMonth},
    {"Y,YYY", Field::kYearComma},
    {"YYYY", Field::kYear4},
    {"YYY", Field::kYear3},
    {"YY", Field::kYear2},
    {"Y", Field::kYear1},
    {"a.d.", Field::kEraDots, Case::kLower},
    {"a.m.", Field::kMeridiemDots, Case::kLower},
    {"ad", Field::kEra, Case::kLower},
    {"am", Field::kMeridiem, Case::kLower},
    {"b.c.", Field::kEraDots, Case::kLower},
    {"bc", Field::kEra, Case::kLower},
    {"cc", Field::kCentury},
    {"day", Field::kDayName, Case::kLower},
    {"ddd", Field::kDayOfYear},
    {"dd", Field::kDay},
    {"dy", Field::kDayAbbr, Case::kLower},
    {"d", Field::kDayOfWeek},
    {"ff1", Field::kFraction, Case::kUpper, 1},
    {"ff2", Field::kFraction, Case::kUpper, 2},
    {"ff3", Field::kFraction, Case::kUpper, 3},
    {"ff4", Field::kFraction, Case::kUpper, 4},
    {"ff5", Field::kFraction, Case::kUpper, 5},
    {"ff6", Field::kFraction, Case::kUpper, 6},
    {"fx", Field::kFx},
    {"hh24", Field::kHour24},
    {"hh12", Field::kHour12},
    {"hh", Field::kHour12},
    {"iddd", Field::kUnsupported},
    {"id", Field::kUnsupported},
    {"iw", Field::kUnsupported},
    {"iyyy", Field::kUnsupported},
    {"iyy", Field::kUnsupported},
    {"iy", Field::kUnsupported},
    {"i", Field::kUnsupported},
    {"j", Field::kJulian},
    {"mi", Field::kMinute},
    {"mm", Field::kMonth},
    {"month", Field::kMonthName, Case::kLower},
    {"mon", Field::kMonthAbbr, Case::kLower},
    {"ms", Field::kMillis},
    {"of", Field::kZoneOffset},
    {"p.m.", Field::kMeridiemDots, Case::kLower},
    {"pm", Field::kMeridiem, Case::kLower},
    {"q", Field::kQuarter},
    {"rm", Field::kUnsupported},
    {"sssss", Field::kSecondsOfDay},
    {"ssss", Field::kSecondsOfDay},
    {"ss", Field::kSecond},
    {"tzh", Field::kZoneHours},
    {"tzm", Field::kZoneMinutes},
    {"tz", Field::kZoneName, Case::kLower},
    {"us", Field::kMicros},
    {"ww", Field::kWeekOfYear},
    {"w", Field::kWeekOfMonth},
    {"y,yyy", Field::kYearComma},
    {"yyyy", Field::kYear4},
    {"yyy", Field::kYear3},
    {"yy", Field::kYear2},
    {"y", Field::kYear1},
};

constexpr std::array<std::string_view, 12> kMonths = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};
constexpr std::array<std::string_view, 7> kDays = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                                   "Thursday", "Friday", "Saturday"};

// One piece of a template: a keyword with its modifiers, or literal text.
struct Node {
  const Keyword* keyword = nullptr;
  bool fill_mode = false;   // FM: no padding
  bool translated = false;  // TM: names without their trailing blanks
  Case ordinal = Case::kLower;
  bool has_ordinal = false;  // TH / th
  std::string literal;
};

bool StartsWith(std::string_view text, size_t at, std::string_view prefix) {
  return text.substr(at, prefix.size()) == prefix;
}

std::vector<Node> ParseTemplate(std::string_view format) {
  std::vector<Node> nodes;
  auto literal = [&](char c) {
    if (nodes.empty() || nodes.back().keyword) nodes.emplace_back();
    nodes.back().literal.push_back(c);
  };
  size_t at = 0;
  while (at < format.size()) {
    Node node;
    size_t start = at;
    // Prefixes: FM (fill mode), TM (translation: augur's names are English, as PostgreSQL's in
    // the C locale, and unpadded).
    for (bool more = true; more;) {
      more = false;
      if (StartsWith(format, at, "FM") || StartsWith(format, at, "fm")) {
        node.fill_mode = true;
        at += 2;
        more = true;
      } else if (StartsWith(format, at, "TM") || StartsWith(format, at, "tm")) {
        node.translated = true;
        at += 2;
        more = true;
      }
    }
    for (const Keyword& k : kKeywords) {
      if (StartsWith(format, at, k.name)) {
        node.keyword = &k;
        at += k.name.size();
        break;
      }
    }
    if (node.keyword) {
      if (StartsWith(format, at, "TH") || StartsWith(format, at, "th")) {
        node.has_ordinal = true;
        node.ordinal = format[at] == 'T' ? Case::kUpper : Case::kLower;
        at += 2;
      } else if (StartsWith(format, at, "SP") || StartsWith(format, at, "sp")) {
        at += 2;  // spell mode: PostgreSQL does not implement it either
      }
      nodes.push_back(std::move(node));
      continue;
    }
    at = start;  // a prefix without a keyword is text
    char c = format[at];
    if (c == '"') {
      for (++at; at < format.size() && format[at] != '"'; ++at) {
        if (format[at] == '\\' && at + 1 < format.size()) ++at;
        literal(format[at]);
      }
      ++at;  // the closing quote
    } else if (c == '\\' && at + 1 < format.size() && format[at + 1] == '"') {
      literal('"');
      at += 2;
    } else {
      literal(c);
      ++at;
    }
  }
  return nodes;
}

Error Unsupported(const Keyword& k, std::string_view function) {
  return Error(std::string(sqlstate::kFeatureNotSupported),
               fmt::format("augur does not support the pattern \"{}\" in {}", k.name, function));
}

std::string Cased(std::string_view name, Case c) {
  std::string out(name);
  for (size_t i = 0; i < out.size(); ++i) {
    auto ch = static_cast<unsigned char>(out[i]);
    if (c == Case::kUpper || (c == Case::kCapital && i == 0)) {
      out[i] = static_cast<char>(std::toupper(ch));
    } else {
      out[i] = static_cast<char>(std::tolower(ch));
    }
  }
  return out;
}

std::string OrdinalSuffix(int64_t n, Case c) {
  int64_t last2 = n % 100, last = n % 10;
  std::string_view s = (last2 >= 11 && last2 <= 13) ? "th"
                       : last == 1                  ? "st"
                       : last == 2                  ? "nd"
                       : last == 3                  ? "rd"
                                                    : "th";
  return Cased(s, c == Case::kUpper ? Case::kUpper : Case::kLower);
}

std::string Number(int64_t n, int width, const Node& node) {
  std::string out = node.fill_mode ? std::to_string(n) : fmt::format("{:0{}d}", n, width);
  if (node.has_ordinal) out += OrdinalSuffix(n, node.ordinal);
  return out;
}

std::string Name(std::string_view name, const Node& node, size_t pad) {
  std::string out = Cased(name, node.keyword->letter_case);
  if (!node.fill_mode && !node.translated && out.size() < pad) out.append(pad - out.size(), ' ');
  return out;
}

}  // namespace

Result<std::string> PgToChar(const PgDateTimeParts& t, std::string_view format, bool with_zone) {
  std::string out;
  int hour12 = t.hour % 12 == 0 ? 12 : t.hour % 12;
  bool pm = t.hour >= 12;
  for (const Node& node : ParseTemplate(format)) {
    if (!node.keyword) {
      out += node.literal;
      continue;
    }
    const Keyword& k = *node.keyword;
    switch (k.field) {
      case Field::kYearComma:
        out += fmt::format("{},{:03d}", t.year / 1000, t.year % 1000);
        break;
      case Field::kYear4:
        out += Number(t.year, 4, node);
        break;
      case Field::kYear3:
        out += Number(t.year % 1000, 3, node);
        break;
      case Field::kYear2:
        out += Number(t.year % 100, 2, node);
        break;
      case Field::kYear1:
        out += Number(t.year % 10, 1, node);
        break;
      case Field::kMonthName:
        out += Name(kMonths[t.month - 1], node, 9);
        break;
      case Field::kMonthAbbr:
        out += Name(kMonths[t.month - 1].substr(0, 3), node, 0);
        break;
      case Field::kMonth:
        out += Number(t.month, 2, node);
        break;
      case Field::kDayName:
        out += Name(kDays[t.day_of_week], node, 9);
        break;
      case Field::kDayAbbr:
        out += Name(kDays[t.day_of_week].substr(0, 3), node, 0);
        break;
      case Field::kDayOfYear:
        out += Number(t.day_of_year, 3, node);
        break;
      case Field::kDay:
        out += Number(t.day, 2, node);
        break;
      case Field::kDayOfWeek:
        out += Number(t.day_of_week + 1, 1, node);
        break;
      case Field::kHour24:
        out += Number(t.hour, 2, node);
        break;
      case Field::kHour12:
        out += Number(hour12, 2, node);
        break;
      case Field::kMinute:
        out += Number(t.minute, 2, node);
        break;
      case Field::kSecond:
        out += Number(t.second, 2, node);
        break;
      case Field::kMillis:
        out += Number(t.micros / 1000, 3, node);
        break;
      case Field::kMicros:
        out += Number(t.micros, 6, node);
        break;
      case Field::kFraction: {
        int divisor = 1;
        for (int i = k.digits; i < 6; ++i) divisor *= 10;
        out += Number(t.micros / divisor, k.digits, node);
        break;
      }
      case Field::kSecondsOfDay:
        out += Number(t.hour * 3600 + t.minute * 60 + t.second, 1, node);
        break;
      case Field::kMeridiem:
        out += Cased(pm ? "PM" : "AM", k.letter_case);
        break;
      case Field::kMeridiemDots:
        out += Cased(pm ? "P.M." : "A.M.", k.letter_case);
        break;
      case Field::kEra:
        out += Cased("AD", k.letter_case);  // augur's values here are AD (year > 0)
        break;
      case Field::kEraDots:
        out += Cased("A.D.", k.letter_case);
        break;
      case Field::kQuarter:
        out += Number((t.month - 1) / 3 + 1, 1, node);
        break;
      case Field::kWeekOfYear:
        out += Number((t.day_of_year - 1) / 7 + 1, 2, node);
        break;
      case Field::kWeekOfMonth:
        out += Number((t.day - 1) / 7 + 1, 1, node);
        break;
      case Field::kCentury:
        out += Number((t.year + 99) / 100, 2, node);
        break;
      case Field::kJulian:
        out += Number(t.julian_day, 1, node);
        break;
      case Field::kFx:
        break;
      case Field::kZoneName:
      case Field::kZoneHours:
      case Field::kZoneMinutes:
      case Field::kZoneOffset:
        if (with_zone) return Unsupported(k, "to_char of timestamp with time zone");
        // A timestamp without time zone: PostgreSQL prints an empty zone at offset 0.
        if (k.field == Field::kZoneHours || k.field == Field::kZoneOffset) out += "+00";
        if (k.field == Field::kZoneMinutes) out += "00";
        break;
      case Field::kUnsupported:
        return Unsupported(k, "to_char");
    }
  }
  return out;
}

namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAlnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

Error InvalidValue(std::string_view shown, const Keyword& k, bool integer) {
  Error error("22007", fmt::format("invalid value \"{}\" for \"{}\"", shown, k.name));
  if (integer) error.detail = "Value must be an integer.";
  return error;
}

// Matches one of `names` (or their first three letters) at `at`, case-insensitively; the index.
std::optional<size_t> MatchName(std::string_view text, size_t& at, const std::string_view* names,
                                size_t count) {
  for (bool full : {true, false}) {
    for (size_t i = 0; i < count; ++i) {
      std::string_view name = full ? names[i] : names[i].substr(0, 3);
      if (text.size() - at < name.size()) continue;
      bool same = true;
      for (size_t j = 0; j < name.size() && same; ++j) {
        same = std::tolower(static_cast<unsigned char>(text[at + j])) ==
               std::tolower(static_cast<unsigned char>(name[j]));
      }
      if (same) {
        at += name.size();
        return i;
      }
    }
  }
  return std::nullopt;
}

bool IsLeap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int64_t year, int month) {
  static constexpr int kDaysIn[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeap(year) ? 29 : kDaysIn[month - 1];
}

}  // namespace

Result<PgParsedDateTime> PgParseDateTime(std::string_view text, std::string_view format) {
  PgParsedDateTime out;
  std::vector<Node> nodes = ParseTemplate(format);
  size_t at = 0;
  bool have_year = false, have_hour12 = false, have_meridiem = false, pm = false;
  int hour12 = 0;
  for (size_t n = 0; n < nodes.size() && at < text.size(); ++n) {
    const Node& node = nodes[n];
    if (!node.keyword) {
      for (char c : node.literal) {
        if (at >= text.size()) break;
        if (IsSpace(c)) {
          while (at < text.size() && IsSpace(text[at])) ++at;
        } else if (!IsAlnum(text[at]) || c == text[at]) {
          ++at;  // any separator stands for any other, as PostgreSQL reads outside FX mode
        }
      }
      continue;
    }
    const Keyword& k = *node.keyword;
    while (at < text.size() && IsSpace(text[at])) ++at;
    if (at >= text.size()) break;
    // A number: as many digits as follow, or the field's width when the next template piece is
    // another field (YYYYMMDD) or the field is a fraction of a second.
    auto number = [&](int width) -> Result<std::pair<int64_t, int>> {
      bool bounded = (n + 1 < nodes.size() && nodes[n + 1].keyword) || k.field == Field::kMillis ||
                     k.field == Field::kMicros || k.field == Field::kFraction;
      size_t start = at;
      while (at < text.size() && IsDigit(text[at]) && (!bounded || int(at - start) < width) &&
             at - start < 9) {
        ++at;
      }
      if (at == start) return InvalidValue(text.substr(start, width), k, true);
      return std::pair<int64_t, int>{std::stoll(std::string(text.substr(start, at - start))),
                                     static_cast<int>(at - start)};
    };
    auto scaled = [](const std::pair<int64_t, int>& v, int digits) {
      int64_t value = v.first;
      for (int i = v.second; i < digits; ++i) value *= 10;
      return static_cast<int>(value);
    };
    switch (k.field) {
      case Field::kYear4: {
        auto v = number(4);
        if (!v) return std::move(v).error();
        out.year = v->first;
        have_year = true;
        break;
      }
      case Field::kYear2: {
        auto v = number(2);
        if (!v) return std::move(v).error();
        out.year = v->first;
        // PostgreSQL's adjust_partial_year_to_2020.
        if (v->second <= 2) out.year += out.year < 70 ? 2000 : 1900;
        have_year = true;
        break;
      }
      case Field::kMonth: {
        auto v = number(2);
        if (!v) return std::move(v).error();
        out.month = static_cast<int>(v->first);
        break;
      }
      case Field::kMonthName:
      case Field::kMonthAbbr: {
        size_t start = at;
        auto month = MatchName(text, at, kMonths.data(), kMonths.size());
        if (!month) {
          size_t end = start;
          while (end < text.size() && IsAlnum(text[end])) ++end;
          return InvalidValue(text.substr(start, std::max<size_t>(end - start, 1)), k, false);
        }
        out.month = static_cast<int>(*month) + 1;
        break;
      }
      case Field::kDayName:
      case Field::kDayAbbr: {
        size_t start = at;
        if (!MatchName(text, at, kDays.data(), kDays.size())) {
          size_t end = start;
          while (end < text.size() && IsAlnum(text[end])) ++end;
          return InvalidValue(text.substr(start, std::max<size_t>(end - start, 1)), k, false);
        }
        break;  // the weekday is not used, as in PostgreSQL when the date is complete
      }
      case Field::kDay: {
        auto v = number(2);
        if (!v) return std::move(v).error();
        out.day = static_cast<int>(v->first);
        break;
      }
      case Field::kHour24: {
        auto v = number(2);
        if (!v) return std::move(v).error();
        out.hour = static_cast<int>(v->first);
        break;
      }
      case Field::kHour12: {
        auto v = number(2);
        if (!v) return std::move(v).error();
        if (v->first < 1 || v->first > 12) {
          return Error("22007",
                       fmt::format("hour \"{}\" is invalid for the 12-hour clock", v->first))
              .WithHint("Use the 24-hour clock, or give an hour between 1 and 12.");
        }
        hour12 = static_cast<int>(v->first);
        have_hour12 = true;
        break;
      }
      case Field::kMinute: {
        auto v = number(2);
        if (!v) return std::move(v).error();
        out.minute = static_cast<int>(v->first);
        break;
      }
      case Field::kSecond: {
        auto v = number(2);
        if (!v) return std::move(v).error();
        out.second = static_cast<int>(v->first);
        break;
      }
      case Field::kMillis: {
        auto v = number(3);
        if (!v) return std::move(v).error();
        out.micros = scaled(*v, 3) * 1000;  // '.12' is 120 ms, as in PostgreSQL
        break;
      }
      case Field::kMicros: {
        auto v = number(6);
        if (!v) return std::move(v).error();
        out.micros = scaled(*v, 6);
        break;
      }
      case Field::kFraction: {
        auto v = number(k.digits);
        if (!v) return std::move(v).error();
        out.micros = scaled(*v, 6);
        break;
      }
      case Field::kMeridiem:
      case Field::kMeridiemDots: {
        std::string_view am = k.field == Field::kMeridiem ? "AM" : "A.M.";
        std::string_view pmn = k.field == Field::kMeridiem ? "PM" : "P.M.";
        std::string_view names[] = {am, pmn};
        size_t start = at;
        auto which = MatchName(text, at, names, 2);
        if (!which || at - start != am.size()) {
          at = start;
          return InvalidValue(text.substr(start, am.size()), k, false);
        }
        have_meridiem = true;
        pm = *which == 1;
        break;
      }
      case Field::kFx:
        break;
      default:
        return Unsupported(k, "to_date and to_timestamp");
    }
  }
  for (size_t n = 0; n < nodes.size(); ++n) {
    // Fields after the end of the text keep their defaults, but none is silently unsupported.
    if (nodes[n].keyword && nodes[n].keyword->field == Field::kUnsupported) {
      return Unsupported(*nodes[n].keyword, "to_date and to_timestamp");
    }
  }
  if (have_hour12) out.hour = hour12 % 12 + (have_meridiem && pm ? 12 : 0);
  if (!have_year) {
    return Error(std::string(sqlstate::kFeatureNotSupported),
                 "augur's to_date and to_timestamp need a year in the template (PostgreSQL "
                 "assumes 1 BC)");
  }
  bool time_ok = out.hour >= 0 && out.hour <= 24 && out.minute <= 59 && out.second <= 60 &&
                 (out.hour < 24 || (out.minute == 0 && out.second == 0 && out.micros == 0));
  if (out.year < 1 || out.month < 1 || out.month > 12 || out.day < 1 ||
      out.day > DaysInMonth(out.year, out.month) || !time_ok) {
    return Error("22008", fmt::format("date/time field value out of range: \"{}\"", text));
  }
  return out;
}

}  // namespace augur::engine
