// session_role.h: which role a DuckDB connection runs as, where DuckDB's own callbacks (file
// system, role statements, the function guard) can find it: a ClientContextState registered on
// every session.
//
// It also makes every transaction of a role that may not write read-only in DuckDB itself. augur
// refuses writing statements by their kind before they run, but a write can hide where no
// statement check looks (nextval in a view, a function DuckDB adds later); DuckDB refuses any
// change to the database in a read-only transaction, whatever reached it.
#pragma once

#include <optional>
#include <string>

#include "duckdb/main/client_context.hpp"
#include "duckdb/main/client_context_state.hpp"
#include "duckdb/transaction/meta_transaction.hpp"
#include "engine/auth/privilege_catalog.h"
#include "engine/auth/role_store.h"

namespace augur::engine {

class SessionRole final : public duckdb::ClientContextState {
 public:
  static constexpr const char* kKey = "augur_session_role";

  SessionRole(RoleStore& store, std::string role) : store_(store), role_(std::move(role)) {}

  // The session's role as it is now (ALTER ROLE takes effect on the next check); nullopt once
  // dropped.
  std::optional<Role> Current() const { return store_.Find(role_); }
  const std::string& name() const { return role_; }
  // Whether the role (as it is now) holds `needed`; false once the role is dropped.
  bool Has(Privilege needed) const {
    auto role = Current();
    if (!role) return false;
    switch (needed) {
      case Privilege::kAnyRole:
        return true;
      case Privilege::kWriter:
        return role->may_write();
      case Privilege::kSuperuser:
        return role->superuser;
    }
    return false;
  }

  void TransactionBegin(duckdb::MetaTransaction& transaction, duckdb::ClientContext&) override {
    if (!internal_file_access && !Has(Privilege::kWriter)) transaction.SetReadOnly();
  }
  RoleStore& store() { return store_; }

  // True while augur itself reads a file for the session (COPY FROM STDIN's spool file).
  bool internal_file_access = false;
  // A file augur itself writes for the session (an HTTP Parquet export): that path alone is let
  // through, so a query inside the export still cannot read server files.
  std::string internal_file_path;

  // The SessionRole of `context`, or null for connections augur opened for itself.
  static SessionRole* Of(duckdb::ClientContext& context) {
    return context.registered_state->Get<SessionRole>(kKey).get();
  }

 private:
  RoleStore& store_;
  const std::string role_;
};

}  // namespace augur::engine
