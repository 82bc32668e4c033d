// frontend_messages.h: decoders for the extended query protocol's frontend messages (Parse, Bind,
// Describe, Execute, Close). Each takes a message body and returns a struct or an 08P01 error;
// string_views point into the body, which must outlive the result.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "augur/result.h"

namespace augur::pgwire {

struct ParseMessage {
  std::string_view statement;  // "" is the unnamed statement
  std::string_view query;
  std::vector<uint32_t> parameter_types;  // 0 = unspecified
};

struct BindMessage {
  std::string_view portal;
  std::string_view statement;
  std::vector<int16_t> parameter_formats;                   // empty: all text; one: applies to all
  std::vector<std::optional<std::string_view>> parameters;  // nullopt = NULL
  std::vector<int16_t> result_formats;                      // empty: all text; one: applies to all

  // The format code for parameter (or result column) i under PostgreSQL's 0/1/n rule.
  static int16_t FormatFor(const std::vector<int16_t>& formats, size_t i) {
    if (formats.empty()) return 0;
    return formats.size() == 1 ? formats[0] : (i < formats.size() ? formats[i] : 0);
  }
};

struct DescribeMessage {
  char kind;  // 'S' statement, 'P' portal
  std::string_view name;
};

struct ExecuteMessage {
  std::string_view portal;
  int32_t max_rows;  // 0 = no limit
};

struct CloseMessage {
  char kind;  // 'S' statement, 'P' portal
  std::string_view name;
};

Result<ParseMessage> DecodeParse(std::string_view body);
Result<BindMessage> DecodeBind(std::string_view body);
Result<DescribeMessage> DecodeDescribe(std::string_view body);
Result<ExecuteMessage> DecodeExecute(std::string_view body);
Result<CloseMessage> DecodeClose(std::string_view body);

}  // namespace augur::pgwire
