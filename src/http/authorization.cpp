// authorization.cpp: the schemes of RFC 6750 (Bearer) and RFC 7617 (Basic). Scheme names are
// case-insensitive (RFC 9110 11.1; auth_header.h).
#include "http/authorization.h"

#include "common/scram.h"
#include "http/auth_header.h"

namespace augur::http {

Authorization ParseAuthorization(std::string_view header) {
  Authorization out;
  if (auto token = Credentials(header, "Bearer")) {
    out.scheme = Authorization::Scheme::kBearer;
    out.token = *token;
  } else if (auto basic = Credentials(header, "Basic")) {
    auto decoded = scram::Unbase64(*basic);
    size_t colon = decoded ? decoded->find(':') : std::string::npos;
    if (colon == std::string::npos) {
      out.scheme = Authorization::Scheme::kBadBasic;
    } else {
      out.scheme = Authorization::Scheme::kBasic;
      out.user = decoded->substr(0, colon);
      out.password = decoded->substr(colon + 1);
    }
  } else if (!header.empty()) {
    out.scheme = Authorization::Scheme::kUnsupported;
  }
  return out;
}

}  // namespace augur::http
