// config_test.cpp: layering (defaults < file < environment < flags), error messages that name
// the key, the source and the reason, and the declarations: one per Config field, each fitting its
// field, and README.md's settings table generated from them.
#include "common/config.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>
#include <utility>

namespace augur {
namespace {

class ConfigTest : public ::testing::Test {
 protected:
  std::string WriteToml(const std::string& text) {
    path_ = std::filesystem::temp_directory_path() /
            ("augur-config-test-" + std::to_string(::getpid()) + ".toml");
    std::ofstream(path_) << text;
    return path_.string();
  }
  void TearDown() override {
    if (!path_.empty()) std::filesystem::remove(path_);
  }
  std::filesystem::path path_;
};

TEST_F(ConfigTest, DefaultsWhenNothingIsGiven) {
  auto config = LoadConfig("", {}, {});
  ASSERT_TRUE(config.has_value()) << config.error().message;
  EXPECT_EQ(config->pg_port, 5432);
  EXPECT_EQ(config->listen, "127.0.0.1");
  EXPECT_EQ(config->data_dir, "./augur-data");
  EXPECT_EQ(config->log_format, "text");
}

TEST_F(ConfigTest, LaterLayersWin) {
  std::string file =
      WriteToml("[server]\npg_port = 6000\nlisten = \"0.0.0.0\"\n[log]\nlevel = \"debug\"\n");
  auto from_file = LoadConfig(file, {}, {});
  ASSERT_TRUE(from_file.has_value()) << from_file.error().message;
  EXPECT_EQ(from_file->pg_port, 6000);
  EXPECT_EQ(from_file->listen, "0.0.0.0");
  EXPECT_EQ(from_file->log_level, "debug");

  auto from_env = LoadConfig(file, {}, {{"AUGUR_SERVER_PG_PORT", "6001"}});
  ASSERT_TRUE(from_env.has_value());
  EXPECT_EQ(from_env->pg_port, 6001);
  EXPECT_EQ(from_env->listen, "0.0.0.0");  // untouched keys keep the file's value

  auto from_flag =
      LoadConfig(file, {{"server.pg_port", "6002"}}, {{"AUGUR_SERVER_PG_PORT", "6001"}});
  ASSERT_TRUE(from_flag.has_value());
  EXPECT_EQ(from_flag->pg_port, 6002);
}

TEST_F(ConfigTest, ErrorsNameKeySourceAndReason) {
  auto bad_env = LoadConfig("", {}, {{"AUGUR_SERVER_PG_PORT", "70000"}});
  ASSERT_FALSE(bad_env.has_value());
  const std::string& m = bad_env.error().message;
  EXPECT_NE(m.find("server.pg_port"), std::string::npos) << m;
  EXPECT_NE(m.find("environment AUGUR_SERVER_PG_PORT"), std::string::npos) << m;
  EXPECT_NE(m.find("between 0 and 65535"), std::string::npos) << m;

  auto bad_flag = LoadConfig("", {{"log.format", "xml"}}, {});
  ASSERT_FALSE(bad_flag.has_value());
  EXPECT_NE(bad_flag.error().message.find("flag --log-format"), std::string::npos);
  EXPECT_NE(bad_flag.error().message.find("text, json"), std::string::npos);

  auto not_a_number = LoadConfig("", {{"server.pg_port", "54x"}}, {});
  ASSERT_FALSE(not_a_number.has_value());
  EXPECT_NE(not_a_number.error().message.find("not an integer"), std::string::npos);
}

TEST_F(ConfigTest, FileErrorsNameTheFile) {
  std::string unknown = WriteToml("[server]\nport = 1\n");
  auto r = LoadConfig(unknown, {}, {});
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("unknown setting \"server.port\""), std::string::npos);
  EXPECT_NE(r.error().message.find(unknown), std::string::npos);

  std::string broken = WriteToml("[server\n");
  auto parse = LoadConfig(broken, {}, {});
  ASSERT_FALSE(parse.has_value());
  EXPECT_NE(parse.error().message.find("line 1"), std::string::npos) << parse.error().message;

