// key_codec.cpp
#include "engine/learned_index/key_codec.h"

#include <algorithm>
#include <cmath>
#include <string_view>

#include "engine/integer_types.h"
#include "learned/key_encoding.h"

namespace augur::engine::learned_index {
namespace {

using duckdb::LogicalTypeId;

template <typename T, typename Encode>
void EncodeAll(duckdb::Vector& keys, uint64_t count, std::vector<std::optional<uint64_t>>& out,
               Encode encode) {
  duckdb::UnifiedVectorFormat format;
  keys.ToUnifiedFormat(count, format);
  auto data = duckdb::UnifiedVectorFormat::GetData<T>(format);
  out.resize(count);
  for (uint64_t i = 0; i < count; ++i) {
    auto index = format.sel->get_index(i);
    out[i] = format.validity.RowIsValid(index) ? encode(data[index]) : std::nullopt;
  }
}

std::optional<uint64_t> Signed(int64_t value) { return learned::EncodeKey(value); }

std::optional<uint64_t> Floating(double value) {
  if (std::isnan(value)) return std::nullopt;
  return learned::EncodeKey(value);
}

std::string_view View(const duckdb::string_t& s) { return {s.GetData(), s.GetSize()}; }

}  // namespace

bool IsSupportedKeyType(const duckdb::LogicalType& type) {
  if (FitsInt64(type.id())) return true;
  switch (type.id()) {
    case LogicalTypeId::UBIGINT:
    case LogicalTypeId::DATE:
    case LogicalTypeId::TIME:
    case LogicalTypeId::TIMESTAMP:
    case LogicalTypeId::TIMESTAMP_TZ:
    case LogicalTypeId::TIMESTAMP_SEC:
    case LogicalTypeId::TIMESTAMP_MS:
    case LogicalTypeId::TIMESTAMP_NS:
    case LogicalTypeId::FLOAT:
    case LogicalTypeId::DOUBLE:
    case LogicalTypeId::VARCHAR:
      return true;
    default:
      return false;
  }
}

void KeyCodec::Encode(duckdb::Vector& keys, uint64_t count,
                      std::vector<std::optional<uint64_t>>& out) const {
  switch (keys.GetType().id()) {
    case LogicalTypeId::TINYINT:
      return EncodeAll<int8_t>(keys, count, out, Signed);
    case LogicalTypeId::SMALLINT:
      return EncodeAll<int16_t>(keys, count, out, Signed);
    case LogicalTypeId::INTEGER:
      return EncodeAll<int32_t>(keys, count, out, Signed);
    case LogicalTypeId::BIGINT:
      return EncodeAll<int64_t>(keys, count, out, Signed);
    case LogicalTypeId::UTINYINT:
      return EncodeAll<uint8_t>(keys, count, out, Signed);
    case LogicalTypeId::USMALLINT:
      return EncodeAll<uint16_t>(keys, count, out, Signed);
    case LogicalTypeId::UINTEGER:
      return EncodeAll<uint32_t>(keys, count, out, Signed);
    case LogicalTypeId::UBIGINT:
      return EncodeAll<uint64_t>(keys, count, out,
                                 [](uint64_t v) -> std::optional<uint64_t> { return v; });
    case LogicalTypeId::DATE:
      return EncodeAll<duckdb::date_t>(keys, count, out,
                                       [](duckdb::date_t v) { return Signed(v.days); });
    case LogicalTypeId::TIME:
      return EncodeAll<duckdb::dtime_t>(keys, count, out,
                                        [](duckdb::dtime_t v) { return Signed(v.micros); });
    case LogicalTypeId::TIMESTAMP:
    case LogicalTypeId::TIMESTAMP_TZ:
    case LogicalTypeId::TIMESTAMP_SEC:
    case LogicalTypeId::TIMESTAMP_MS:
    case LogicalTypeId::TIMESTAMP_NS:
      // Infinite timestamps are the int64 extremes, so they sort where PostgreSQL puts them.
      return EncodeAll<duckdb::timestamp_t>(keys, count, out,
                                            [](duckdb::timestamp_t v) { return Signed(v.value); });
    case LogicalTypeId::FLOAT:
      return EncodeAll<float>(keys, count, out, Floating);
    case LogicalTypeId::DOUBLE:
      return EncodeAll<double>(keys, count, out, Floating);
    case LogicalTypeId::VARCHAR:
      return EncodeAll<duckdb::string_t>(keys, count, out, [this](duckdb::string_t v) {
        return std::optional<uint64_t>(learned::EncodeKeyAfterPrefix(View(v), prefix_));
      });
    default:
      out.assign(count, std::nullopt);
  }
}

std::optional<uint64_t> KeyCodec::EncodeValue(const duckdb::Value& value) const {
  if (value.IsNull()) return std::nullopt;
  duckdb::Value cast;
  std::string error;
  if (!value.DefaultTryCastAs(type_, cast, &error, false) || cast.IsNull()) return std::nullopt;
  duckdb::Vector vector(cast);
  std::vector<std::optional<uint64_t>> codes;
  Encode(vector, 1, codes);
  return codes[0];
}

void KeyBuilder::Add(duckdb::Vector& keys, duckdb::Vector& row_ids, uint64_t count) {
  duckdb::UnifiedVectorFormat ids;
  row_ids.ToUnifiedFormat(count, ids);
  auto id_data = duckdb::UnifiedVectorFormat::GetData<duckdb::row_t>(ids);
  auto row_id = [&](uint64_t i) { return static_cast<uint64_t>(id_data[ids.sel->get_index(i)]); };
  if (type_.id() == LogicalTypeId::VARCHAR) {
    duckdb::UnifiedVectorFormat format;
    keys.ToUnifiedFormat(count, format);
    auto data = duckdb::UnifiedVectorFormat::GetData<duckdb::string_t>(format);
    for (uint64_t i = 0; i < count; ++i) {
      auto index = format.sel->get_index(i);
      if (format.validity.RowIsValid(index)) strings_.emplace_back(View(data[index]), row_id(i));
    }
    return;
  }
  KeyCodec(type_).Encode(keys, count, codes_);
  for (uint64_t i = 0; i < count; ++i) {
    if (codes_[i]) entries_.emplace_back(*codes_[i], row_id(i));
  }
}

void KeyBuilder::Sort() {
  std::sort(entries_.begin(), entries_.end());
  run_starts_ = {0};
  all_runs_sorted_ = true;
}

void KeyBuilder::Absorb(KeyBuilder& other) {
  bool sorted = (entries_.empty() || all_runs_sorted_) && other.all_runs_sorted_;
  size_t start = entries_.size();
  if (!other.entries_.empty()) {
    if (!entries_.empty() && sorted) {
      for (size_t run : other.run_starts_) run_starts_.push_back(start + run);
    } else if (entries_.empty()) {
      run_starts_ = other.run_starts_;
    }
    entries_.insert(entries_.end(), other.entries_.begin(), other.entries_.end());
  }
  all_runs_sorted_ = sorted;
  std::move(other.strings_.begin(), other.strings_.end(), std::back_inserter(strings_));
  other.entries_.clear();
  other.strings_.clear();
  other.run_starts_ = {0};
}

std::pair<KeyCodec, std::vector<KeyBuilder::Entry>> KeyBuilder::Finish() {
  if (strings_.empty()) {
    if (!all_runs_sorted_) {
      std::sort(entries_.begin(), entries_.end());
    } else {
      // Merge neighbouring runs pairwise until one is left: O(n log runs).
      std::vector<size_t> starts = run_starts_;
      while (starts.size() > 1) {
        std::vector<size_t> merged;
        for (size_t i = 0; i < starts.size(); i += 2) {
          merged.push_back(starts[i]);
          if (i + 1 >= starts.size()) break;
          size_t end = i + 2 < starts.size() ? starts[i + 2] : entries_.size();
          std::inplace_merge(entries_.begin() + starts[i], entries_.begin() + starts[i + 1],
                             entries_.begin() + end);
        }
        starts = std::move(merged);
      }
    }
    return {KeyCodec(type_), std::move(entries_)};
  }
  // The common prefix of all keys is the common prefix of the smallest and the largest.
  auto [min, max] = std::minmax_element(strings_.begin(), strings_.end());
  std::string_view lo = min->first, hi = max->first;
  size_t common = 0;
  while (common < lo.size() && common < hi.size() && lo[common] == hi[common]) ++common;
  KeyCodec codec(type_, std::string(lo.substr(0, common)));
  std::vector<Entry> entries;
  entries.reserve(strings_.size());
  for (auto& [key, row_id] : strings_) {
    entries.emplace_back(learned::EncodeKeyAfterPrefix(key, codec.string_prefix()), row_id);
  }
  strings_.clear();
  std::sort(entries.begin(), entries.end());
  return {std::move(codec), std::move(entries)};
}

}  // namespace augur::engine::learned_index
