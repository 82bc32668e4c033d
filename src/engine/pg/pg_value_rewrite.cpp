// pg_value_rewrite.cpp: see pg_value_rewrite.h. SimilarToRegex follows PostgreSQL 15's
// similar_escape_internal (src/backend/utils/adt/regexp.c); hand-written because it is that
// function's rules, not a general regex translation.
#include "engine/pg/pg_value_rewrite.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <vector>

#include "common/sql_quoting.h"
#include "engine/pg/pg_numeric_text.h"
#include "engine/pg/pg_time_precision.h"
#include "engine/pg/sql_lexer.h"
#include "engine/pg/sql_tokens.h"

namespace augur::engine {
namespace {

bool IsPlainString(const std::vector<Token>& t, size_t i) {
  return i < t.size() && t[i].kind == Token::kString && t[i].text.size() >= 2 &&
         t[i].text.front() == '\'';
}

// The index of the type name's last token when a type name starts at `i` and names bytea:
// bytea, pg_catalog.bytea, blob. npos otherwise.
size_t ByteaTypeEnd(const std::vector<Token>& t, size_t i) {
  if (Is(t, i, "PG_CATALOG") && IsPunct(t, i + 1, '.')) i += 2;
  if ((Is(t, i, "BYTEA") || Is(t, i, "BLOB")) && !IsPunct(t, i + 1, '[')) return i;
  return std::string_view::npos;
}

// Clauses, as far as the select-list rewrite needs them.
enum class Clause { kOther, kSelectList };

class Rewriter {
 public:
  explicit Rewriter(const LexedStatement& s) : s_(s), t_(s.tokens) {}

  std::string Run(bool& changed) {
    std::vector<Clause> clause{Clause::kOther};  // one per parenthesis depth
    for (size_t i = 0; i < t_.size(); ++i) {
      if (IsPunct(t_, i, '(')) clause.push_back(clause.back());
      if (IsPunct(t_, i, ')') && clause.size() > 1) clause.pop_back();
      if (t_[i].kind == Token::kWord) {
        const std::string& w = t_[i].upper;
        if (w == "SELECT") {
          clause.back() = Clause::kSelectList;
        } else if (w == "FROM" || w == "WHERE" || w == "GROUP" || w == "HAVING" || w == "ORDER" ||
                   w == "LIMIT" || w == "OFFSET" || w == "WINDOW" || w == "INTO" || w == "UNION" ||
                   w == "INTERSECT" || w == "EXCEPT" || w == "VALUES" || w == "RETURNING" ||
                   w == "SET" || w == "ON" || w == "JOIN") {
          clause.back() = Clause::kOther;
        }
      }
      if (IsPlainString(t_, i)) {
        Bytea(i);
        RelativeDateTime(i);
      }
      if ((Is(t_, i, "NUMERIC") || Is(t_, i, "DECIMAL")) && !IsPunct(t_, i + 1, '(') &&
          !(i > 0 && IsPunct(t_, i - 1, '.')) && !IsPunct(t_, i + 1, '.')) {
        // Unconstrained numeric: DuckDB's parser would make it DECIMAL(18,3).
        Replace(Offset(i), End(i), LiteralNumericType(i).value_or(std::string(kUnconstrainedType)));
      }
      if (Is(t_, i, "SIMILAR") && Is(t_, i + 1, "TO")) i = Similar(i + 2);
      if ((Is(t_, i, "LIKE") || Is(t_, i, "ILIKE")) && IsPlainString(t_, i + 1) &&
          !Is(t_, i + 2, "ESCAPE") && t_[i + 1].text.find('\\') != std::string_view::npos) {
        // PostgreSQL's LIKE escapes with a backslash unless told otherwise; DuckDB's has no
        // escape character at all, so 'a\_b' would match "a\xb" rather than "a_b".
        Insert(End(i + 1), " ESCAPE '\\'");
      }
      if (clause.back() == Clause::kSelectList && t_[i].kind == Token::kWord &&
          IsPunct(t_, i + 1, '(') && IsSetReturningInSelectList(t_[i].upper)) {
        SetReturningInSelectList(i);
      }
      if (t_[i].kind == Token::kNumber) i = ExponentLiteral(i);
      if (Is(t_, i, "SUBSTRING") && IsPunct(t_, i + 1, '(') &&
          !(i > 0 && IsPunct(t_, i - 1, '.'))) {
        RegexSubstring(i);
      }
      if (clause.back() == Clause::kSelectList && Is(t_, i, "REGEXP_MATCHES") &&
          IsPunct(t_, i + 1, '(') && !(i > 0 && IsPunct(t_, i - 1, '.'))) {
        RegexpMatchesInSelectList(i);
      }
      if (IsPunct(t_, i, ':') && IsPunct(t_, i + 1, ':')) LengthCast(i);
      if (Is(t_, i, "CAST") && IsPunct(t_, i + 1, '(')) LengthCastAs(i);
      if (Is(t_, i, "EXTRACT") && IsPunct(t_, i + 1, '(') && !(i > 0 && IsPunct(t_, i - 1, '.'))) {
        Extract(i);
      }
      if (Is(t_, i, "TIMESTAMP") || Is(t_, i, "TIMESTAMPTZ") || Is(t_, i, "TIME")) {
        PrecisionLiteral(i);
      }
    }
    LengthColumns();
    if (edits_.empty()) return std::string(s_.text);
    changed = true;
    // By position; at one position an insertion goes before a replacement that starts there
    // ('now'::timestamp(0) wraps the literal that another edit replaces).
    std::stable_sort(edits_.begin(), edits_.end(), [](const Edit& a, const Edit& b) {
      return std::pair(a.begin, a.end != a.begin) < std::pair(b.begin, b.end != b.begin);
    });
    std::string out;
    size_t copied = 0;
    for (const Edit& e : edits_) {
      if (e.begin < copied) continue;  // overlaps an earlier edit
      out.append(s_.text.substr(copied, e.begin - copied));
      out.append(e.with);
      copied = e.end;
    }
    out.append(s_.text.substr(copied));
    return out;
  }

