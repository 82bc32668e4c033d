// authorization.cpp: the schemes of RFC 6750 (Bearer) and RFC 7617 (Basic), as the server
// accepts them: the scheme name is matched case-sensitively, followed by one space.
#include "http/authorization.h"

#include "common/scram.h"

namespace augur::http {

Authorization ParseAuthorization(std::string_view header) {
  Authorization out;
  if (header.starts_with("Bearer ")) {
    out.scheme = Authorization::Scheme::kBearer;
    out.token = header.substr(7);
  } else if (header.starts_with("Basic ")) {
    auto decoded = scram::Unbase64(header.substr(6));
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
