// cross_site.cpp
#include "http/cross_site.h"

#include <fmt/format.h>

#include <algorithm>
#include <boost/asio/ip/address.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/verb.hpp>
#include <cctype>
#include <charconv>

namespace augur::http {
namespace {

namespace beast_http = boost::beast::http;
using beast_http::field;
using beast_http::status;
using beast_http::verb;

constexpr std::string_view kAllowedMethods = "GET, POST";
constexpr std::string_view kAllowedHeaders = "Content-Type, Authorization, Cache-Control";
constexpr std::string_view kPreflightMaxAge = "600";

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// host[:port] of a Host header or an origin; IPv6 literals keep their brackets.
struct Authority {
  std::string host;  // lower case
  std::optional<uint16_t> port;
};

std::optional<Authority> ParseAuthority(std::string_view text) {
  Authority out;
  std::string_view host = text, port;
  if (text.starts_with('[')) {
    size_t close = text.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    host = text.substr(0, close + 1);
    std::string_view rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return std::nullopt;
      port = rest.substr(1);
      if (port.empty()) return std::nullopt;
    }
  } else if (size_t colon = text.find(':'); colon != std::string_view::npos) {
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (port.empty()) return std::nullopt;
  }
  if (host.empty() || host.find_first_of(" /\\@?#") != std::string_view::npos) {
    return std::nullopt;
  }
  if (!port.empty()) {
    uint32_t value = 0;
    auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || end != port.data() + port.size() || value > 65535) {
      return std::nullopt;
    }
    out.port = static_cast<uint16_t>(value);
  }
  out.host = Lower(host);
  return out;
}

// An origin split into scheme and authority, with the scheme's default port filled in.
struct Origin {
  std::string scheme;
  Authority authority;
  std::string Text() const {  // the normal form: no default port
    uint16_t default_port = scheme == "https" ? 443 : 80;
    if (authority.port == default_port) return scheme + "://" + authority.host;
    return fmt::format("{}://{}:{}", scheme, authority.host, *authority.port);
  }
};

std::optional<Origin> ParseOrigin(std::string_view text) {
  size_t sep = text.find("://");
  if (sep == std::string_view::npos) return std::nullopt;
  Origin origin{Lower(text.substr(0, sep)), {}};
  if (origin.scheme != "http" && origin.scheme != "https") return std::nullopt;
  auto authority = ParseAuthority(text.substr(sep + 3));
  if (!authority) return std::nullopt;
  origin.authority = std::move(*authority);
  if (!origin.authority.port) origin.authority.port = origin.scheme == "https" ? 443 : 80;
  return origin;
}

// The address a host names literally ("127.0.0.1", "[::1]"), if it is one.
std::optional<boost::asio::ip::address> AddressOf(std::string_view host) {
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  boost::system::error_code ec;
  auto address = boost::asio::ip::make_address(std::string(host), ec);
  if (ec) return std::nullopt;
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {  // a dual-stack socket's IPv4 peer
    return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, address.to_v6());
  }
  return address;
}

bool SameAddress(const std::optional<boost::asio::ip::address>& a, std::string_view b) {
  if (!a) return false;
  auto other = AddressOf(b);
  return other && *other == *a && !a->is_unspecified();
}

bool HostAllowed(const CrossSitePolicy& policy, const std::string& host,
                 std::string_view local_address) {
  if (host == "localhost") return true;
  auto address = AddressOf(host);
  if (address && address->is_loopback()) return true;
  if (SameAddress(address, policy.listen_address) || SameAddress(address, local_address)) {
    return true;
  }
  if (Lower(policy.listen_address) == host) return true;
  return std::any_of(
      policy.allowed_hosts.begin(), policy.allowed_hosts.end(),
      [&](const std::string& allowed) { return allowed == "*" || Lower(allowed) == host; });
}

Response Refuse(const Request& request, status code, std::string sqlstate, std::string message,
                std::string hint = {}) {
  Error error(std::move(sqlstate), std::move(message));
  error.hint = std::move(hint);
  Response response = ErrorResponse(error, request.version(), request.keep_alive());
  response.result(code);
  return response;
}