 private:
  struct Edit {
    size_t begin, end;  // byte range of s_.text replaced
    std::string with;
  };

  size_t Offset(size_t token) const { return engine::Offset(s_, token); }
  size_t End(size_t token) const { return Offset(token) + t_[token].text.size(); }
  void Replace(size_t begin, size_t end, std::string with) {
    edits_.push_back({begin, end, std::move(with)});
  }
  void Insert(size_t at, std::string with) { Replace(at, at, std::move(with)); }

  // A literal cast to unconstrained numeric ('12.340'::numeric, 1.50::numeric, CAST('0.0' AS
  // numeric)) keeps the scale it is written with, as PostgreSQL's numeric does: a decimal of
  // that scale rather than augur's fixed unconstrained scale, which prints 12.34. Width 37
  // leaves it out of the trailing-zero trimming of DECIMAL(38, s) (pg_numeric_text.h).
  std::optional<std::string> LiteralNumericType(size_t type_at) const {
    size_t literal = 0;
    if (type_at >= 3 && IsPunct(t_, type_at - 1, ':') && IsPunct(t_, type_at - 2, ':')) {
      literal = type_at - 3;
    } else if (type_at >= 4 && Is(t_, type_at - 1, "AS") && IsPunct(t_, type_at - 3, '(') &&
               Is(t_, type_at - 4, "CAST") && IsPunct(t_, type_at + 1, ')')) {
      literal = type_at - 2;
    } else {
      return std::nullopt;
    }
    std::string text;
    if (t_[literal].kind == Token::kNumber) {
      // The lexer splits 1.50 into "1" "." "50" and 1.5e-7 into "1" "." "5e" "-" "7": the
      // literal is every touching piece before the cast.
      size_t first = literal;
      auto touching = [&](size_t a) {
        return t_[a].text.data() + t_[a].text.size() == t_[a + 1].text.data();
      };
      while (first > 0 && touching(first - 1)) {
        const Token& before = t_[first - 1];
        const bool sign = (IsPunct(t_, first - 1, '-') || IsPunct(t_, first - 1, '+')) &&
                          first >= 2 && touching(first - 2) &&
                          t_[first - 2].kind == Token::kNumber &&
                          (t_[first - 2].text.back() == 'e' || t_[first - 2].text.back() == 'E');
        if (before.kind != Token::kNumber && !IsPunct(t_, first - 1, '.') && !sign) break;
        --first;
      }
      if (first > 0 && touching(first - 1) && t_[first - 1].kind == Token::kWord) {
        return std::nullopt;  // part of a name (x.1?)
      }
      text = std::string(Span(s_, first, literal + 1));
    } else if (IsPlainString(t_, literal)) {
      auto value = StringConstantValue(t_[literal]);
      if (!value) return std::nullopt;
      text = *value;
    } else {
      return std::nullopt;
    }
    int scale = DisplayScaleOf(text);
    NumericShape shape = ShapeOf(text);
    if (!shape.ok || scale < 0 || shape.integer_digits + scale > 37) return std::nullopt;
    return "DECIMAL(37," + std::to_string(scale) + ")";
  }

  // The fractional digits a decimal literal shows as numeric: "1.50" 2, "1.5e-7" 8, "2e2" 0;
  // -1 when the text is not a plain decimal number.
  static int DisplayScaleOf(std::string_view text) {
    size_t i = 0;
    while (i < text.size() && (text[i] == ' ' || text[i] == '+' || text[i] == '-')) ++i;
    long fraction = 0;
    bool digits = false;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i, digits = true;
    if (i < text.size() && text[i] == '.') {
      ++i;
      while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i, ++fraction, digits = true;
    }
    if (!digits) return -1;
    long exponent = 0;
    if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
      ++i;
      bool negative = i < text.size() && text[i] == '-';
      if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
      if (i >= text.size() || text[i] < '0' || text[i] > '9') return -1;
      while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
        if (exponent < 1000) exponent = exponent * 10 + (text[i] - '0');
        ++i;
      }
      if (negative) exponent = -exponent;
    }
    long scale = fraction - exponent;
    return scale < 0 ? 0 : scale > 1000 ? -1 : static_cast<int>(scale);
  }