  std::string wrong_value = WriteToml("[server]\npg_port = 99999\n");
  auto range = LoadConfig(wrong_value, {}, {});
  ASSERT_FALSE(range.has_value());
  EXPECT_NE(range.error().message.find("(from file " + wrong_value + ")"), std::string::npos);
}

TEST_F(ConfigTest, HttpListsComeFromFlagsFilesAndEnvironment) {
  auto defaults = LoadConfig("", {}, {});
  ASSERT_TRUE(defaults.has_value());
  EXPECT_TRUE(defaults->http_allowed_hosts.empty());
  EXPECT_TRUE(defaults->http_allowed_origins.empty());
  EXPECT_EQ(defaults->http_export_spool_bytes, 1ull << 30);

  auto from_flag = LoadConfig(
      "", {{"http.allowed_origins", " https://App.example.com , http://x.example:8000/"}}, {});
  ASSERT_TRUE(from_flag.has_value()) << from_flag.error().message;
  EXPECT_EQ(from_flag->http_allowed_origins,
            (std::vector<std::string>{"https://app.example.com", "http://x.example:8000"}));

  std::string file = WriteToml("[http]\nallowed_hosts = [\"db.internal\", \"DB.example\"]\n");
  auto from_file = LoadConfig(file, {}, {});
  ASSERT_TRUE(from_file.has_value()) << from_file.error().message;
  EXPECT_EQ(from_file->http_allowed_hosts, (std::vector<std::string>{"db.internal", "db.example"}));

  auto from_env = LoadConfig("", {}, {{"AUGUR_HTTP_ALLOWED_HOSTS", "a.example,[::1]"}});
  ASSERT_TRUE(from_env.has_value()) << from_env.error().message;
  EXPECT_EQ(from_env->http_allowed_hosts, (std::vector<std::string>{"a.example", "[::1]"}));
}

TEST_F(ConfigTest, HttpListsRefuseWhatIsNotAHostOrAnOrigin) {
  for (const char* origin : {"*", "app.example.com", "https://app.example.com/path", "ftp://x"}) {
    auto r = LoadConfig("", {{"http.allowed_origins", origin}}, {});
    ASSERT_FALSE(r.has_value()) << origin;
    EXPECT_NE(r.error().message.find("is not an origin"), std::string::npos) << r.error().message;
  }
  for (const char* host : {"https://db.example", "db.example:8080", "db/x"}) {
    auto r = LoadConfig("", {{"http.allowed_hosts", host}}, {});
    ASSERT_FALSE(r.has_value()) << host;
    EXPECT_NE(r.error().message.find("is not a host name"), std::string::npos);
  }
}

TEST_F(ConfigTest, EnvironmentNamesDeriveFromKeys) {
  for (auto& s : Settings()) {
    std::string env = s.env();
    EXPECT_TRUE(env.starts_with("AUGUR_")) << env;
    EXPECT_EQ(env.find('.'), std::string::npos) << env;
  }
}

TEST_F(ConfigTest, HostileValuesAreRefusedWithTheirReason) {
  struct Case {
    std::string key, value, reason;
  };
  const std::vector<Case> cases = {
      {"server.pg_port", "-1", "must be between 0 and 65535"},
      {"server.pg_port", "99999999999999999999", "not an integer"},
      {"server.pg_port", " 5432", "not an integer"},
      {"server.pg_port", "5432 ", "not an integer"},
      {"server.pg_port", "0x10", "not an integer"},
      {"server.pg_port", "", "not an integer"},
      {"server.worker_threads", "0", "must be between 1 and 1024"},
      {"log.slow_statement_ms", "1e3", "not an integer"},
      {"server.listen", "", "empty"},
      {"storage.data_dir", "", "empty"},
      {"index.learned_primary_keys", "yes", "must be one of: true, false"},
      {"pgwire.result_cache", "TRUE", "must be one of: true, false"},
      {"log.level", "INFO", "must be one of: trace, debug, info, warn, error, off"},
      {"auth.remote", "md5", "md5 and plaintext passwords are not offered; use scram-sha-256"},
      {"auth.loopback", "password", "md5 and plaintext passwords are not offered"},
      {"auth.loopback", "scram-sha-256\n", "must be one of: trust, scram-sha-256, reject"},
      {"tls.mode", "require", "needs tls.cert_file and tls.key_file"},
      {"http.allowed_hosts", "a.example,,b.example/x", "\"b.example/x\" is not a host name"},
      {"http.allowed_origins", "https://a.example:123456", "is not an origin"},
  };
  for (const auto& c : cases) {
    auto r = LoadConfig("", {{c.key, c.value}}, {});
    ASSERT_FALSE(r.has_value()) << c.key << " = " << c.value;
    EXPECT_NE(r.error().message.find(c.reason), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find(fmt::format("invalid setting {} = ", c.key)),
              std::string::npos)
        << r.error().message;
  }
  auto unknown = LoadConfig("", {{"server.no_such_key", "1"}}, {});
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().message, "unknown setting \"server.no_such_key\"");
}