// Whether `request`'s Origin is the server's own: same scheme, host and port as its Host header.
bool SameOrigin(const CrossSitePolicy& policy, const Origin& origin, const Request& request) {
  auto host = ParseAuthority(request[field::host]);
  if (!host) return false;
  std::string scheme = policy.https ? "https" : "http";
  uint16_t port = host->port.value_or(policy.https ? 443 : 80);
  return origin.scheme == scheme && origin.authority.host == host->host &&
         origin.authority.port == port;
}

bool OriginListed(const CrossSitePolicy& policy, const Origin& origin) {
  std::string text = origin.Text();
  return std::any_of(policy.allowed_origins.begin(), policy.allowed_origins.end(),
                     [&](const std::string& allowed) {
                       auto parsed = ParseOrigin(allowed);
                       return parsed && parsed->Text() == text;
                     });
}

// The media type of a Content-Type value, without parameters, lower case.
std::string MediaType(std::string_view content_type) {
  std::string_view type = content_type.substr(0, content_type.find(';'));
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.remove_prefix(1);
  return Lower(type);
}

}  // namespace

std::optional<Response> CheckCrossSite(const CrossSitePolicy& policy, const Request& request,
                                       std::string_view local_address) {
  auto host_header = request.find(field::host);
  if (host_header == request.end()) {
    if (request.version() >= 11) {  // RFC 9112 3.2: a server must answer 400
      return Refuse(request, status::bad_request, "08P01",
                    "HTTP/1.1 request without a Host header");
    }
  } else {
    auto host = ParseAuthority(host_header->value());
    if (!host || !HostAllowed(policy, host->host, local_address)) {
      return Refuse(request, status::misdirected_request, "08004",
                    fmt::format("this server does not answer for Host \"{}\"",
                                std::string_view(host_header->value())),
                    "connect by its address, localhost, or a name in http.allowed_hosts");
    }
  }
  auto origin_header = request.find(field::origin);
  if (origin_header != request.end()) {
    auto origin = ParseOrigin(origin_header->value());
    bool listed = origin && OriginListed(policy, *origin);
    if (!listed && !(origin && SameOrigin(policy, *origin, request))) {
      return Refuse(request, status::forbidden, "42501",
                    fmt::format("requests from Origin \"{}\" are not allowed",
                                std::string_view(origin_header->value())),
                    "add the origin to http.allowed_origins to let its pages call the API");
    }
    if (request.method() == verb::options &&
        request.find(field::access_control_request_method) != request.end()) {
      Response preflight(status::no_content, request.version());
      preflight.set(field::server, "augur");
      preflight.set(field::allow, kAllowedMethods);
      preflight.set(field::access_control_allow_methods, kAllowedMethods);
      preflight.set(field::access_control_allow_headers, kAllowedHeaders);
      preflight.set(field::access_control_max_age, kPreflightMaxAge);
      preflight.keep_alive(request.keep_alive());
      AddCorsHeaders(policy, request, preflight);
      return preflight;
    }
  }
  verb method = request.method();
  if (method != verb::get && method != verb::head && method != verb::options &&
      MediaType(request[field::content_type]) != "application/json") {
    std::string_view sent = request[field::content_type];
    return Refuse(request, status::unsupported_media_type, "0A000",
                  sent.empty() ? std::string("request bodies must be sent with Content-Type: "
                                             "application/json")
                               : fmt::format("request bodies must be sent with Content-Type: "
                                             "application/json, not \"{}\"",
                                             sent),
                  "curl: -H 'Content-Type: application/json', or --json");
  }
  return std::nullopt;
}

void AddCorsHeaders(const CrossSitePolicy& policy, const Request& request,
                    boost::beast::http::fields& response) {
  auto origin_header = request.find(field::origin);
  if (origin_header == request.end()) return;
  auto origin = ParseOrigin(origin_header->value());
  if (!origin || !OriginListed(policy, *origin)) return;
  response.set(field::access_control_allow_origin, origin_header->value());
  response.set(field::vary, "Origin");
  response.set(field::access_control_expose_headers, "X-Cache");
}

}  // namespace augur::http
