// auth_header.h: reading an Authorization header. Schemes are case-insensitive (RFC 9110 11.1):
// "Bearer", "bearer" and "BEARER" are one scheme.
#pragma once

#include <cctype>
#include <optional>
#include <string_view>

namespace augur::http {

// The credentials after `scheme` in `header` ("bearer abc" -> "abc" for scheme "Bearer"; "" when
// there are none), or nullopt when the header uses another scheme.
inline std::optional<std::string_view> Credentials(std::string_view header,
                                                   std::string_view scheme) {
  if (header.size() < scheme.size() ||
      (header.size() > scheme.size() && header[scheme.size()] != ' ')) {
    return std::nullopt;
  }
  for (size_t i = 0; i < scheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(header[i])) !=
        std::tolower(static_cast<unsigned char>(scheme[i]))) {
      return std::nullopt;
    }
  }
  std::string_view rest = header.substr(scheme.size());
  while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
  return rest;
}

}  // namespace augur::http
