// malformed_request.h: the answer to a request that Beast's parser refused, so that a client
// learns why instead of seeing the connection close.
#pragma once

#include <boost/system/error_code.hpp>
#include <optional>
#include <string_view>

#include "http/routes.h"

namespace augur::http {

// The response (with Connection: close) for `error` from reading a request, whose bytes so far
// are `received`: 431 for a header over the limit, 505 for an HTTP version other than 1.0 and 1.1,
// 400 for other syntax errors. nullopt for errors that are not the client's syntax (the
// connection closed, reset or timed out): then nothing is sent.
std::optional<Response> MalformedRequestResponse(const boost::system::error_code& error,
                                                 std::string_view received);

}  // namespace augur::http
