// authorization.h: the request's Authorization header, read into what it presents. Split from
// the server's Authenticate so that the parsing of this client-controlled header is a pure
// function: unit-tested and fuzzed (tests/fuzz/http_fuzz.cpp) without a socket or a database.
#pragma once

#include <string>
#include <string_view>

namespace augur::http {

struct Authorization {
  enum class Scheme {
    kNone,         // no header, or an empty one
    kBearer,       // "Bearer <token>": `token`
    kBasic,        // "Basic <base64 of user:password>": `user`, `password`
    kBadBasic,     // "Basic ..." that is not base64 of "user:password"
    kUnsupported,  // any other scheme
  };
  Scheme scheme = Scheme::kNone;
  std::string_view token;  // points into the header
  std::string user;
  std::string password;
};

Authorization ParseAuthorization(std::string_view header);

}  // namespace augur::http
