// listen.cpp
#include "common/listen.h"

#include <fmt/format.h>

namespace augur {

Result<uint16_t> Listen(boost::asio::ip::tcp::acceptor& acceptor, const std::string& address,
                        uint16_t port, std::string_view what, std::string_view port_flag) {
  using boost::asio::ip::tcp;
  boost::system::error_code ec;
  auto ip = boost::asio::ip::make_address(address, ec);
  if (ec) {
    return Error(sqlstate::kConfigFileError,
                 fmt::format("invalid listen address \"{}\": {}", address, ec.message()));
  }
  tcp::endpoint endpoint(ip, port);
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(boost::asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Error(sqlstate::kIoError, fmt::format("could not listen for {} on {}:{}: {}", what,
                                                 address, port, ec.message()))
        .WithHint(fmt::format("choose another port with {}", port_flag));
  }
  return acceptor.local_endpoint().port();
}

}  // namespace augur