  // A string literal cast to bytea gets an intermediate ::VARCHAR.
  void Bytea(size_t i) {
    bool cast = IsPunct(t_, i + 1, ':') && IsPunct(t_, i + 2, ':') &&
                ByteaTypeEnd(t_, i + 3) != std::string_view::npos;
    bool cast_as = Is(t_, i + 1, "AS") && ByteaTypeEnd(t_, i + 2) != std::string_view::npos &&
                   i >= 2 && IsPunct(t_, i - 1, '(') && Is(t_, i - 2, "CAST");
    bool typed_literal = i >= 1 && ByteaTypeEnd(t_, i - 1) == i - 1 &&
                         !(i >= 2 && (IsPunct(t_, i - 2, ':') || Is(t_, i - 2, "AS")));
    if (typed_literal) {
      // bytea 'x': drop the type word, cast after the literal.
      size_t type_at = i - 1;
      if (type_at >= 2 && Is(t_, type_at - 2, "PG_CATALOG") && IsPunct(t_, type_at - 1, '.')) {
        type_at -= 2;
      }
      Replace(Offset(type_at), Offset(i), "");
      Insert(End(i), "::VARCHAR::bytea");
    } else if (cast || cast_as) {
      Insert(End(i), "::VARCHAR");
    }
  }

  // The date/time type named at token `i` ("date", "timestamp [with[out] time zone]",
  // "timestamptz"): 'd' date, 't' timestamp, 'z' timestamptz, 0 for another token.
  char DateTimeTypeAt(size_t i, size_t& last) const {
    last = i;
    if (Is(t_, i, "PG_CATALOG") && IsPunct(t_, i + 1, '.')) i += 2, last = i;
    if (Is(t_, i, "DATE")) return 'd';
    if (Is(t_, i, "TIMESTAMPTZ")) return 'z';
    if (!Is(t_, i, "TIMESTAMP")) return 0;
    if (Is(t_, i + 2, "TIME") && Is(t_, i + 3, "ZONE")) {
      last = i + 3;
      if (Is(t_, i + 1, "WITH")) return 'z';
      if (Is(t_, i + 1, "WITHOUT")) return 't';
    }
    return 't';
  }

  // PostgreSQL's special date/time input 'today', 'tomorrow', 'yesterday' and 'now' (DuckDB
  // reads 'epoch' and 'infinity' itself) in '...'::type, CAST('...' AS type) and type '...':
  // the string becomes the expression it stands for, in the session's time zone.
  void RelativeDateTime(size_t i) {
    // Every string literal passes here: look at the short ones only, before decoding.
    if (t_[i].text.size() > 20) return;
    auto value = StringConstantValue(t_[i]);
    if (!value || value->size() > 16) return;
    std::string word;
    for (char c : *value) {
      if (c != ' ' && c != '\t') word.push_back(static_cast<char>(std::tolower(c)));
    }
    int days;
    if (word == "today") {
      days = 0;
    } else if (word == "tomorrow") {
      days = 1;
    } else if (word == "yesterday") {
      days = -1;
    } else if (word == "now") {
      days = 0;
    } else {
      return;
    }
    size_t last = 0;
    char type = 0;
    size_t replace_from = i;
    if (IsPunct(t_, i + 1, ':') && IsPunct(t_, i + 2, ':')) {
      type = DateTimeTypeAt(i + 3, last);
    } else if (Is(t_, i + 1, "AS") && i >= 2 && IsPunct(t_, i - 1, '(') && Is(t_, i - 2, "CAST")) {
      type = DateTimeTypeAt(i + 2, last);
    } else if (i >= 1) {
      // A typed literal: date 'today'. Its type word ends right before the string.
      for (size_t from = i >= 5 ? i - 5 : 0; from < i && !type; ++from) {
        char found = DateTimeTypeAt(from, last);
        if (found && last + 1 == i &&
            !(from > 0 && (IsPunct(t_, from - 1, ':') || Is(t_, from - 1, "AS")))) {
          type = found;
          replace_from = from;
        }
      }
      if (!type) return;
    }
    if (!type) return;
    std::string date = days == 0  ? "current_date"
                       : days > 0 ? "(current_date + 1)"
                                  : "(current_date - 1)";
    std::string with;
    if (word == "now") {
      with = type == 'd' ? "current_date" : type == 't' ? "CAST(now() AS TIMESTAMP)" : "now()";
    } else {
      with = type == 'd' ? date
                         : "CAST(" + date + (type == 't' ? " AS TIMESTAMP)" : " AS TIMESTAMPTZ)");
    }
    Replace(Offset(replace_from), End(i), "(" + with + ")");
  }