TEST_F(ConfigTest, HostileFilesAreRefused) {
  std::string top_level = WriteToml("pg_port = 5432\n");
  auto r = LoadConfig(top_level, {}, {});
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("\"pg_port\" must be a [section]"), std::string::npos)
      << r.error().message;

  std::string nested = WriteToml("[server.pg_port]\nx = 1\n");
  r = LoadConfig(nested, {}, {});
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(
      r.error().message.find("setting \"server.pg_port\" must be a string, number or boolean"),
      std::string::npos)
      << r.error().message;

  std::string mixed_list = WriteToml("[http]\nallowed_hosts = [\"a.example\", 1]\n");
  r = LoadConfig(mixed_list, {}, {});
  ASSERT_FALSE(r.has_value());
  EXPECT_NE(r.error().message.find("must be a string, number or boolean"), std::string::npos);

  // TOML types are read as their text, as a flag would give them.
  std::string typed =
      WriteToml("[server]\npg_port = \"6000\"\n[index]\nlearned_primary_keys = true\n");
  auto ok = LoadConfig(typed, {}, {});
  ASSERT_TRUE(ok.has_value()) << ok.error().message;
  EXPECT_EQ(ok->pg_port, 6000);
  EXPECT_TRUE(ok->learned_primary_keys);
}

TEST_F(ConfigTest, EveryLayerReachesEveryKindOfSetting) {
  std::string file = WriteToml(
      "[index]\nlearned_primary_keys = true\n[auth]\nremote = \"reject\"\n[http]\ncache_bytes = "
      "7\nallowed_origins = [\"https://a.example\"]\n");
  auto r = LoadConfig(file, {{"http.cache_bytes", "9"}, {"tls.cert_file", "c.pem"}},
                      {{"AUGUR_AUTH_REMOTE", "trust"},
                       {"AUGUR_HTTP_CACHE_BYTES", "8"},
                       {"AUGUR_INDEX_LEARNED_PRIMARY_KEYS", "false"},
                       {"AUGUR_NOT_A_SETTING", "x"}});
  ASSERT_TRUE(r.has_value()) << r.error().message;
  EXPECT_FALSE(r->learned_primary_keys);  // environment over file
  EXPECT_EQ(r->auth_remote, "trust");     // environment over file
  EXPECT_EQ(r->http_cache_bytes, 9u);     // flag over environment over file
  EXPECT_EQ(r->tls_cert_file, "c.pem");
  EXPECT_EQ(r->http_allowed_origins, std::vector<std::string>{"https://a.example"});
}

// How many fields an aggregate has: the most initializers `T{...}` accepts. AnyField converts to
// any member type.
struct AnyField {
  template <typename T>
  operator T() const;  // NOLINT: implicit on purpose; only used unevaluated
};
template <typename T, typename... Fields>
consteval size_t FieldCount() {
  if constexpr (requires { T{Fields{}..., AnyField{}}; }) {
    return FieldCount<T, Fields..., AnyField>();
  } else {
    return sizeof...(Fields);
  }
}

TEST(SettingDeclarations, EveryConfigFieldIsDeclaredOnce) {
  std::set<std::string_view> keys, flags;
  for (size_t i = 0; i < Settings().size(); ++i) {
    const auto& s = Settings()[i];
    EXPECT_TRUE(keys.insert(s.key).second) << "key declared twice: " << s.key;
    EXPECT_TRUE(flags.insert(s.flag).second) << "flag declared twice: " << s.flag;
    for (size_t j = 0; j < i; ++j) {
      EXPECT_FALSE(Settings()[j].field == s.field)
          << s.key << " and " << Settings()[j].key << " set the same Config field";
    }
  }
  EXPECT_EQ(FieldCount<Config>(), Settings().size())
      << "each Config field needs exactly one declaration in Settings() (config_settings.cpp)";
}

