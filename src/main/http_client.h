// http_client.h: a connection of an `augur` command to a running server's HTTP API, plain or
// TLS, for requests one after another: `augur backup`'s POST /api/backup, and on a second
// connection the GET /api/progress polls that draw its progress bar.
#pragma once

#include <memory>
#include <string>

#include "augur/result.h"

namespace augur {

// Where the server is and how to reach it.
struct HttpEndpoint {
  std::string host;
  std::string port;
  bool https = false;
  std::string token;    // an API token (Authorization: Bearer); empty for none
  std::string ca_file;  // PEM CA to verify an https server; empty: the system's
};

// `url` (http://host[:port] or https://...) as an endpoint; 22023 when it is not one.
Result<HttpEndpoint> ParseServerUrl(const std::string& url);

struct HttpReply {
  unsigned status = 0;
  std::string body;
};

class HttpClient {
 public:
  // Connects (and for https, verifies the server's certificate and name); 08001 when it cannot.
  static Result<std::unique_ptr<HttpClient>> Connect(const HttpEndpoint& endpoint);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // One request on the connection (kept alive): a JSON body for POST, none for GET.
  Result<HttpReply> Post(const std::string& target, const std::string& json_body);
  Result<HttpReply> Get(const std::string& target);

 private:
  struct Impl;
  explicit HttpClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace augur