  // After SIMILAR TO at token `i`; returns the last token handled.
  size_t Similar(size_t i) {
    if (i >= t_.size()) return i;
    if (IsPlainString(t_, i)) {
      std::optional<char> escape = '\\';
      size_t last = i;
      if (Is(t_, i + 1, "ESCAPE")) {
        if (!IsPlainString(t_, i + 2)) return i;  // DuckDB refuses it: not implemented
        auto e = StringConstantValue(t_[i + 2]);
        if (!e) return i;             // unclosed: DuckDB reports it
        if (e->size() > 1) return i;  // PostgreSQL's error; DuckDB refuses it too
        escape = e->empty() ? std::nullopt : std::optional<char>((*e)[0]);
        last = i + 2;
      }
      auto pattern = StringConstantValue(t_[i]);
      if (!pattern) return i;  // unclosed: DuckDB reports it
      auto regex = SimilarToRegex(*pattern, escape);
      if (!regex) return last;
      Replace(Offset(i), End(last), QuoteLiteral(*regex));
      return last;
    }
    // A column (a or t.a) or a parameter: converted at run time.
    size_t last = i;
    if (t_[i].kind != Token::kWord && t_[i].kind != Token::kQuotedIdent) return i;
    while (IsPunct(t_, last + 1, '.') && last + 2 < t_.size() &&
           (t_[last + 2].kind == Token::kWord || t_[last + 2].kind == Token::kQuotedIdent)) {
      last += 2;
    }
    if (IsPunct(t_, last + 1, '(') || Is(t_, last + 1, "ESCAPE") || IsPunct(t_, last + 1, ':') ||
        IsPunct(t_, last + 1, '|')) {
      return i;
    }
    Insert(Offset(i), "pg_similar_to_regex(");
    Insert(End(last), ")");
    return last;
  }

  // A character type with a length at token `i`: varchar(n), character varying(n), char(n),
  // character(n), bpchar(n). Sets `last` to the closing parenthesis; 0 when it is not one.
  size_t LengthType(size_t i, size_t& last, bool& blank_padded) const {
    size_t open = i + 1;
    blank_padded = false;
    if (Is(t_, i, "VARCHAR")) {
    } else if (Is(t_, i, "CHARACTER") && Is(t_, i + 1, "VARYING")) {
      open = i + 2;
    } else if (Is(t_, i, "CHAR") || Is(t_, i, "CHARACTER") || Is(t_, i, "BPCHAR")) {
      blank_padded = true;
    } else {
      return 0;
    }
    if (!IsPunct(t_, open, '(') || open + 2 >= t_.size() || t_[open + 1].kind != Token::kNumber ||
        !IsPunct(t_, open + 2, ')') || IsPunct(t_, open + 3, '[')) {
      return 0;
    }
    std::string_view digits = t_[open + 1].text;
    if (digits.empty() || digits.size() > 8 ||
        digits.find_first_not_of("0123456789") != std::string_view::npos) {
      return 0;
    }
    last = open + 2;
    return static_cast<size_t>(std::stoul(std::string(digits)));
  }

  // A keyword that may stand before a parenthesized expression ("SELECT (x)::t"), as opposed to a
  // function name ("lower(x)::t").
  bool IsKeywordBeforeParen(size_t i) const {
    static constexpr std::string_view kKeywords[] = {
        "SELECT", "WHERE",   "AND",    "OR",       "NOT",    "ON",        "AS",     "IN",
        "THEN",   "ELSE",    "WHEN",   "CASE",     "BY",     "RETURNING", "VALUES", "SET",
        "FROM",   "HAVING",  "LIKE",   "ILIKE",    "IS",     "DISTINCT",  "ALL",    "ANY",
        "SOME",   "BETWEEN", "USING",  "LIMIT",    "OFFSET", "DEFAULT",   "CHECK",  "WITH",
        "JOIN",   "UNION",   "EXCEPT", "INTERSECT"};
    for (auto k : kKeywords) {
      if (Is(t_, i, k)) return true;
    }
    return false;
  }

  // The first token of the operand of the cast whose "::" starts at token `i`: a literal,
  // parameter, (qualified) name, or a parenthesized expression or function call. npos when it is
  // none of these.
  size_t CastOperandStart(size_t i) const {
    if (i == 0) return std::string_view::npos;
    size_t start = i - 1;
    if (IsPunct(t_, start, ')')) {
      int depth = 0;
      for (size_t k = start + 1; k-- > 0;) {
        if (IsPunct(t_, k, ')')) ++depth;
        if (IsPunct(t_, k, '(') && --depth == 0) {
          start = k;
          break;
        }
        if (k == 0) return std::string_view::npos;
      }
      if (start > 0 && t_[start - 1].kind == Token::kWord && !IsKeywordBeforeParen(start - 1)) {
        --start;  // a function call: f(...)::type
      }
    } else if (t_[start].kind == Token::kWord || t_[start].kind == Token::kQuotedIdent) {
      while (start >= 2 && IsPunct(t_, start - 1, '.') &&
             (t_[start - 2].kind == Token::kWord || t_[start - 2].kind == Token::kQuotedIdent)) {
        start -= 2;
      }
    } else if (t_[start].kind != Token::kString && t_[start].kind != Token::kNumber) {
      return std::string_view::npos;
    }
    return start;
  }