TEST(SettingDeclarations, EachDeclarationFitsItsField) {
  for (const auto& s : Settings()) {
    SCOPED_TRACE(std::string(s.key));
    EXPECT_NE(s.key.find('.'), std::string_view::npos);
    EXPECT_FALSE(s.flag.empty() || s.flag.starts_with('-'));
    EXPECT_FALSE(s.help.empty());
    std::visit(
        [&](auto member) {
          using T = std::remove_reference_t<decltype(Config{}.*member)>;
          constexpr bool kString = std::is_same_v<T, std::string>;
          constexpr bool kList = std::is_same_v<T, std::vector<std::string>>;
          if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
            EXPECT_LT(s.min, s.max);
            EXPECT_TRUE(std::cmp_greater_equal(s.min, std::numeric_limits<T>::min()));
            EXPECT_TRUE(std::cmp_less_equal(s.max, std::numeric_limits<T>::max()));
          } else {
            EXPECT_EQ(s.min, 0);
            EXPECT_EQ(s.max, 0);
          }
          if (!kString) {
            EXPECT_TRUE(s.choices.empty());
            EXPECT_FALSE(s.non_empty);
            EXPECT_EQ(s.refuse, nullptr);
          }
          if (!kList) {
            EXPECT_EQ(s.check_item, nullptr);
          }
        },
        s.field);
  }
}

TEST(SettingDeclarations, HelpLineNamesDefaultValuesAndWhereToSetIt) {
  for (const auto& s : Settings()) {
    if (s.key == "server.pg_port") {
      EXPECT_EQ(HelpLine(s),
                "PostgreSQL protocol port (0: any free port); default 5432; 0 to 65535 "
                "[AUGUR_SERVER_PG_PORT, server.pg_port]");
    }
    if (s.key == "pgwire.max_message_bytes") {
      EXPECT_NE(HelpLine(s).find("default 67108864 (64 MiB); 1024 to 1073741824"),
                std::string::npos)
          << HelpLine(s);
    }
    if (s.key == "log.format") {
      EXPECT_NE(HelpLine(s).find("default text; one of: text, json [AUGUR_LOG_FORMAT"),
                std::string::npos)
          << HelpLine(s);
    }
  }
}

// The settings table README.md shows, as the declarations give it.
std::string SettingsTable() {
  std::string table =
      "\n"
      "| key | flag | environment | default | meaning |\n"
      "|---|---|---|---|---|\n";
  for (const auto& s : Settings()) {
    std::string value = DefaultValue(s), note = DefaultNote(s);
    std::string shown = value.empty()  ? note
                        : note.empty() ? fmt::format("`{}`", value)
                                       : fmt::format("`{}` ({})", value, note);
    std::string meaning(s.help);
    if (!s.choices.empty()) {
      meaning += "; one of";
      for (size_t i = 0; i < s.choices.size(); ++i) {
        meaning += fmt::format("{} `{}`", i == 0 ? "" : ",", s.choices[i]);
      }
    }
    table +=
        fmt::format("| `{}` | `--{}` | `{}` | {} | {} |\n", s.key, s.flag, s.env(), shown, meaning);
  }
  return table + "\n";  // blank lines around the table keep the markers out of it
}

// README.md's table lies between these lines; `make docs` (AUGUR_UPDATE_README=1) rewrites it.
constexpr std::string_view kTableBegin =
    "<!-- settings table: generated from src/common/config_settings.cpp by `make docs` -->\n";
constexpr std::string_view kTableEnd = "<!-- end of settings table -->\n";

TEST(SettingDeclarations, ReadmeTableMatchesDeclarations) {
  const std::string path = std::string(AUGUR_SOURCE_DIR) + "/README.md";
  std::ifstream in(path);
  ASSERT_TRUE(in) << path;
  std::stringstream text;
  text << in.rdbuf();
  std::string readme = text.str();
  size_t begin = readme.find(kTableBegin);
  size_t end = readme.find(kTableEnd);
  ASSERT_NE(begin, std::string::npos) << "README.md lacks the line " << kTableBegin;
  ASSERT_NE(end, std::string::npos) << "README.md lacks the line " << kTableEnd;
  ASSERT_LT(begin, end);
  begin += kTableBegin.size();
  std::string expected = SettingsTable();
  if (readme.compare(begin, end - begin, expected) == 0) return;
  if (const char* update = std::getenv("AUGUR_UPDATE_README"); update && *update == '1') {
    readme.replace(begin, end - begin, expected);
    std::ofstream(path) << readme;
    return;
  }
  FAIL() << "README.md's settings table differs from the declarations in "
            "src/common/config_settings.cpp; run `make docs` to rewrite it. It should read:\n"
         << expected;
}

}  // namespace
}  // namespace augur
