// scram.h: SCRAM-SHA-256 (RFC 5802, RFC 7677) as PostgreSQL uses it for passwords.
//
// A role's password is kept only as a verifier, in PostgreSQL's text form
//   SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>   (base64 fields)
// so the same string that `\password` in psql computes client-side can be stored as is. The
// server side of the exchange is ScramServer; the wire framing lives in pgwire.
// Written on OpenSSL's primitives (PBKDF2, HMAC, SHA-256, base64, RAND): no Debian package offers
// a server-side SCRAM state machine, and the exchange is three messages.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "augur/result.h"

namespace augur::scram {

inline constexpr int kDefaultIterations = 4096;  // PostgreSQL's scram_iterations default

struct Verifier {
  int iterations = 0;
  std::string salt;        // raw bytes
  std::string stored_key;  // raw 32 bytes
  std::string server_key;  // raw 32 bytes

  std::string Text() const;
};

// A verifier for `password` with a fresh random salt.
Verifier MakeVerifier(std::string_view password, int iterations = kDefaultIterations);
// The same with a given salt (raw bytes): for tests against published vectors.
Verifier MakeVerifier(std::string_view password, std::string salt, int iterations);
// Whether `password` is the one `verifier` was made from (HTTP Basic auth: the client sends the
// password itself, over TLS).
bool CheckPassword(const Verifier& verifier, std::string_view password);
// Parses PostgreSQL's verifier text; nullopt when it is not one.
std::optional<Verifier> ParseVerifier(std::string_view text);
// A verifier that no password matches, the same for every call with the same `seed`: unknown
// users get a full exchange that fails exactly like a wrong password (no user enumeration).
Verifier MockVerifier(std::string_view seed);

std::string Base64(std::string_view raw);
std::optional<std::string> Unbase64(std::string_view text);

// The server side of one SCRAM-SHA-256 exchange, without channel binding.
class ScramServer {
 public:
  // `server_nonce` is random unless given (tests pass RFC 7677's).
  explicit ScramServer(Verifier verifier, std::string server_nonce = {})
      : verifier_(std::move(verifier)), server_nonce_(std::move(server_nonce)) {}
  // client-first-message -> server-first-message. Errors are protocol violations (08P01).
  Result<std::string> ClientFirst(std::string_view message);
  // client-final-message -> server-final-message ("v=..."). Fails (28P01) on a wrong proof.
  Result<std::string> ClientFinal(std::string_view message);

 private:
  Verifier verifier_;
  std::string server_nonce_;
  std::string gs2_header_;
  std::string client_first_bare_;
  std::string server_first_;
  std::string nonce_;  // client nonce + server nonce
};

}  // namespace augur::scram
