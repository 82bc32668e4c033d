// read_request.h: reads a request's header like beast::http::async_read_header, and also refuses
// a line that ends in a bare LF (error::bad_line_ending). Beast looks for CRLF CRLF before it
// parses anything, so it would wait on such a request until the timeout instead of failing.
#pragma once

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <string_view>
#include <utility>

namespace augur::http {

// Whether the header part of `received` (up to the first empty line) has a LF without a CR.
inline bool HasBareLineFeed(std::string_view received) {
  size_t end = received.find("\r\n\r\n");
  if (end != std::string_view::npos) received = received.substr(0, end + 4);
  for (size_t i = received.find('\n'); i != std::string_view::npos;
       i = received.find('\n', i + 1)) {
    if (i == 0 || received[i - 1] != '\r') return true;
  }
  return false;
}

// (error, bytes read). On a parse error the unparsed bytes stay in `buffer`, for the answer.
template <class Stream>
boost::asio::awaitable<std::pair<boost::system::error_code, size_t>> ReadRequestHeader(
    Stream& stream, boost::beast::flat_buffer& buffer,
    boost::beast::http::request_parser<boost::beast::http::string_body>& parser) {
  namespace beast = boost::beast;
  constexpr size_t kReadSize = 16384;
  size_t total = 0;
  for (;;) {
    if (buffer.size() > 0) {
      std::string_view received(static_cast<const char*>(buffer.data().data()), buffer.size());
      if (HasBareLineFeed(received))
        co_return std::pair{beast::http::error::bad_line_ending, total};
      boost::system::error_code ec;
      size_t used = parser.put(buffer.data(), ec);
      buffer.consume(used);
      if (parser.is_header_done() || (ec && ec != beast::http::error::need_more)) {
        co_return std::pair{ec, total};
      }
    }
    auto [ec, n] = co_await stream.async_read_some(
        buffer.prepare(kReadSize), boost::asio::as_tuple(boost::asio::use_awaitable));
    buffer.commit(n);
    total += n;
    if (ec == boost::asio::error::eof) {
      co_return std::pair{
          boost::system::error_code(buffer.size() == 0 ? beast::http::error::end_of_stream
                                                       : beast::http::error::partial_message),
          total};
    }
    if (ec) co_return std::pair{ec, total};
  }
}

}  // namespace augur::http
