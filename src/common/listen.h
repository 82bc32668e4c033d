// listen.h: opening a listening socket, for the PostgreSQL and the HTTP servers alike.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include "augur/result.h"

namespace augur {

// Opens `acceptor` on address:port (reusing the address, as servers do) and returns the port
// actually bound (port 0 picks a free one). Errors name the address, the `what` ("PostgreSQL",
// "HTTP") and the reason, with `port_flag` as the hint for a port in use.
Result<uint16_t> Listen(boost::asio::ip::tcp::acceptor& acceptor, const std::string& address,
                        uint16_t port, std::string_view what, std::string_view port_flag);

}  // namespace augur
