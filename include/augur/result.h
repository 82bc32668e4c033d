// augur/result.h: Result<T>, a value or an Error.
//
// Written here because tl::expected is not packaged for Debian 12 and std::expected needs C++23.
// It is the subset augur uses: construction from a value or an Error, has_value/operator bool,
// value()/operator*/operator->, error(). Accessing the wrong side is a programming error and
// aborts (it is checked, not undefined).
#pragma once

#include <cstdlib>
#include <type_traits>
#include <utility>
#include <variant>

#include "augur/error.h"

namespace augur {

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}  // NOLINT: implicit on purpose
  Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool has_value() const { return v_.index() == 0; }
  explicit operator bool() const { return has_value(); }

  T& value() & {
    Check(true);
    return std::get<0>(v_);
  }
  const T& value() const& {
    Check(true);
    return std::get<0>(v_);
  }
  T&& value() && {
    Check(true);
    return std::get<0>(std::move(v_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  Error& error() & {
    Check(false);
    return std::get<1>(v_);
  }
  const Error& error() const& {
    Check(false);
    return std::get<1>(v_);
  }
  Error&& error() && {
    Check(false);
    return std::get<1>(std::move(v_));
  }

 private:
  void Check(bool want_value) const {
    if (has_value() != want_value) std::abort();
  }
  std::variant<T, Error> v_;
};

// Result<void>: success carries nothing.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT

  bool has_value() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const& {
    if (ok_) std::abort();
    return error_;
  }
  Error&& error() && {
    if (ok_) std::abort();
    return std::move(error_);
  }

 private:
  Error error_;
  bool ok_ = true;
};

using Status = Result<void>;

}  // namespace augur
