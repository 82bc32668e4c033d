// clustered_index.cpp: see clustered_index.h.
#include "learned/clustered_index.h"

#include <algorithm>
#include <mutex>

namespace augur::learned {

std::vector<bool> ClusteredIndex::ChainMembers(std::span<const Entry> sorted) {
  std::vector<bool> member(sorted.size(), false);
  bool started = false;
  uint64_t last = 0;
  for (size_t i = 0; i < sorted.size(); ++i) {
    const uint64_t row_id = sorted[i].second;
    if (started && row_id < last) continue;
    // A row far ahead of the rows that follow it in key order (most of the next kLookahead
    // have smaller row ids) would end the chain for all of them: leave it out instead.
    size_t following = 0, behind = 0;
    for (size_t j = i + 1; j < sorted.size() && j <= i + kLookahead; ++j, ++following) {
      behind += sorted[j].second < row_id ? 1 : 0;
    }
    if (2 * behind > following) continue;
    member[i] = true;
    started = true;
    last = row_id;
  }
  return member;
}

std::unique_ptr<ClusteredIndex> ClusteredIndex::TryBuild(std::span<const Entry> sorted,
                                                         LearnedIndexOptions options,
                                                         double max_exception_share) {
  std::vector<bool> member = ChainMembers(sorted);
  const size_t chain = static_cast<size_t>(std::count(member.begin(), member.end(), true));
  const size_t exceptions = sorted.size() - chain;
  if (sorted.empty() ||
      static_cast<double>(exceptions) > max_exception_share * static_cast<double>(sorted.size())) {
    return nullptr;
  }
  auto index = std::make_unique<ClusteredIndex>(options);
  std::vector<Entry> outliers;
  outliers.reserve(exceptions);
  for (size_t i = 0; i < sorted.size(); ++i) {
    if (member[i]) {
      index->ExtendChainLocked(sorted[i].first, sorted[i].second);  // not shared yet
    } else {
      outliers.push_back(sorted[i]);
    }
  }
  index->exceptions_ = std::make_shared<UpdatableIndex>(std::move(outliers), options);
  index->MeasureModels(sorted, member);
  return index;
}

void ClusteredIndex::MeasureModels(std::span<const Entry> sorted, const std::vector<bool>& member) {
  // The models' points, as ExtendChainLocked made them: each distinct chain key but the tail's,
  // with its first and its last chain row id.
  auto each_point = [&](bool first_rows) {
    return [&, first_rows](auto&& measure) {
      size_t i = 0;
      while (i < sorted.size() && !member[i]) ++i;
      while (i < sorted.size()) {
        const uint64_t key = sorted[i].first;
        const uint64_t first = sorted[i].second;
        uint64_t last = first;
        size_t j = i + 1;
        for (; j < sorted.size() && (!member[j] || sorted[j].first == key); ++j) {
          if (member[j]) last = sorted[j].second;
        }
        if (j == sorted.size()) return;  // the tail: not in the models
        measure(key, first_rows ? first : last);
        i = j;
      }
    };
  };
  first_row_.MeasureEach(each_point(true));
  last_row_.MeasureEach(each_point(false));
}

ClusteredIndex::ClusteredIndex(LearnedIndexOptions options)
    : first_row_(options.epsilon),
      last_row_(options.epsilon),
      exceptions_(std::make_shared<UpdatableIndex>(std::vector<Entry>{}, options)) {}

bool ClusteredIndex::ExtendChainLocked(uint64_t key, uint64_t row_id) {
  if (!has_chain_) {
    has_chain_ = true;
    tail_key_ = key;
    tail_first_ = tail_last_ = row_id;
  } else if (row_id <= tail_last_ || key < tail_key_) {
    return false;
  } else if (key == tail_key_) {
    tail_last_ = row_id;
  } else {
    first_row_.Add(tail_key_, tail_first_);
    last_row_.Add(tail_key_, tail_last_);
    tail_key_ = key;
    tail_first_ = tail_last_ = row_id;
  }
  ++chain_rows_;
  return true;
}

void ClusteredIndex::Insert(uint64_t key, uint64_t row_id) {
  Entry entry{key, row_id};
  InsertBatch({&entry, 1});
}

void ClusteredIndex::InsertBatch(std::span<const Entry> entries) {
  std::vector<Entry> outliers;
  {
    std::unique_lock lock(mu_);
    for (const auto& [key, row_id] : entries) {
      if (!ExtendChainLocked(key, row_id)) outliers.emplace_back(key, row_id);
    }
  }
  if (!outliers.empty()) exceptions_->InsertBatch(outliers);
}

void ClusteredIndex::Erase(uint64_t key, uint64_t row_id) {
  // A chain row is left where it is: the windows may include a deleted row, and the reader's
  // snapshot hides it. Only the count goes.
  if (exceptions_->Erase(key, row_id)) return;
  std::unique_lock lock(mu_);
  if (chain_rows_ > 0) --chain_rows_;
}

std::optional<ClusteredIndex::Window> ClusteredIndex::ChainWindowLocked(uint64_t lo,
                                                                        uint64_t hi) const {
  if (!has_chain_ || lo > hi || lo > tail_key_) return std::nullopt;
  const uint64_t chain_first_key = first_row_.empty() ? tail_key_ : first_row_.first_x();
  if (hi < chain_first_key) return std::nullopt;
  // First row: the models hold every distinct key but the tail's.
  uint64_t first = tail_first_;
  if (!first_row_.empty() && lo <= first_row_.last_x()) first = *first_row_.LowerBoundY(lo);
  // Last row.
  uint64_t last = tail_last_;
  if (hi < tail_key_) last = *last_row_.UpperBoundY(hi);  // hi >= the chain's first key
  if (first > last) return std::nullopt;
  return Window{first, last};
}

void ClusteredIndex::Lookup(uint64_t lo, uint64_t hi, std::vector<Window>& windows,
                            std::vector<uint64_t>& exception_row_ids) const {
  {
    std::shared_lock lock(mu_);
    if (auto window = ChainWindowLocked(lo, hi)) windows.push_back(*window);
  }
  size_t start = exception_row_ids.size();
  for (const auto& entry : exceptions_->Range(lo, hi)) exception_row_ids.push_back(entry.second);
  std::sort(exception_row_ids.begin() + static_cast<std::ptrdiff_t>(start),
            exception_row_ids.end());
}

size_t ClusteredIndex::Count(uint64_t lo, uint64_t hi) const {
  size_t count = exceptions_->Count(lo, hi);
  std::shared_lock lock(mu_);
  auto window = ChainWindowLocked(lo, hi);
  if (!window) return count;
  // The window with its error margins taken off: the guesses of the first row at or after lo
  // and of the last row at or before hi.
  uint64_t first = window->first, last = window->last;
  if (!first_row_.empty() && lo > first_row_.first_x() && lo <= first_row_.last_x()) {
    // The first row at or after lo is about the last row before it, plus one.
    if (auto guess = last_row_.EstimateY(lo - 1)) first = std::max(first, *guess + 1);
  }
  if (hi < tail_key_ && !last_row_.empty()) {
    if (auto guess = last_row_.EstimateY(hi)) last = std::min(last, *guess);
  }
  return count + (first <= last ? last - first + 1 : 0);
}

ClusteredIndex::Stats ClusteredIndex::GetStats() const {
  Stats stats;
  auto exceptions = exceptions_->GetStats();
  std::shared_lock lock(mu_);
  stats.chain_rows = chain_rows_;
  stats.exceptions = exceptions.keys;
  stats.segments = first_row_.segments() + last_row_.segments();
  stats.model_bytes = first_row_.bytes() + last_row_.bytes();
  stats.total_bytes = sizeof(*this) + stats.model_bytes + exceptions.total_bytes;
  return stats;
}

}  // namespace augur::learned
