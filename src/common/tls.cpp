// tls.cpp
#include "common/tls.h"

#include <fmt/format.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

namespace augur {

namespace ssl = boost::asio::ssl;

namespace {

// Forward-secret AEAD suites only, for TLS 1.2 (TLS 1.3 uses its own, all-strong list).
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256";

Error TlsError(std::string message, const boost::system::error_code& ec) {
  return Error(sqlstate::kConfigFileError, fmt::format("{}: {}", message, ec.message()))
      .WithHint("tls.cert_file and tls.key_file must name PEM files (see docs/SECURITY.md)");
}

}  // namespace

Result<std::shared_ptr<ssl::context>> MakeServerTlsContext(const std::string& cert_file,
                                                           const std::string& key_file) {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                       ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 |
                       ssl::context::no_compression | ssl::context::single_dh_use);
  SSL_CTX* native = context->native_handle();
  SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
  SSL_CTX_set_cipher_list(native, kTls12Ciphers);
  SSL_CTX_set_options(native, SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_RENEGOTIATION);
  boost::system::error_code ec;
  context->use_certificate_chain_file(cert_file, ec);
  if (ec) return TlsError(fmt::format("could not load TLS certificate \"{}\"", cert_file), ec);
  context->use_private_key_file(key_file, ssl::context::pem, ec);
  if (ec) return TlsError(fmt::format("could not load TLS private key \"{}\"", key_file), ec);
  if (SSL_CTX_check_private_key(native) != 1) {
    return Error(sqlstate::kConfigFileError,
                 fmt::format("TLS private key \"{}\" does not match certificate \"{}\"", key_file,
                             cert_file));
  }
  return context;
}

}  // namespace augur
