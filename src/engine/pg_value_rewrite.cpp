// pg_value_rewrite.cpp: see pg_value_rewrite.h. SimilarToRegex follows PostgreSQL 15's
// similar_escape_internal (src/backend/utils/adt/regexp.c); hand-written because it is that
// function's rules, not a general regex translation.
#include "engine/pg_value_rewrite.h"

#include <vector>

#include "engine/sql_lexer.h"

namespace augur::engine {
namespace {

bool Is(const std::vector<Token>& t, size_t i, std::string_view keyword) {
  return i < t.size() && t[i].kind == Token::kWord && t[i].upper == keyword;
}

bool IsPunct(const std::vector<Token>& t, size_t i, char c) {
  return i < t.size() && t[i].kind == Token::kPunct && t[i].text[0] == c;
}

bool IsPlainString(const std::vector<Token>& t, size_t i) {
  return i < t.size() && t[i].kind == Token::kString && t[i].text.size() >= 2 &&
         t[i].text.front() == '\'';
}

// The value of a '...' literal ('' is one quote).
std::string LiteralValue(std::string_view literal) {
  std::string out;
  for (size_t i = 1; i + 1 < literal.size(); ++i) {
    out.push_back(literal[i]);
    if (literal[i] == '\'' && literal[i + 1] == '\'') ++i;
  }
  return out;
}

std::string Quote(std::string_view value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'') out.push_back('\'');
    out.push_back(c);
  }
  return out + "'";
}

// The index of the type name's last token when a type name starts at `i` and names bytea:
// bytea, pg_catalog.bytea, blob. npos otherwise.
size_t ByteaTypeEnd(const std::vector<Token>& t, size_t i) {
  if (Is(t, i, "PG_CATALOG") && IsPunct(t, i + 1, '.')) i += 2;
  if ((Is(t, i, "BYTEA") || Is(t, i, "BLOB")) && !IsPunct(t, i + 1, '[')) return i;
  return std::string_view::npos;
}

class Rewriter {
 public:
  explicit Rewriter(const LexedStatement& s) : s_(s), t_(s.tokens) {}

  std::string Run(bool& changed) {
    for (size_t i = 0; i < t_.size(); ++i) {
      if (IsPlainString(t_, i)) Bytea(i);
      if (Is(t_, i, "SIMILAR") && Is(t_, i + 1, "TO")) i = Similar(i + 2);
    }
    if (out_.empty() && copied_ == 0) return std::string(s_.text);
    changed = true;
    out_.append(s_.text.substr(copied_));
    return out_;
  }

 private:
  size_t Offset(size_t token) const {
    return static_cast<size_t>(t_[token].text.data() - s_.text.data());
  }
  size_t End(size_t token) const { return Offset(token) + t_[token].text.size(); }

  // Copies the text up to byte `at`, then `with`.
  void Emit(size_t at, std::string_view with) {
    out_.append(s_.text.substr(copied_, at - copied_));
    out_.append(with);
    copied_ = at;
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
      if (Offset(type_at) < copied_) return;
      Emit(Offset(type_at), "");
      copied_ = Offset(i);
      Emit(End(i), "::VARCHAR::bytea");
    } else if (cast || cast_as) {
      Emit(End(i), "::VARCHAR");
    }
  }

  // After SIMILAR TO at token `i`; returns the last token handled.
  size_t Similar(size_t i) {
    if (i >= t_.size() || Offset(i) < copied_) return i;
    if (IsPlainString(t_, i)) {
      std::optional<char> escape = '\\';
      size_t last = i;
      if (Is(t_, i + 1, "ESCAPE")) {
        if (!IsPlainString(t_, i + 2)) return i;  // DuckDB refuses it: not implemented
        std::string e = LiteralValue(t_[i + 2].text);
        if (e.size() > 1) return i;  // PostgreSQL's error; DuckDB refuses it too
        escape = e.empty() ? std::nullopt : std::optional<char>(e[0]);
        last = i + 2;
      }
      auto regex = SimilarToRegex(LiteralValue(t_[i].text), escape);
      if (!regex) return last;  // left to DuckDB, which reads it as a regex: rare, see docs
      Emit(Offset(i), Quote(*regex));
      copied_ = End(last);
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
    Emit(Offset(i), "pg_similar_to_regex(");
    Emit(End(last), ")");
    return last;
  }

  const LexedStatement& s_;
  const std::vector<Token>& t_;
  std::string out_;
  size_t copied_ = 0;
};

}  // namespace

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
