// packed_slots.cpp
#include "learned/packed_slots.h"

#include <algorithm>
#include <bit>

namespace augur::learned {

namespace {

// Bits needed to hold every value in [0, spread].
unsigned WidthOf(uint64_t spread) { return static_cast<unsigned>(std::bit_width(spread)); }

// ORs the low `width` bits of `value` into `bits` at bit `bit` (the bytes there are zero).
void WriteBits(uint8_t* bits, size_t bit, unsigned width, uint64_t value) {
  if (width == 0) return;
  if (width < 64) value &= (uint64_t{1} << width) - 1;
  unsigned __int128 word;
  std::memcpy(&word, bits + bit / 8, sizeof(word));
  word |= static_cast<unsigned __int128>(value) << (bit % 8);
  std::memcpy(bits + bit / 8, &word, sizeof(word));
}

}  // namespace

void PackedSlots::Reserve(size_t slots, unsigned bits_per_slot) {
  headers_.reserve(slots / kBlockSlots + 1);
  bits_.reserve(slots * bits_per_slot / 8 + kTailBytes);
}

void PackedSlots::FlushBlock() {
  if (pending_ == 0) return;
  const uint64_t first_key = pending_keys_[0];
  const uint64_t last_key = pending_keys_[pending_ - 1];  // keys do not decrease
  const auto [min_payload, max_payload] =
      std::minmax_element(pending_payloads_, pending_payloads_ + pending_);
  const unsigned key_width = WidthOf(last_key - first_key);
  const unsigned payload_width = WidthOf(*max_payload - *min_payload);
  Header header{};
  header.first_key = first_key;
  header.min_payload = *min_payload;
  header.bit_offset = bit_end_;
  header.key_width = key_width;
  header.payload_width = payload_width;
  headers_.push_back(header);

  const size_t block_bits = pending_ * (key_width + payload_width);
  const size_t old_bytes = bits_.size();
  const size_t new_bytes = (bit_end_ + block_bits + 7) / 8 + kTailBytes;
  if (new_bytes > old_bytes) {
    if (new_bytes > bits_.capacity()) {
      bits_.reserve(std::max(new_bytes, bits_.capacity() + bits_.capacity() / 2));
    }
    bits_.resize(new_bytes);  // the allocator leaves new bytes uninitialised: zero them
    std::memset(bits_.data() + old_bytes, 0, new_bytes - old_bytes);
  }
  uint8_t* bits = bits_.data();
  size_t bit = bit_end_;
  for (size_t i = 0; i < pending_; ++i) {
    WriteBits(bits, bit, key_width, pending_keys_[i] - first_key);
    WriteBits(bits, bit + key_width, payload_width, pending_payloads_[i] - *min_payload);
    bit += key_width + payload_width;
  }
  bit_end_ = bit;
  size_ += pending_;
  pending_ = 0;
}

void PackedSlots::Seal() {
  FlushBlock();
  if (bits_.empty()) bits_.assign(kTailBytes, 0);
  // Growth leaves up to half the array unused; one copy of the packed bits gives it back.
  if (bits_.capacity() > bits_.size() + bits_.size() / 16) bits_.shrink_to_fit();
  headers_.shrink_to_fit();
}

}  // namespace augur::learned
