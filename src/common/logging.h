// logging.h: sets up spdlog's process-wide default logger, in human or JSON-lines format.
//
// Code logs through spdlog::info/warn/error directly. Messages are an event name followed by
// key=value fields ("connection closed peer=127.0.0.1:51234 pid=1001 statements=3"), which reads
// well in a terminal and splits easily in the JSON "msg" field.
#pragma once

#include <string_view>

#include "augur/result.h"

namespace augur {

enum class LogFormat { kText, kJson };

// Replaces the default logger with one writing to stderr. `level` is one of trace, debug, info,
// warn, error, off.
Status InitLogging(LogFormat format, std::string_view level);

}  // namespace augur