  // x::varchar(n) and x::char(n) truncate to n characters in PostgreSQL; DuckDB drops the
  // length. (char(n)'s blank padding is not reproduced: see docs/COMPATIBILITY.md.)
  // x::timestamp(p) and the other precision types round (pg_time_precision.h).
  void LengthCast(size_t i) {
    size_t last = 0;
    bool padded = false;
    size_t n = LengthType(i + 2, last, padded);
    auto precision = n == 0 ? TimePrecisionAt(t_, i + 2) : std::nullopt;
    if (n == 0 && !precision) return;
    size_t start = CastOperandStart(i);
    if (start == std::string_view::npos) return;
    if (precision) {
      Insert(Offset(start), "pg_round_time(");
      Replace(Offset(i + 2), End(precision->last),
              precision->duck_type + ", " + std::to_string(precision->precision) + ")");
      return;
    }
    Insert(Offset(start), padded ? "pg_bpchar_cut(" : "pg_varchar_cut(");
    Replace(Offset(i + 2), End(last), "VARCHAR, " + std::to_string(n) + ")");
  }

  // EXTRACT(field FROM x) gives numeric in PostgreSQL (pg_extract.h). The field is a word or a
  // string; julian and anything malformed are left to DuckDB.
  void Extract(size_t i) {
    size_t close = Matching(t_, i + 1);
    if (close == t_.size() || close < i + 5 || !Is(t_, i + 3, "FROM")) return;
    std::optional<std::string> field;
    if (t_[i + 2].kind == Token::kWord) {
      field = t_[i + 2].upper;
    } else if (IsPlainString(t_, i + 2)) {
      field = StringConstantValue(t_[i + 2]);
    }
    if (!field) return;
    std::string f;
    for (char c : *field)
      f.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    std::string operand(Span(s_, i + 4, close));
    std::string with;
    if (f == "second" || f == "seconds" || f == "sec" || f == "secs" || f == "s") {
      with = "pg_extract_seconds(" + operand + ")";
    } else if (f == "millisecond" || f == "milliseconds" || f == "ms" || f == "msec" ||
               f == "msecs" || f == "mseconds") {
      with = "pg_extract_milliseconds(" + operand + ")";
    } else if (f == "epoch") {
      with = "pg_extract_epoch(" + operand + ")";
    } else if (f == "julian" ||
               f.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") != std::string::npos) {
      return;
    } else {
      with = "pg_extract_field(" + QuoteLiteral(f) + ", " + operand + ")";
    }
    Replace(Offset(i), End(close), with);
  }

  // timestamp(p) '...' and the other precision types' typed literals: rounded the same way.
  void PrecisionLiteral(size_t i) {
    if (i > 0 && (IsPunct(t_, i - 1, ':') || Is(t_, i - 1, "AS"))) return;
    auto precision = TimePrecisionAt(t_, i);
    if (!precision || !IsPlainString(t_, precision->last + 1)) return;
    Replace(Offset(i), End(precision->last), "pg_round_time(" + precision->duck_type);
    Insert(End(precision->last + 1), ", " + std::to_string(precision->precision) + ")");
  }

  // CAST(x AS varchar(n)): the same, with the whole CAST(...) as the operand.
  void LengthCastAs(size_t i) {
    int depth = 0;
    size_t as = 0;
    for (size_t k = i + 1; k < t_.size(); ++k) {
      if (IsPunct(t_, k, '(')) ++depth;
      if (IsPunct(t_, k, ')') && --depth == 0) {
        size_t last = 0;
        bool padded = false;
        size_t n = as ? LengthType(as + 1, last, padded) : 0;
        auto precision = n == 0 && as ? TimePrecisionAt(t_, as + 1) : std::nullopt;
        if (precision && precision->last + 1 == k) {
          Insert(Offset(i), "pg_round_time(");
          Replace(Offset(as + 1), End(precision->last), precision->duck_type);
          Insert(End(k), ", " + std::to_string(precision->precision) + ")");
          return;
        }
        if (n == 0 || last + 1 != k) return;
        Insert(Offset(i), padded ? "pg_bpchar_cut(" : "pg_varchar_cut(");
        Replace(Offset(as + 1), End(last), "VARCHAR");
        Insert(End(k), ", " + std::to_string(n) + ")");
        return;
      }
      if (depth == 1 && Is(t_, k, "AS")) as = k;
    }
  }

