// pg_format.cpp: see pg_format.h.
#include "engine/pg/pg_format.h"

#include <fmt/format.h>

#include <climits>

namespace augur::engine {
namespace {

constexpr std::string_view kFormatCode = "22023";  // invalid_parameter_value

Error Bad(std::string message) { return Error(std::string(kFormatCode), std::move(message)); }

Error Unterminated() {
  return Bad("unterminated format() type specifier").WithHint("For a single \"%\" use \"%%\".");
}

// Reads digits at `at`; false if there are none.
Result<bool> Digits(std::string_view f, size_t& at, int& value) {
  if (at >= f.size() || f[at] < '0' || f[at] > '9') return false;
  int64_t n = 0;
  while (at < f.size() && f[at] >= '0' && f[at] <= '9') {
    n = n * 10 + (f[at] - '0');
    if (n > INT_MAX) return Error("22003", "number is out of range");
    ++at;
  }
  value = static_cast<int>(n);
  return true;
}

size_t CharCount(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

}  // namespace

std::string PgQuoteLiteral(std::string_view text) {
  bool backslash = text.find('\\') != std::string_view::npos;
  std::string out = backslash ? "E'" : "'";
  for (char c : text) {
    if (c == '\'' || c == '\\') out.push_back(c);
    out.push_back(c);
  }
  return out + "'";
}

Result<std::string> PgFormat(std::string_view f, const std::vector<FormatArg>& args,
                             const std::function<std::string(const std::string&)>& quote_ident) {
  std::string out;
  size_t next_arg = 0;  // 0-based index of the next argument taken in order
  for (size_t i = 0; i < f.size(); ++i) {
    if (f[i] != '%') {
      out.push_back(f[i]);
      continue;
    }
    if (++i >= f.size()) return Unterminated();
    if (f[i] == '%') {
      out.push_back('%');
      continue;
    }
    int argpos = -1, widthpos = -1, width = 0, n = 0;
    bool minus = false;
    auto digits = Digits(f, i, n);
    if (!digits) return std::move(digits).error();
    bool have_width = false;
    if (*digits) {
      if (i >= f.size()) return Unterminated();
      if (f[i] != '$') {
        width = n;
        have_width = true;
      } else {
        if (n == 0) return Bad("format specifies argument 0, but arguments are numbered from 1");
        argpos = n;
        ++i;
      }
    }
    if (!have_width) {
      while (i < f.size() && f[i] == '-') {
        minus = true;
        ++i;
      }
      if (i < f.size() && f[i] == '*') {
        ++i;
        auto wd = Digits(f, i, n);
        if (!wd) return std::move(wd).error();
        if (*wd) {
          if (i >= f.size()) return Unterminated();
          if (f[i] != '$') return Bad("width argument position must be ended by \"$\"");
          if (n == 0) return Bad("format specifies argument 0, but arguments are numbered from 1");
          widthpos = n;
          ++i;
        } else {
          widthpos = 0;  // the next argument in order
        }
      } else {
        auto wd = Digits(f, i, n);
        if (!wd) return std::move(wd).error();
        if (*wd) width = n;
      }
    }
    if (i >= f.size()) return Unterminated();
    char type = f[i];
    if (type != 's' && type != 'I' && type != 'L') {
      std::string spec(1, type);
      if (static_cast<unsigned char>(type) >= 0x80) {  // a whole UTF-8 character
        size_t j = i + 1;
        while (j < f.size() && (static_cast<unsigned char>(f[j]) & 0xC0) == 0x80) ++j;
        spec = std::string(f.substr(i, j - i));
      }
      return Bad(fmt::format("unrecognized format() type specifier \"{}\"", spec))
          .WithHint("For a single \"%\" use \"%%\".");
    }
    if (widthpos >= 0) {
      size_t at = widthpos == 0 ? next_arg++ : static_cast<size_t>(widthpos - 1);
      if (at >= args.size()) return Bad("too few arguments for format()");
      width = 0;
      if (args[at]) {
        try {
          long long w = std::stoll(*args[at]);
          if (w < INT_MIN || w > INT_MAX) return Error("22003", "integer out of range");
          width = static_cast<int>(w);
        } catch (const std::exception&) {
          return Error("22P02",
                       fmt::format("invalid input syntax for type integer: \"{}\"", *args[at]));
        }
      }
      if (width < 0) {
        minus = true;
        width = width == INT_MIN ? INT_MAX : -width;  // PostgreSQL's INT_MIN rule: no overflow
      }
      if (widthpos > 0) next_arg = static_cast<size_t>(widthpos);
    }
    size_t at = argpos > 0 ? static_cast<size_t>(argpos - 1) : next_arg;
    if (at >= args.size()) return Bad("too few arguments for format()");
    next_arg = at + 1;
    const FormatArg& arg = args[at];
    std::string value;
    if (type == 's') {
      if (arg) value = *arg;
    } else if (type == 'I') {
      if (!arg) return Error("22004", "null values cannot be formatted as an SQL identifier");
      value = quote_ident(*arg);
    } else {
      value = arg ? PgQuoteLiteral(*arg) : "NULL";
    }
    if (static_cast<size_t>(width) > kMaxFormatWidth) {
      return Error(
          std::string(sqlstate::kProgramLimitExceeded),
          fmt::format("format() width {} exceeds augur's limit of {}", width, kMaxFormatWidth));
    }
    size_t chars = CharCount(value);
    size_t pad = static_cast<size_t>(width) > chars ? static_cast<size_t>(width) - chars : 0;
    if (!minus) out.append(pad, ' ');
    out += value;
    if (minus) out.append(pad, ' ');
  }
  return out;
}

}  // namespace augur::engine
