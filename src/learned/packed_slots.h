// packed_slots.h: an append-only array of (key, payload) slots with non-decreasing keys, stored
// bit-packed in blocks of 64 slots; GappedRun's storage.
//
// Why: a slot of two 64-bit words costs 16 bytes, and a gapped run 1.2 slots per entry: 19.4
// bytes per key in all, more than DuckDB's ART (16.3 at 10M BIGINT keys). Neither word needs 64
// bits. Inside a block of 64 slots keys are sorted, so each is stored as its offset from the
// block's first key in just the bits the block's largest offset needs (64 keys 2 apart: 7 bits);
// payloads (row ids) as their offset from the block's smallest payload, in the bits the block's
// spread needs (a table's row ids: 24 bits at 10M rows, fewer when they are clustered). A block
// header of 24 bytes holds the first key, the smallest payload, where its bits start and the two
// widths. Key and payload bits of a slot are adjacent, so one cache line read usually serves both.
// Widths are per block, so one wide block (the end marker's, or a jump in the keys) costs only
// itself.
//
// Reading a slot is a header read plus one unaligned 16-byte load and a shift: random access, no
// decoding of neighbours, so GappedRun's search from its predicted slot is unchanged.
//
// Thread safety: const methods may be called from many threads at once; Append and Seal only by
// the one thread building the array, before it is shared.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "learned/huge_page_allocator.h"

namespace augur::learned {

class PackedSlots {
 public:
  static constexpr size_t kBlockSlots = 64;

  PackedSlots() = default;

  // Appends a slot; keys must not decrease. Slots become readable once their block is full or
  // after Seal().
  void Append(uint64_t key, uint64_t payload) {
    pending_keys_[pending_] = key;
    pending_payloads_[pending_] = payload;
    if (++pending_ == kBlockSlots) FlushBlock();
  }
  // Makes every appended slot readable. Appending after Seal is not allowed.
  void Seal();
  // Reserves room for about `slots` slots of `bits_per_slot` bits.
  void Reserve(size_t slots, unsigned bits_per_slot);

  size_t size() const { return size_; }

  uint64_t key(size_t slot) const {
    const Header& h = headers_[slot / kBlockSlots];
    const size_t bit = h.bit_offset + (slot % kBlockSlots) * (h.key_width + h.payload_width);
    return h.first_key + ReadBits(bit, h.key_width);
  }
  uint64_t payload(size_t slot) const {
    const Header& h = headers_[slot / kBlockSlots];
    const size_t bit =
        h.bit_offset + (slot % kBlockSlots) * (h.key_width + h.payload_width) + h.key_width;
    return h.min_payload + ReadBits(bit, h.payload_width);
  }

  // Headers and bits held (capacity, not just what is used: it is memory all the same).
  size_t MemoryBytes() const {
    return headers_.capacity() * sizeof(Header) + bits_.capacity() * sizeof(uint8_t);
  }

 private:
  struct Header {
    uint64_t first_key;
    uint64_t min_payload;
    uint64_t bit_offset : 48;  // into bits_: 2^32 slots of at most 128 bits fit in 2^39
    uint64_t key_width : 8;    // 0 to 64
    uint64_t payload_width : 8;
  };
  static_assert(sizeof(Header) == 24);
  // Bytes kept after the last bit so that ReadBits's 16-byte load stays inside the array.
  static constexpr size_t kTailBytes = 16;

  uint64_t ReadBits(size_t bit, unsigned width) const {
    unsigned __int128 word;
    std::memcpy(&word, bits_.data() + bit / 8, sizeof(word));
    const auto value = static_cast<uint64_t>(word >> (bit % 8));
    return width >= 64 ? value : value & ((uint64_t{1} << width) - 1);
  }
  void FlushBlock();

  std::vector<Header> headers_;
  std::vector<uint8_t, HugePageAllocator<uint8_t>> bits_;
  size_t bit_end_ = 0;  // bits written so far
  size_t size_ = 0;     // slots in full or sealed blocks
  uint64_t pending_keys_[kBlockSlots];
  uint64_t pending_payloads_[kBlockSlots];
  size_t pending_ = 0;
};

}  // namespace augur::learned
