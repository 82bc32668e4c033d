// authentication.cpp: the login step of the startup phase (PostgreSQL's pg_hba.conf methods
// trust, scram-sha-256 and reject, chosen by whether the client is on the loopback interface).
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include "common/metrics.h"
#include "common/scram.h"
#include "pgwire/connection.h"
#include "pgwire/server.h"

namespace augur::pgwire {

namespace asio = boost::asio;

namespace {

constexpr std::string_view kScram = "SCRAM-SHA-256";

}  // namespace

asio::awaitable<bool> Connection::RefuseLogin(Error error, std::string_view reason) {
  std::string address = ClientAddress();
  server_.failed_logins().Admit(address);
  metrics::LoginFailures().Add({{"reason", std::string(reason)}}).Increment();
  spdlog::warn("login failed peer={} user={} reason={}", peer_, user_, reason);
  co_await SendFatal(std::move(error));
  co_return false;
}

asio::awaitable<bool> Connection::Authenticate() {
  boost::system::error_code ec;
  auto endpoint = stream_.socket().remote_endpoint(ec);
  std::string address = ec ? "unknown" : endpoint.address().to_string();
  bool loopback = !ec && endpoint.address().is_loopback();
  if (auto throttled = server_.failed_logins().Peek(address); !throttled.allowed) {
    auto wait_ms = std::chrono::ceil<std::chrono::milliseconds>(throttled.retry_after).count();
    co_return co_await RefuseLogin(Error(sqlstate::kConfigurationLimitExceeded,
                                         fmt::format("too many failed logins from {}", address))
                                       .WithHint(fmt::format("retry in {} ms", wait_ms)),
                                   "throttled");
  }
  const std::string& method =
      loopback ? server_.options().auth_loopback : server_.options().auth_remote;
  if (method == "reject") {
    co_return co_await RefuseLogin(
        Error(sqlstate::kInvalidAuthorization,
              fmt::format("connection from {} refused (auth.{} = reject)", address,
                          loopback ? "loopback" : "remote")),
        "rejected");
  }
  auto role = server_.database().FindRole(user_);
  if (method == "scram-sha-256") co_return co_await AuthenticateScram(role);
  // trust: the role must exist and may log in, as in PostgreSQL.
  if (!role) {
    co_return co_await RefuseLogin(
        Error(sqlstate::kInvalidAuthorization, fmt::format("role \"{}\" does not exist", user_)),
        "no_role");
  }
  if (!role->login) {
    co_return co_await RefuseLogin(
        Error(sqlstate::kInvalidAuthorization,
              fmt::format("role \"{}\" is not permitted to log in", user_)),
        "no_login");
  }
  co_return true;
}

asio::awaitable<bool> Connection::AuthenticateScram(const std::optional<RoleInfo>& role) {
  // A missing role, one that may not log in or has no password goes through the same exchange
  // with a verifier no password matches: the client cannot tell which it was.
  std::optional<scram::Verifier> verifier;
  if (role && role->login) verifier = scram::ParseVerifier(role->verifier);
  bool can_succeed = verifier.has_value();
  scram::ScramServer exchange(can_succeed ? *verifier : scram::MockVerifier(user_));
  Error failed("28P01", fmt::format("password authentication failed for user \"{}\"", user_));

  out_.AuthenticationSasl(kScram);
  co_await Flush();
  Message message;
  if (!co_await ReadMessage(message)) co_return false;
  if (message.type != 'p') {
    co_await SendFatal(
        Error(sqlstate::kProtocolViolation, "expected SASL response (a password message)"));
    co_return false;
  }
  BodyReader initial(message.body);
  auto mechanism = initial.CString("SASL mechanism");
  auto length = initial.Int32("SASL data length");
  if (!mechanism || !length || *mechanism != kScram || *length < 0) {
    co_await SendFatal(Error(sqlstate::kProtocolViolation,
                             "client selected an invalid SASL authentication mechanism"));
    co_return false;
  }
  auto client_first = initial.Bytes(static_cast<size_t>(*length), "SASL data");
  if (!client_first) {
    co_await SendFatal(std::move(client_first).error());
    co_return false;
  }
  auto server_first = exchange.ClientFirst(*client_first);
  if (!server_first) {
    co_await SendFatal(std::move(server_first).error());
    co_return false;
  }
  out_.AuthenticationSaslContinue(*server_first);
  co_await Flush();
  if (!co_await ReadMessage(message)) co_return false;
  if (message.type != 'p') {
    co_await SendFatal(Error(sqlstate::kProtocolViolation, "expected SASL response"));
    co_return false;
  }
  auto server_final = exchange.ClientFinal(message.body);
  if (!server_final) {
    if (server_final.error().sqlstate != "28P01") {
      co_await SendFatal(std::move(server_final).error());
      co_return false;
    }
    co_return co_await RefuseLogin(std::move(failed), "password");
  }
  if (!can_succeed) co_return co_await RefuseLogin(std::move(failed), "password");
  out_.AuthenticationSaslFinal(*server_final);
  co_return true;
}

}  // namespace augur::pgwire
