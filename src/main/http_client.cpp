// http_client.cpp: see http_client.h.
#include "main/http_client.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/url/parse.hpp>

namespace augur {

namespace beast = boost::beast;
namespace asio = boost::asio;

Result<HttpEndpoint> ParseServerUrl(const std::string& text) {
  auto url = boost::urls::parse_uri(text);
  bool https = url && url->scheme() == "https";
  if (!url || (url->scheme() != "http" && !https) || url->host().empty()) {
    return Error("22023",
                 "--server must be an http(s) URL such as http://127.0.0.1:8080, got " + text);
  }
  HttpEndpoint endpoint;
  endpoint.host = std::string(url->host());
  endpoint.port = url->has_port() ? std::string(url->port()) : https ? "443" : "80";
  endpoint.https = https;
  return endpoint;
}

struct HttpClient::Impl {
  HttpEndpoint endpoint;
  asio::io_context io;
  beast::tcp_stream tcp{io};
  std::unique_ptr<asio::ssl::context> tls_context;
  std::unique_ptr<beast::ssl_stream<beast::tcp_stream&>> tls;
  beast::flat_buffer buffer;

  template <class Stream>
  HttpReply Exchange(Stream& stream, beast::http::request<beast::http::string_body>& request) {
    beast::http::write(stream, request);
    beast::http::response<beast::http::string_body> response;
    beast::http::read(stream, buffer, response);
    return HttpReply{response.result_int(), std::move(response.body())};
  }

  Result<HttpReply> Send(beast::http::verb verb, const std::string& target,
                         const std::string* json_body) {
    try {
      beast::http::request<beast::http::string_body> request(verb, target, 11);
      request.set(beast::http::field::host, endpoint.host);
      request.keep_alive(true);
      if (!endpoint.token.empty()) {
        request.set(beast::http::field::authorization, "Bearer " + endpoint.token);
      }
      if (json_body) {
        request.set(beast::http::field::content_type, "application/json");
        request.body() = *json_body;
      }
      request.prepare_payload();
      return tls ? Exchange(*tls, request) : Exchange(tcp, request);
    } catch (const std::exception& ex) {
      return Error("08006", "the connection to " + endpoint.host + ":" + endpoint.port +
                                " failed: " + ex.what());
    }
  }
};

HttpClient::HttpClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpClient::~HttpClient() = default;

Result<std::unique_ptr<HttpClient>> HttpClient::Connect(const HttpEndpoint& endpoint) {
  auto impl = std::make_unique<Impl>();
  impl->endpoint = endpoint;
  try {
    asio::ip::tcp::resolver resolver(impl->io);
    impl->tcp.connect(resolver.resolve(endpoint.host, endpoint.port));
    if (endpoint.https) {
      impl->tls_context = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_client);
      impl->tls_context->set_verify_mode(asio::ssl::verify_peer);
      if (endpoint.ca_file.empty()) {
        impl->tls_context->set_default_verify_paths();
      } else {
        impl->tls_context->load_verify_file(endpoint.ca_file);
      }
      impl->tls =
          std::make_unique<beast::ssl_stream<beast::tcp_stream&>>(impl->tcp, *impl->tls_context);
      impl->tls->set_verify_callback(asio::ssl::host_name_verification(endpoint.host));
      SSL_set_tlsext_host_name(impl->tls->native_handle(), endpoint.host.c_str());
      impl->tls->handshake(asio::ssl::stream_base::client);
    }
  } catch (const std::exception& ex) {
    return Error("08001", "cannot reach " + std::string(endpoint.https ? "https" : "http") + "://" +
                              endpoint.host + ":" + endpoint.port + ": " + ex.what());
  }
  return std::unique_ptr<HttpClient>(new HttpClient(std::move(impl)));
}

Result<HttpReply> HttpClient::Post(const std::string& target, const std::string& json_body) {
  return impl_->Send(beast::http::verb::post, target, &json_body);
}

Result<HttpReply> HttpClient::Get(const std::string& target) {
  return impl_->Send(beast::http::verb::get, target, nullptr);
}

}  // namespace augur
