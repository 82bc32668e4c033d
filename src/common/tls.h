// tls.h: the server's TLS settings, shared by the PostgreSQL and the HTTP servers.
//
// One OpenSSL 3 context is built at start from a PEM certificate chain and private key; both
// servers hand it to their connections. TLS 1.2 is the minimum, and TLS 1.2 is limited to
// forward-secret AEAD suites (TLS 1.3 suites are all strong).
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <string>

#include "augur/result.h"

namespace augur {

// tls.mode (config.h) picks how it is used: disable (no TLS), allow (offered; plaintext
// PostgreSQL clients served too; HTTP is HTTPS), require (plaintext PostgreSQL sessions refused
// with 28000).

// A server context from PEM files. Errors name the file and OpenSSL's reason.
Result<std::shared_ptr<boost::asio::ssl::context>> MakeServerTlsContext(
    const std::string& cert_file, const std::string& key_file);

}  // namespace augur
