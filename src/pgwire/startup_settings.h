// startup_settings.h: the run-time settings a client asks for in its startup packet.
//
// libpq passes PGOPTIONS / options='-c search_path=app' as one "options" parameter holding
// command-line switches; asyncpg's server_settings and pgjdbc's connection properties arrive as
// parameters of their own (TimeZone, extra_float_digits, search_path). PostgreSQL applies both
// before the session starts, as if the client had sent SET for each.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "augur/result.h"
#include "pgwire/codec.h"

namespace augur::pgwire {

// The settings `packet` asks for, in order (the "options" switches last, as PostgreSQL applies
// them after the other parameters). Leaves out what is not a setting (user, database,
// replication) and what the server handles itself (application_name, client_encoding, whose
// only value is UTF8). 42601 for an "options" string that is not "-c name=value" /
// "--name=value" switches.
Result<std::vector<std::pair<std::string, std::string>>> StartupSettings(
    const StartupPacket& packet);

// `SET name = 'value'` for one startup setting, or 42602 when `name` is not a setting's name.
Result<std::string> SetStatementFor(const std::string& name, const std::string& value);

}  // namespace augur::pgwire