  // CREATE TABLE t (c varchar(n), ...): PostgreSQL refuses longer values with 22001; DuckDB
  // drops the length. Each such column gets CHECK (pg_varchar_fits(c, n, type)), a function
  // that raises PostgreSQL's error (pg_values.cpp).
  void LengthColumns() {
    size_t i = 0;
    if (!Is(t_, i++, "CREATE")) return;
    while (Is(t_, i, "TEMP") || Is(t_, i, "TEMPORARY") || Is(t_, i, "UNLOGGED") ||
           Is(t_, i, "LOCAL") || Is(t_, i, "GLOBAL") ||
           (Is(t_, i, "OR") && Is(t_, i + 1, "REPLACE"))) {
      i += Is(t_, i, "OR") ? 2 : 1;
    }
    if (!Is(t_, i++, "TABLE")) return;
    if (Is(t_, i, "IF") && Is(t_, i + 1, "NOT") && Is(t_, i + 2, "EXISTS")) i += 3;
    while (i < t_.size() && !IsPunct(t_, i, '(')) ++i;
    if (i >= t_.size()) return;
    size_t def = i + 1;  // first token of the current column definition
    int depth = 1;
    for (size_t k = i + 1; k < t_.size() && depth > 0; ++k) {
      if (IsPunct(t_, k, '(')) ++depth;
      bool end = false;
      if (IsPunct(t_, k, ')') && --depth == 0) end = true;
      if (depth == 1 && IsPunct(t_, k, ',')) end = true;
      if (!end) continue;
      bool named =
          def + 1 < k && (t_[def].kind == Token::kWord || t_[def].kind == Token::kQuotedIdent);
      static constexpr std::string_view kTableConstraints[] = {
          "CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN", "EXCLUDE", "LIKE"};
      for (auto word : kTableConstraints) named = named && !Is(t_, def, word);
      size_t last = 0;
      bool padded = false;
      size_t n = named ? LengthType(def + 1, last, padded) : 0;
      if (n > 0) {
        std::string column(t_[def].text);
        Insert(Offset(k), " CHECK (pg_varchar_fits(" + column + ", " + std::to_string(n) + ", '" +
                              (padded ? "character" : "character varying") + "'))");
      }
      auto precision = named && n == 0 ? TimePrecisionAt(t_, def + 1) : std::nullopt;
      if (precision) {
        Replace(Offset(def + 1), End(precision->last), precision->duck_type);
        if (precision->precision < 6) {
          Insert(Offset(k), " CHECK (pg_time_fits(" + std::string(t_[def].text) + ", " +
                                std::to_string(precision->precision) + ", '" + precision->pg_name +
                                "'))");
        }
      }
      def = k + 1;
    }
  }

  // generate_series(...) in a select list returns rows in PostgreSQL; DuckDB's scalar
  // generate_series returns one list, which unnest() turns into rows.
  void SetReturningInSelectList(size_t i) {
    size_t start = i;
    if (i >= 2 && IsPunct(t_, i - 1, '.') && Is(t_, i - 2, "PG_CATALOG")) start = i - 2;
    if (start >= 2 && IsPunct(t_, start - 1, '(') && Is(t_, start - 2, "UNNEST")) return;
    if (start >= 1 && IsPunct(t_, start - 1, '.')) return;  // another schema's function
    size_t close = Matching(t_, i + 1);
    if (close == t_.size()) return;
    Insert(Offset(start), "unnest(");
    Insert(End(close), ")");
  }

  // A number written with an exponent (1e3, 2.5E-2) is numeric in PostgreSQL and DOUBLE in
  // DuckDB, so 0.1e0 + 0.2e0 printed 0.30000000000000004 and 1e3 / 7 was a float. It becomes
  // the same value written out, which DuckDB types DECIMAL with PostgreSQL's display scale;
  // one of scale 0 becomes CAST(n AS DECIMAL(38,0)), the width pg_column_names.cpp knows as
  // this rewrite's (PostgreSQL names the column ?column?, not numeric). A value past 38 digits
  // stays DOUBLE. Returns the last token of the literal.
  size_t ExponentLiteral(size_t first) {
    auto touching = [&](size_t a) {
      return a + 1 < t_.size() && t_[a].text.data() + t_[a].text.size() == t_[a + 1].text.data();
    };
    if (first > 0 && touching(first - 1) && !IsPunct(t_, first - 1, '(') &&
        !IsPunct(t_, first - 1, ',') && !IsPunct(t_, first - 1, '-') &&
        !IsPunct(t_, first - 1, '+') && !IsPunct(t_, first - 1, '*') &&
        !IsPunct(t_, first - 1, '/') && !IsPunct(t_, first - 1, '=') &&
        !IsPunct(t_, first - 1, '<') && !IsPunct(t_, first - 1, '>')) {
      return first;  // the middle of a name or of another literal
    }
    size_t last = first;
    bool exponent = false;
    while (touching(last)) {
      const Token& piece = t_[last];
      const bool after_e =
          piece.kind == Token::kNumber && (piece.text.back() == 'e' || piece.text.back() == 'E');
      const size_t next = last + 1;
      if (t_[next].kind == Token::kNumber || IsPunct(t_, next, '.') ||
          (after_e && (IsPunct(t_, next, '-') || IsPunct(t_, next, '+')))) {
        last = next;
        continue;
      }
      break;
    }
    std::string text(Span(s_, first, last + 1));
    for (char c : text) exponent |= c == 'e' || c == 'E';
    if (!exponent ||
        (last + 1 < t_.size() && touching(last) && t_[last + 1].kind == Token::kWord)) {
      return last;
    }
    std::optional<std::string> plain = PlainDecimal(text);
    if (!plain) return last;
    int scale = DisplayScaleOf(text);
    Replace(Offset(first), End(last),
            scale == 0 ? "CAST(" + *plain + " AS DECIMAL(38,0))" : *plain);
    return last;
  }

