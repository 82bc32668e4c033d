// config.cpp: the loader the declarations in config_settings.cpp drive, and the text that
// describes a setting in --help and the README. Every value is first collected as text with its
// source ("default", "file x.toml", "environment AUGUR_..", "flag --.."), then read into its
// Config field as its declaration says, so an error can always say where the bad value came from.
#include "common/config.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <cctype>
#include <charconv>
#include <functional>
#include <type_traits>
#include <utility>

extern char** environ;

namespace augur {
namespace {

struct Raw {
  std::string value;
  std::string source;
};

Error BadSetting(std::string_view key, const Raw& raw, std::string_view reason) {
  return Error(sqlstate::kConfigFileError, fmt::format("invalid setting {} = \"{}\" (from {}): {}",
                                                       key, raw.value, raw.source, reason));
}

Result<int64_t> ParseInteger(std::string_view key, const Raw& raw, int64_t min, int64_t max) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(raw.value.data(), raw.value.data() + raw.value.size(), v);
  if (ec != std::errc() || end != raw.value.data() + raw.value.size()) {
    return BadSetting(key, raw, "not an integer");
  }
  if (v < min || v > max) {
    return BadSetting(key, raw, fmt::format("must be between {} and {}", min, max));
  }
  return v;
}

Status OneOf(std::string_view key, const Raw& raw, const std::vector<std::string_view>& allowed) {
  for (auto a : allowed) {
    if (raw.value == a) return {};
  }
  return BadSetting(key, raw, fmt::format("must be one of: {}", fmt::join(allowed, ", ")));
}

// Text of a TOML scalar, as it would be written on the command line; an array of strings is a
// list, its items joined by commas.
std::optional<std::string> ScalarText(const toml::node& node) {
  if (auto s = node.value<std::string>()) return *s;
  if (auto* array = node.as_array()) {
    std::string joined;
    for (auto& item : *array) {
      auto text = item.value<std::string>();
      if (!text) return std::nullopt;
      if (!joined.empty()) joined += ',';
      joined += *text;
    }
    return joined;
  }
  if (node.is_integer()) return std::to_string(*node.value<int64_t>());
  if (node.is_boolean()) return *node.value<bool>() ? "true" : "false";
  if (node.is_floating_point()) return fmt::format("{}", *node.value<double>());
  return std::nullopt;
}

std::string Joined(const std::vector<std::string>& items) {
  return fmt::format("{}", fmt::join(items, ","));
}

// The items of a comma-separated list, trimmed; empty items dropped.
std::vector<std::string> SplitList(std::string_view text) {
  std::vector<std::string> items;
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    while (!item.empty() && std::isspace(static_cast<unsigned char>(item.front()))) {
      item.remove_prefix(1);
    }
    while (!item.empty() && std::isspace(static_cast<unsigned char>(item.back()))) {
      item.remove_suffix(1);
    }
    if (!item.empty()) items.emplace_back(item);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return items;
}

// Reads one setting's text into its Config field, or says why it cannot.
Status Apply(const Setting& setting, const Raw& raw, Config& config) {
  return std::visit(
      [&](auto member) -> Status {
        auto& out = config.*member;
        using T = std::remove_reference_t<decltype(out)>;
        if constexpr (std::is_same_v<T, bool>) {
          if (auto ok = OneOf(setting.key, raw, {"true", "false"}); !ok) return ok;
          out = raw.value == "true";
        } else if constexpr (std::is_integral_v<T>) {
          auto value = ParseInteger(setting.key, raw, setting.min, setting.max);
          if (!value) return std::move(value).error();
          out = static_cast<T>(*value);
        } else if constexpr (std::is_same_v<T, std::string>) {
          if (setting.non_empty && raw.value.empty()) return BadSetting(setting.key, raw, "empty");
          if (setting.refuse) {
            if (auto reason = setting.refuse(raw.value); !reason.empty()) {
              return BadSetting(setting.key, raw, reason);
            }
          }
          if (!setting.choices.empty()) {
            if (auto ok = OneOf(setting.key, raw, setting.choices); !ok) return ok;
          }
          out = raw.value;
        } else {
          static_assert(std::is_same_v<T, std::vector<std::string>>);
          for (auto& item : SplitList(raw.value)) {
            if (setting.check_item) {
              if (auto reason = setting.check_item(item); !reason.empty()) {
                return BadSetting(setting.key, raw, reason);
              }
            }
            out.push_back(std::move(item));
          }
        }
        return {};
      },
      setting.field);
}

// 65536 -> "64 KiB" when the value is a whole number of KiB, MiB or GiB; "" otherwise.
std::string ByteSize(uint64_t bytes) {
  for (auto [shift, unit] : {std::pair{30, "GiB"}, {20, "MiB"}, {10, "KiB"}}) {
    uint64_t size = uint64_t{1} << shift;
    if (bytes >= size && bytes % size == 0) return fmt::format("{} {}", bytes / size, unit);
  }
  return "";
}

// 60000 -> "1 min", 30000 -> "30 s"; "" when not a whole number of seconds.
std::string Duration(uint64_t ms) {
  if (ms >= 60'000 && ms % 60'000 == 0) return fmt::format("{} min", ms / 60'000);
  if (ms >= 1000 && ms % 1000 == 0) return fmt::format("{} s", ms / 1000);
  return "";
}

}  // namespace

std::string DefaultValue(const Setting& setting) {
  static const Config defaults;
  return std::visit(
      [](auto member) -> std::string {
        const auto& value = defaults.*member;
        using T = std::remove_cvref_t<decltype(value)>;
        if constexpr (std::is_same_v<T, bool>) {
          return value ? "true" : "false";
        } else if constexpr (std::is_integral_v<T>) {
          return std::to_string(value);
        } else if constexpr (std::is_same_v<T, std::string>) {
          return value;
        } else {
          return Joined(value);
        }
      },
      setting.field);
}

std::string DefaultNote(const Setting& setting) {
  if (!setting.default_means.empty()) return std::string(setting.default_means);
  std::string value = DefaultValue(setting);
  uint64_t number = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
  if (ec != std::errc() || end != value.data() + value.size()) return "";
  if (setting.key.ends_with("_bytes")) return ByteSize(number);
  if (setting.key.ends_with("_ms")) return Duration(number);
  return "";
}

std::string AcceptedValues(const Setting& setting) {
  if (std::holds_alternative<bool Config::*>(setting.field)) return "true or false";
  if (!setting.choices.empty()) return fmt::format("one of: {}", fmt::join(setting.choices, ", "));
  bool integer = std::visit(
      [](auto member) {
        using T = std::remove_reference_t<decltype(Config{}.*member)>;
        return std::is_integral_v<T> && !std::is_same_v<T, bool>;
      },
      setting.field);
  return integer ? fmt::format("{} to {}", setting.min, setting.max) : "";
}

std::string HelpLine(const Setting& setting) {
  std::string line(setting.help);
  std::erase(line, '`');  // code marks are for the README
  std::string value = DefaultValue(setting), note = DefaultNote(setting);
  if (!value.empty() || !note.empty()) {
    line += "; default ";
    line += value.empty() ? note : note.empty() ? value : fmt::format("{} ({})", value, note);
  }
  if (auto accepted = AcceptedValues(setting); !accepted.empty()) {
    line += fmt::format("; {}", accepted);
  }
  return fmt::format("{} [{}, {}]", line, setting.env(), setting.key);
}

std::map<std::string, std::string> ProcessEnvironment() {
  std::map<std::string, std::string> env;
  for (char** e = environ; e && *e; ++e) {
    std::string_view entry(*e);
    size_t eq = entry.find('=');
    if (eq != std::string_view::npos && entry.starts_with("AUGUR_")) {
      env.emplace(entry.substr(0, eq), entry.substr(eq + 1));
    }
  }
  return env;
}

Result<Config> LoadConfig(const std::string& file, const std::map<std::string, std::string>& flags,
                          const std::map<std::string, std::string>& environment) {
  std::map<std::string, Raw, std::less<>> raw;
  for (auto& setting : Settings()) {
    raw[std::string(setting.key)] = Raw{DefaultValue(setting), "default"};
  }

  if (!file.empty()) {
    toml::table table;
    try {
      table = toml::parse_file(file);
    } catch (const toml::parse_error& e) {
      return Error(sqlstate::kConfigFileError,
                   fmt::format("could not read config file \"{}\": {} (line {}, column {})", file,
                               e.description(), e.source().begin.line, e.source().begin.column));
    }
    std::string source = fmt::format("file {}", file);
    for (auto& [section, node] : table) {
      auto* sub = node.as_table();
      if (!sub) {
        return Error(
            sqlstate::kConfigFileError,
            fmt::format("config file \"{}\": \"{}\" must be a [section]", file, section.str()));
      }
      for (auto& [name, value] : *sub) {
        std::string key = fmt::format("{}.{}", section.str(), name.str());
        auto it = raw.find(key);
        if (it == raw.end()) {
          return Error(sqlstate::kConfigFileError,
                       fmt::format("config file \"{}\": unknown setting \"{}\"", file, key));
        }
        auto text = ScalarText(value);
        if (!text) {
          return Error(sqlstate::kConfigFileError,
                       fmt::format("config file \"{}\": setting \"{}\" must be a string, number "
                                   "or boolean",
                                   file, key));
        }
        it->second = Raw{*text, source};
      }
    }
  }
  for (auto& setting : Settings()) {
    auto env = environment.find(setting.env());
    if (env != environment.end()) {
      raw[std::string(setting.key)] = Raw{env->second, fmt::format("environment {}", env->first)};
    }
  }
  for (auto& [key, value] : flags) {
    auto it = raw.find(key);
    if (it == raw.end()) {
      return Error(sqlstate::kConfigFileError, fmt::format("unknown setting \"{}\"", key));
    }
    std::string flag = key;
    for (auto& s : Settings()) {
      if (s.key == key) flag = std::string(s.flag);
    }
    it->second = Raw{value, fmt::format("flag --{}", flag)};
  }

  Config config;
  for (auto& setting : Settings()) {
    if (auto ok = Apply(setting, raw.find(setting.key)->second, config); !ok) {
      return std::move(ok).error();
    }
  }
  // The one rule that spans settings.
  if (config.tls_mode != "disable" &&
      (config.tls_cert_file.empty() || config.tls_key_file.empty())) {
    return BadSetting("tls.mode", raw.find("tls.mode")->second,
                      "needs tls.cert_file and tls.key_file");
  }
  return config;
}

}  // namespace augur
