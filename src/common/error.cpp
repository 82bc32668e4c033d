// error.cpp: formatting helpers of augur::Error (include/augur/error.h).
#include "augur/error.h"

#include <fmt/format.h>

namespace augur {

std::string_view Error::SeverityName() const {
  switch (severity) {
    case Severity::kFatal:
      return "FATAL";
    case Severity::kPanic:
      return "PANIC";
    case Severity::kError:
      break;
  }
  return "ERROR";
}

std::string Error::ToString() const {
  std::string out = fmt::format("{}:  {}: {}", SeverityName(), sqlstate, message);
  if (!detail.empty()) out += fmt::format("\nDETAIL:  {}", detail);
  if (!hint.empty()) out += fmt::format("\nHINT:  {}", hint);
  return out;
}

}  // namespace augur
