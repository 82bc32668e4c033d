// cross_site.h: keeps web pages of other sites away from the API (docs/SECURITY.md).
//
// A browser on the server's machine reaches 127.0.0.1, where logins are trusted by default: any
// page it shows could POST SQL there (a <form>, or fetch() without a preflight), or read the
// answers by DNS rebinding (its own name, resolved to 127.0.0.1). So, before any route runs:
//  - the Host header must name this server: its listen address, the address the connection came
//    to, localhost, a loopback address, or a name in http.allowed_hosts (421 otherwise);
//  - an Origin header must be this server's own origin or one in http.allowed_origins (403
//    otherwise); those get CORS headers, and their preflights (OPTIONS) an answer;
//  - POST (any method but GET, HEAD and OPTIONS) must send Content-Type: application/json
//    (415 otherwise), which a page cannot send elsewhere without a preflight.
#pragma once

#include <boost/beast/http/fields.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/routes.h"

namespace augur::http {

struct CrossSitePolicy {
  std::string listen_address;
  std::vector<std::string> allowed_hosts;    // lower case; "*" accepts any
  std::vector<std::string> allowed_origins;  // scheme://host[:port], lower case
  bool https = false;                        // the server's own scheme
};

// The answer for a request that must not reach the routes (400, 421, 403, 415), or for an allowed
// CORS preflight (204); nullopt to go on. `local_address` is the address the connection came to.
std::optional<Response> CheckCrossSite(const CrossSitePolicy& policy, const Request& request,
                                       std::string_view local_address);

// Adds Access-Control-Allow-Origin and Vary: Origin to a response when the request came from an
// origin of http.allowed_origins (same-origin requests need neither).
void AddCorsHeaders(const CrossSitePolicy& policy, const Request& request,
                    boost::beast::http::fields& response);

}  // namespace augur::http