  // "1.5e-3" as "0.0015", "2e2" as "200": the digits PostgreSQL's numeric keeps. Nullopt when
  // the text is not such a number or needs more than 38 digits.
  static std::optional<std::string> PlainDecimal(std::string_view text) {
    size_t i = 0;
    std::string digits;
    long fraction = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') digits += text[i++];
    if (i < text.size() && text[i] == '.') {
      ++i;
      while (i < text.size() && text[i] >= '0' && text[i] <= '9') digits += text[i++], ++fraction;
    }
    if (digits.empty() || i >= text.size() || (text[i] != 'e' && text[i] != 'E')) {
      return std::nullopt;
    }
    ++i;
    bool negative = i < text.size() && text[i] == '-';
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    if (i >= text.size()) return std::nullopt;
    long exponent = 0;
    for (; i < text.size(); ++i) {
      if (text[i] < '0' || text[i] > '9') return std::nullopt;
      if (exponent > 1000) return std::nullopt;
      exponent = exponent * 10 + (text[i] - '0');
    }
    if (negative) exponent = -exponent;
    const long shift = exponent - fraction;  // value = digits x 10^shift
    std::string integer, decimals;
    if (shift >= 0) {
      if (shift > 38) return std::nullopt;
      integer = digits + std::string(static_cast<size_t>(shift), '0');
    } else {
      const size_t scale = static_cast<size_t>(-shift);
      if (scale > 38) return std::nullopt;
      if (digits.size() <= scale) digits.insert(0, scale - digits.size() + 1, '0');
      integer = digits.substr(0, digits.size() - scale);
      decimals = digits.substr(digits.size() - scale);
    }
    size_t lead = integer.find_first_not_of('0');
    integer = lead == std::string::npos ? "0" : integer.substr(lead);
    if (integer.size() + decimals.size() > 38) return std::nullopt;
    return decimals.empty() ? integer : integer + "." + decimals;
  }

  // substring(s FROM 'pattern') or substring(s, 'pattern'), the pattern a string literal: the
  // regular-expression form. A pattern given otherwise is read as DuckDB reads it (a position),
  // as PostgreSQL would for an integer.
  void RegexSubstring(size_t i) {
    size_t close = Matching(t_, i + 1);
    if (close == t_.size() || close < i + 4) return;
    size_t pattern = close - 1;
    size_t split = close - 2;
    if (!IsPlainString(t_, pattern) || !(Is(t_, split, "FROM") || IsPunct(t_, split, ','))) return;
    int depth = 0;  // the split must be the call's own FROM or comma, with no other before it
    for (size_t k = i + 2; k < split; ++k) {
      if (IsPunct(t_, k, '(') || IsPunct(t_, k, '[')) ++depth;
      if (IsPunct(t_, k, ')') || IsPunct(t_, k, ']')) --depth;
      if (depth == 0 && (IsPunct(t_, k, ',') || Is(t_, k, "FROM") || Is(t_, k, "FOR"))) return;
    }
    auto value = StringConstantValue(t_[pattern]);
    if (!value) return;
    Replace(Offset(i), End(i), "augur_regex_substring");
    Replace(Offset(split), End(split), ",");
    Insert(End(pattern), CaptureGroups(*value) > 0 ? ", 1" : ", 0");
  }

  // The capture groups of a regular expression: "(" not escaped, not in a bracket expression,
  // not "(?" (non-capturing and the like).
  static int CaptureGroups(std::string_view pattern) {
    int groups = 0;
    bool in_class = false;
    for (size_t k = 0; k < pattern.size(); ++k) {
      char c = pattern[k];
      if (c == '\\') {
        ++k;
      } else if (in_class) {
        if (c == ']') in_class = false;
      } else if (c == '[') {
        in_class = true;
        if (k + 1 < pattern.size() && pattern[k + 1] == ']') ++k;
      } else if (c == '(' && !(k + 1 < pattern.size() && pattern[k + 1] == '?')) {
        ++groups;
      }
    }
    return groups;
  }

