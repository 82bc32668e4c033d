// copy_codec_test.cpp: COPY text/csv parsing and writing, including data split at every byte.
#include "pgwire/copy_codec.h"

#include <gtest/gtest.h>

namespace augur::pgwire {
namespace {

CopyFormat Text() { return CopyFormat{}; }

CopyFormat Csv() {
  CopyFormat f;
  f.kind = CopyFormat::Kind::kCsv;
  f.delimiter = ',';
  f.null_string = "";
  return f;
}

std::string Convert(const CopyFormat& format, size_t columns, std::string_view input,
                    Status* status = nullptr) {
  CopyInConverter converter(format, columns);
  std::string out;
  Status s = converter.Feed(input, out);
  if (s) s = converter.Finish(out);
  if (status) *status = s;
  return out;
}

TEST(CopyIn, TextEscapesAndNulls) {
  std::string out = Convert(Text(), 2, "1\ta\\tb\n2\t\\N\n3\t\\\\N\n4\t\n5\t\\101\\x42c\n");
  EXPECT_EQ(out, "\"1\",\"a\tb\"\n\"2\",\\N\n\"3\",\"\\N\"\n\"4\",\"\"\n\"5\",\"ABc\"\n");
}

TEST(CopyIn, TextEndOfDataMarkerAndMissingFinalNewline) {
  EXPECT_EQ(Convert(Text(), 1, "1\n\\.\nignored\n"), "\"1\"\n");
  EXPECT_EQ(Convert(Text(), 1, "1\n2"), "\"1\"\n\"2\"\n");
}

TEST(CopyIn, CsvQuotingHeaderAndNull) {
  CopyFormat f = Csv();
  f.header = true;
  std::string out =
      Convert(f, 2, "a,b\n1,\"x,y\"\n2,\n3,\"\"\n4,\"say \"\"hi\"\"\"\n5,\"two\nlines\"\n");
  EXPECT_EQ(
      out,
      "\"1\",\"x,y\"\n\"2\",\\N\n\"3\",\"\"\n\"4\",\"say \"\"hi\"\"\"\n\"5\",\"two\nlines\"\n");
}

TEST(CopyIn, WrongColumnCountNamesTheLine) {
  Status status;
  Convert(Text(), 2, "1\ta\n2\n", &status);
  ASSERT_FALSE(status.has_value());
  EXPECT_EQ(status.error().sqlstate, "22P04");
  EXPECT_NE(status.error().detail.find("line 2"), std::string::npos);
  Convert(Csv(), 1, "1,2\n", &status);
  ASSERT_FALSE(status.has_value());
  EXPECT_NE(status.error().message.find("extra data"), std::string::npos);
}

TEST(CopyIn, UnterminatedQuoteIsAnError) {
  Status status;
  Convert(Csv(), 1, "\"open\n", &status);
  EXPECT_FALSE(status.has_value());
}

// Splitting the input at any byte gives the same output as feeding it whole.
TEST(CopyIn, ChunkBoundariesDoNotMatter) {
  const std::string text = "1\ta\\tb\\101\n2\t\\N\n";
  const std::string csv = "1,\"x,\"\"y\"\"\"\n2,\n";
  for (auto [format, input] : {std::pair{Text(), text}, std::pair{Csv(), csv}}) {
    std::string whole = Convert(format, 2, input);
    for (size_t cut = 0; cut <= input.size(); ++cut) {
      CopyInConverter converter(format, 2);
      std::string out;
      ASSERT_TRUE(converter.Feed(std::string_view(input).substr(0, cut), out).has_value());
      ASSERT_TRUE(converter.Feed(std::string_view(input).substr(cut), out).has_value());
      ASSERT_TRUE(converter.Finish(out).has_value());
      EXPECT_EQ(out, whole) << "cut at " << cut;
    }
  }
}

TEST(CopyOut, TextAndCsvRows) {
  RowBatch batch(3);
  batch.AppendCell("a\tb");
  batch.AppendNull();
  batch.AppendCell("");
  std::string text;
  AppendCopyRow(batch, 0, Text(), text);
  EXPECT_EQ(text, "a\\tb\t\\N\t\n");
  std::string csv;
  AppendCopyRow(batch, 0, Csv(), csv);
  EXPECT_EQ(csv, "a\tb,,\"\"\n");
}

}  // namespace
}  // namespace augur::pgwire
