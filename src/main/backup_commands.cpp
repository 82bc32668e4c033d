// backup_commands.cpp
#include "main/backup_commands.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "augur/engine.h"
#include "common/sql_quoting.h"

namespace augur {
namespace {

namespace beast = boost::beast;
namespace json = boost::json;

int Fail(const std::string& message) {
  std::fprintf(stderr, "augur: %s\n", message.c_str());
  return 1;
}

}  // namespace

namespace {

using Response = beast::http::response<beast::http::string_body>;

// One request over `stream` (plain or TLS), read to the end.
template <class Stream>
Response Exchange(Stream& stream, beast::http::request<beast::http::string_body>& request) {
  beast::http::write(stream, request);
  beast::flat_buffer buffer;
  Response response;
  beast::http::read(stream, buffer, response);
  return response;
}

}  // namespace

int RunBackup(const std::string& server_url, const std::string& to_dir,
              const BackupCredentials& credentials) {
  auto url = boost::urls::parse_uri(server_url);
  bool https = url && url->scheme() == "https";
  if (!url || (url->scheme() != "http" && !https) || url->host().empty()) {
    return Fail("--server must be an http(s) URL such as http://127.0.0.1:8080, got " + server_url);
  }
  std::error_code fs_error;
  std::string dir = std::filesystem::absolute(to_dir, fs_error).string();
  try {
    boost::asio::io_context io;
    boost::asio::ip::tcp::resolver resolver(io);
    beast::tcp_stream stream(io);
    std::string host(url->host());
    std::string port = url->has_port() ? std::string(url->port()) : https ? "443" : "80";
    stream.connect(resolver.resolve(host, port));
    beast::http::request<beast::http::string_body> request(beast::http::verb::post, "/api/backup",
                                                           11);
    request.set(beast::http::field::host, host);
    request.set(beast::http::field::content_type, "application/json");
    if (!credentials.token.empty()) {
      request.set(beast::http::field::authorization, "Bearer " + credentials.token);
    }
    request.body() = json::serialize(json::object{{"to", dir}});
    request.prepare_payload();
    Response response;
    if (https) {
      boost::asio::ssl::context tls(boost::asio::ssl::context::tls_client);
      tls.set_verify_mode(boost::asio::ssl::verify_peer);
      if (credentials.ca_file.empty()) {
        tls.set_default_verify_paths();
      } else {
        tls.load_verify_file(credentials.ca_file);
      }
      beast::ssl_stream<beast::tcp_stream&> secure(stream, tls);
      secure.set_verify_callback(boost::asio::ssl::host_name_verification(host));
      SSL_set_tlsext_host_name(secure.native_handle(), host.c_str());
      secure.handshake(boost::asio::ssl::stream_base::client);
      response = Exchange(secure, request);
    } else {
      response = Exchange(stream, request);
    }
    if (response.result() != beast::http::status::ok) {
      return Fail("backup failed (HTTP " + std::to_string(response.result_int()) +
                  "): " + response.body());
    }
    auto manifest = json::parse(response.body()).as_object();
    std::printf("backup written to %s: %lld rows in %zu tables\n", dir.c_str(),
                static_cast<long long>(manifest.at("total_rows").as_int64()),
                manifest.at("tables").as_array().size());
    return 0;
  } catch (const std::exception& ex) {
    return Fail("backup failed: cannot reach " + server_url + ": " + ex.what());
  }
}

int RunRestore(const std::string& from_dir, const std::string& data_dir) {
  std::filesystem::path from = std::filesystem::absolute(from_dir);
  std::ifstream manifest_file(from / "augur-backup.json");
  if (!manifest_file) {
    return Fail("\"" + from.string() + "\" holds no augur-backup.json: not an augur backup");
  }
  std::stringstream text;
  text << manifest_file.rdbuf();
  boost::system::error_code ec;
  auto manifest = json::parse(text.str(), ec);
  if (ec || !manifest.is_object() || !manifest.as_object().contains("tables")) {
    return Fail("augur-backup.json in \"" + from.string() + "\" is damaged");
  }
  std::error_code fs_error;
  if (std::filesystem::exists(data_dir, fs_error) &&
      !std::filesystem::is_empty(data_dir, fs_error)) {
    return Fail("data directory \"" + data_dir +
                "\" exists and is not empty; restore into a new one");
  }
  DatabaseOptions options;
  options.data_dir = data_dir;
  auto database = Database::Open(options);
  if (!database) return Fail(database.error().message);
  auto session = (*database)->Connect();
  if (!session) return Fail(session.error().message);
  // A new database has an empty public schema, which the backup's schema.sql creates again.
  auto dropped = (*session)->Query("DROP SCHEMA IF EXISTS public");
  if (!dropped) return Fail("restore failed: " + dropped.error().message);
  auto imported = (*session)->Query("IMPORT DATABASE " + QuoteLiteral(from.string()));
  if (!imported) return Fail("restore failed: " + imported.error().message);
  int64_t total = 0;
  for (const auto& entry : manifest.as_object().at("tables").as_array()) {
    const auto& table = entry.as_object();
    std::string name = QuoteIdentifier(table.at("schema").as_string()) + "." +
                       QuoteIdentifier(table.at("table").as_string());
    auto count = (*session)->Query("SELECT count(*) FROM " + name);
    if (!count) return Fail("restore check failed: " + count.error().message);
    int64_t rows = std::stoll(std::string(count->cell(0, 0).value_or("0")));
    if (rows != table.at("rows").as_int64()) {
      return Fail("restore check failed: " + name + " has " + std::to_string(rows) +
                  " rows, the backup says " + std::to_string(table.at("rows").as_int64()));
    }
    total += rows;
  }
  if (auto checkpoint = (*database)->Checkpoint(); !checkpoint) {
    return Fail(checkpoint.error().message);
  }
  std::printf("restored %lld rows in %zu tables into %s\n", static_cast<long long>(total),
              manifest.as_object().at("tables").as_array().size(), data_dir.c_str());
  return 0;
}

}  // namespace augur