  // regexp_matches(s, pattern [, 'g']) in a select list: PostgreSQL's set-returning function,
  // one text[] of the capture groups (the whole match when there are none) per match, no row
  // when nothing matches. DuckDB's regexp_matches is a boolean test, so it becomes an unnest of
  // regexp_extract calls. A pattern that is not a literal (its groups unknown) or other flags
  // fail with 0A000 rather than answer the boolean.
  void RegexpMatchesInSelectList(size_t i) {
    size_t close = Matching(t_, i + 1);
    if (close == t_.size()) return;
    std::vector<std::pair<size_t, size_t>> args;  // token ranges [from, to)
    size_t begin = i + 2;
    int depth = 0;
    for (size_t k = i + 2; k <= close; ++k) {
      if (k < close && (IsPunct(t_, k, '(') || IsPunct(t_, k, '['))) ++depth;
      if (k < close && (IsPunct(t_, k, ')') || IsPunct(t_, k, ']'))) --depth;
      if (depth == 0 && (k == close || IsPunct(t_, k, ','))) {
        args.emplace_back(begin, k);
        begin = k + 1;
      }
    }
    auto literal = [&](size_t a) -> std::optional<std::string> {
      if (args[a].second != args[a].first + 1 || !IsPlainString(t_, args[a].first)) {
        return std::nullopt;
      }
      return StringConstantValue(t_[args[a].first]);
    };
    std::optional<std::string> pattern = args.size() >= 2 ? literal(1) : std::nullopt;
    std::optional<std::string> flags = args.size() == 3 ? literal(2) : std::string();
    if (args.size() < 2 || args.size() > 3 || !pattern || !flags ||
        (*flags != "" && *flags != "g")) {
      Replace(Offset(i), End(close),
              "augur_not_supported('augur supports regexp_matches only with a constant pattern "
              "and no flags other than g')");
      return;
    }
    std::string subject(Span(s_, args[0].first, args[0].second));
    std::string quoted(Span(s_, args[1].first, args[1].second));
    const int groups = CaptureGroups(*pattern);
    auto captures = [&](const std::string& of) {
      std::string list = "[";
      if (groups == 0) list += "regexp_extract(" + of + ", " + quoted + ", 0)";
      for (int g = 1; g <= groups; ++g) {
        if (g > 1) list += ", ";
        list += "regexp_extract(" + of + ", " + quoted + ", " + std::to_string(g) + ")";
      }
      return list + "]";
    };
    std::string with;
    if (flags->empty()) {
      with = "unnest(CASE WHEN regexp_matches(" + subject + ", " + quoted + ") THEN [" +
             captures(subject) + "] ELSE [] END)";
    } else {
      with = "unnest(list_transform(regexp_extract_all(" + subject + ", " + quoted +
             ", 0), augur_match -> " + captures("augur_match") + "))";
    }
    Replace(Offset(i), End(close), with);
  }

  const LexedStatement& s_;
  const std::vector<Token>& t_;
  std::vector<Edit> edits_;
};

}  // namespace

bool IsSetReturningInSelectList(std::string_view function) {
  for (std::string_view name : {"generate_series", "jsonb_array_elements",
                                "jsonb_array_elements_text", "jsonb_object_keys"}) {
    if (function.size() != name.size()) continue;
    bool same = true;
    for (size_t k = 0; k < name.size() && same; ++k) {
      same = std::tolower(static_cast<unsigned char>(function[k])) == name[k];
    }
    if (same) return true;
  }
  return false;
}

std::string RewritePgValues(std::string_view sql) {
  auto statements = Lex(sql);
  bool changed = false;
  std::string out;
  for (size_t i = 0; i < statements.size(); ++i) {
    out += Rewriter(statements[i]).Run(changed);
    if (i + 1 < statements.size()) out += ';';
  }
  return changed ? out : std::string(sql);
}

Result<std::string> SimilarToRegex(std::string_view pattern, std::optional<char> escape) {
  std::string out = "^(?:";
  bool after_escape = false;
  bool in_class = false;
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (after_escape) {
      // PostgreSQL's escape-double-quote marks substring()'s parts; a match ignores them.
      if (c != '"' || in_class) {
        out.push_back('\\');
        out.push_back(c);
      }
      after_escape = false;
    } else if (escape && c == *escape) {
      after_escape = true;
    } else if (in_class) {
      if (c == '\\') out.push_back('\\');
      out.push_back(c);
      if (c == ']') in_class = false;
    } else if (c == '[') {
      out.push_back(c);
      in_class = true;
      // A leading ^ and a ] right after [ (or [^) belong to the class.
      if (i + 1 < pattern.size() && pattern[i + 1] == '^') out.push_back(pattern[++i]);
      if (i + 1 < pattern.size() && pattern[i + 1] == ']') out.push_back(pattern[++i]);
    } else if (c == '%') {
      out += ".*";
    } else if (c == '_') {
      out.push_back('.');
    } else if (c == '(') {
      out += "(?:";
    } else if (c == '\\' || c == '.' || c == '^' || c == '$') {
      out.push_back('\\');
      out.push_back(c);
    } else {
      out.push_back(c);
    }
  }
  // A trailing escape character is dropped, as PostgreSQL 15 does.
  return out + ")$";
}

}  // namespace augur::engine
