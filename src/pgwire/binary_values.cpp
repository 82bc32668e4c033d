// binary_values.cpp: decoders follow PostgreSQL's *_recv functions (int4recv, float8recv,
// numeric_recv, date_recv, timestamp_recv, uuid_recv, array_recv's element framing). Dates and
// timestamps count from 2000-01-01, PostgreSQL's epoch.
#include "pgwire/binary_values.h"

#include <fmt/format.h>

#include <bit>
#include <chrono>
#include <cstring>

namespace augur::pgwire {
namespace {

constexpr int64_t kPostgresEpochDays = 10957;  // 2000-01-01 - 1970-01-01

Error Invalid(uint32_t oid, std::string_view why) {
  return Error("22P03", fmt::format("incorrect binary data format for type oid {}: {}", oid, why));
}

template <typename T>
T LoadBigEndian(const char* p) {
  using U = std::make_unsigned_t<T>;
  U v = 0;
  for (size_t i = 0; i < sizeof(T); ++i)
    v = static_cast<U>((v << 8) | static_cast<unsigned char>(p[i]));
  return static_cast<T>(v);
}

std::string DateText(int64_t days_since_2000) {
  using namespace std::chrono;
  year_month_day ymd{sys_days{days{days_since_2000 + kPostgresEpochDays}}};
  int year = static_cast<int>(ymd.year());
  if (year <= 0) {
    return fmt::format("{:04d}-{:02d}-{:02d} BC", 1 - year, static_cast<unsigned>(ymd.month()),
                       static_cast<unsigned>(ymd.day()));
  }
  return fmt::format("{:04d}-{:02d}-{:02d}", year, static_cast<unsigned>(ymd.month()),
                     static_cast<unsigned>(ymd.day()));
}

std::string TimestampText(int64_t micros_since_2000) {
  int64_t days = micros_since_2000 / 86400000000LL;
  int64_t rem = micros_since_2000 % 86400000000LL;
  if (rem < 0) {
    rem += 86400000000LL;
    --days;
  }
  int64_t secs = rem / 1000000, frac = rem % 1000000;
  std::string date = DateText(days);
  std::string bc;
  if (date.ends_with(" BC")) {
    date.resize(date.size() - 3);
    bc = " BC";
  }
  return fmt::format("{} {:02d}:{:02d}:{:02d}.{:06d}{}", date, secs / 3600, (secs / 60) % 60,
                     secs % 60, frac, bc);
}

// numeric_recv: ndigits, weight, sign, dscale, then base-10000 digits.
Result<std::string> NumericText(std::string_view b) {
  if (b.size() < 8) return Invalid(1700, "short header");
  int16_t ndigits = LoadBigEndian<int16_t>(b.data());
  int16_t weight = LoadBigEndian<int16_t>(b.data() + 2);
  uint16_t sign = LoadBigEndian<uint16_t>(b.data() + 4);
  int16_t dscale = LoadBigEndian<int16_t>(b.data() + 6);
  if (ndigits < 0 || dscale < 0 || b.size() != 8 + 2 * static_cast<size_t>(ndigits)) {
    return Invalid(1700, "bad digit count");
  }
  if (sign == 0xC000) return std::string("NaN");
  if (sign == 0xD000) return std::string("Infinity");
  if (sign == 0xF000) return std::string("-Infinity");
  if (sign != 0 && sign != 0x4000) return Invalid(1700, "bad sign");
  auto digit = [&](int i) -> int {
    return i >= 0 && i < ndigits ? LoadBigEndian<int16_t>(b.data() + 8 + 2 * i) : 0;
  };
  std::string out = sign == 0x4000 ? "-" : "";
  // Integer part: groups 0..weight.
  if (weight < 0) {
    out += "0";
  } else {
    for (int i = 0; i <= weight; ++i) {
      int d = digit(i);
      if (d < 0 || d > 9999) return Invalid(1700, "digit out of range");
      out += i == 0 ? fmt::format("{}", d) : fmt::format("{:04d}", d);
    }
  }
  if (dscale > 0) {
    std::string frac;
    for (int i = weight + 1; static_cast<int>(frac.size()) < dscale; ++i) {
      frac += fmt::format("{:04d}", digit(i));
    }
    out += "." + frac.substr(0, static_cast<size_t>(dscale));
  }
  return out;
}

}  // namespace

Result<std::string> BinaryParameterToText(uint32_t oid, std::string_view b) {
  auto need = [&](size_t n) { return b.size() == n; };
  switch (oid) {
    case 16:
      if (!need(1)) return Invalid(oid, "expected 1 byte");
      return std::string(b[0] ? "t" : "f");
    case 21:
      if (!need(2)) return Invalid(oid, "expected 2 bytes");
      return std::to_string(LoadBigEndian<int16_t>(b.data()));
    case 23:
      if (!need(4)) return Invalid(oid, "expected 4 bytes");
      return std::to_string(LoadBigEndian<int32_t>(b.data()));
    case 20:
      if (!need(8)) return Invalid(oid, "expected 8 bytes");
      return std::to_string(LoadBigEndian<int64_t>(b.data()));
    case 700:
      if (!need(4)) return Invalid(oid, "expected 4 bytes");
      return fmt::format("{}", std::bit_cast<float>(LoadBigEndian<uint32_t>(b.data())));
    case 701:
      if (!need(8)) return Invalid(oid, "expected 8 bytes");
      return fmt::format("{}", std::bit_cast<double>(LoadBigEndian<uint64_t>(b.data())));
    case 18:
    case 19:
    case 25:
    case 114:
    case 1042:
    case 1043:
      return std::string(b);
    case 3802:  // jsonb: a version byte, then the text
      if (b.empty() || b[0] != 1) return Invalid(oid, "unsupported jsonb version");
      return std::string(b.substr(1));
    case 17: {
      std::string out = "\\x";
      for (unsigned char c : b) out += fmt::format("{:02x}", c);
      return out;
    }
    case 2950: {
      if (!need(16)) return Invalid(oid, "expected 16 bytes");
      std::string hex;
      for (unsigned char c : b) hex += fmt::format("{:02x}", c);
      return fmt::format("{}-{}-{}-{}-{}", hex.substr(0, 8), hex.substr(8, 4), hex.substr(12, 4),
                         hex.substr(16, 4), hex.substr(20));
    }
    case 1082:
      if (!need(4)) return Invalid(oid, "expected 4 bytes");
      return DateText(LoadBigEndian<int32_t>(b.data()));
    case 1114:
      if (!need(8)) return Invalid(oid, "expected 8 bytes");
      return TimestampText(LoadBigEndian<int64_t>(b.data()));
    case 1184:
      if (!need(8)) return Invalid(oid, "expected 8 bytes");
      return TimestampText(LoadBigEndian<int64_t>(b.data())) + "+00";
    case 1083: {
      if (!need(8)) return Invalid(oid, "expected 8 bytes");
      int64_t us = LoadBigEndian<int64_t>(b.data());
      int64_t s = us / 1000000;
      return fmt::format("{:02d}:{:02d}:{:02d}.{:06d}", s / 3600, (s / 60) % 60, s % 60,
                         us % 1000000);
    }
    case 1186: {
      if (!need(16)) return Invalid(oid, "expected 16 bytes");
      int64_t us = LoadBigEndian<int64_t>(b.data());
      int32_t days = LoadBigEndian<int32_t>(b.data() + 8);
      int32_t months = LoadBigEndian<int32_t>(b.data() + 12);
      return fmt::format("{} months {} days {} microseconds", months, days, us);
    }
    case 1700:
      return NumericText(b);
    default:
      return Error(sqlstate::kFeatureNotSupported,
                   fmt::format("binary format is not supported for parameters of type oid {}", oid))
          .WithHint("Send this parameter in text format.");
  }
}

}  // namespace augur::pgwire
