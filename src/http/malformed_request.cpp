// malformed_request.cpp
#include "http/malformed_request.h"

#include <fmt/format.h>

#include <boost/beast/http/error.hpp>
#include <boost/beast/http/status.hpp>
#include <cctype>

namespace augur::http {
namespace {

namespace beast_http = boost::beast::http;
using beast_http::error;
using beast_http::status;

// The HTTP-version at the end of a well-formed request line ("HTTP/3.0"), else "".
std::string_view RequestLineVersion(std::string_view received) {
  std::string_view line = received.substr(0, received.find('\n'));
  if (line.ends_with('\r')) line.remove_suffix(1);
  size_t space = line.rfind(' ');
  if (space == std::string_view::npos || line.find(' ') == space) return "";
  std::string_view version = line.substr(space + 1);
  bool shaped = version.size() == 8 && version.starts_with("HTTP/") &&
                std::isdigit(static_cast<unsigned char>(version[5])) && version[6] == '.' &&
                std::isdigit(static_cast<unsigned char>(version[7]));
  return shaped ? version : "";
}

bool IsSyntaxError(const boost::system::error_code& ec) {
  if (ec.category() != beast_http::make_error_code(error::bad_method).category()) return false;
  switch (static_cast<error>(ec.value())) {
    case error::header_limit:
    case error::bad_line_ending:
    case error::bad_method:
    case error::bad_target:
    case error::bad_version:
    case error::bad_field:
    case error::bad_value:
    case error::bad_content_length:
    case error::bad_transfer_encoding:
    case error::bad_chunk:
    case error::bad_chunk_extension:
    case error::bad_obs_fold:
    case error::multiple_content_length:
      return true;
    default:
      return false;
  }
}

}  // namespace

std::optional<Response> MalformedRequestResponse(const boost::system::error_code& ec,
                                                 std::string_view received) {
  if (!IsSyntaxError(ec)) return std::nullopt;
  status code = status::bad_request;
  Error problem(sqlstate::kProtocolViolation, "malformed HTTP request: " + ec.message());
  if (ec == error::header_limit) {
    code = status::request_header_fields_too_large;
    problem = Error(sqlstate::kProgramLimitExceeded, "request header is too large");
  } else if (ec == error::bad_line_ending) {
    problem.message = "malformed HTTP request: lines must end with CRLF";
  } else if (ec == error::bad_version) {
    std::string_view version = RequestLineVersion(received);
    if (!version.empty() && version != "HTTP/1.0" && version != "HTTP/1.1") {
      code = status::http_version_not_supported;
      problem = Error(sqlstate::kFeatureNotSupported,
                      fmt::format("{} is not supported: use HTTP/1.1", version));
    }
  } else if (ec == error::multiple_content_length) {
    problem.message = "malformed HTTP request: conflicting Content-Length headers";
  }
  Response response = ErrorResponse(problem, 11, /*keep_alive=*/false);
  response.result(code);
  return response;
}

}  // namespace augur::http
