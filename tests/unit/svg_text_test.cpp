// Escaping, coordinates and people's numbers for the SVG chart writer.

#include <gtest/gtest.h>

#include "svg/markup.hpp"
#include "svg/numbers.hpp"

using namespace kpi::svg;

TEST(SvgMarkup, EscapesEveryCharacterThatCouldOpenMarkup) {
    EXPECT_EQ(escape("<script>alert(\"x\")</script> & 'y'"),
              "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;");
    EXPECT_EQ(escape("Zürich, Genève"), "Zürich, Genève");
    EXPECT_EQ(escape(std::string("a\x01" "b\x7f" "c\td\n", 8)), "a\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c\td\n");
}

TEST(SvgMarkup, CoordinatesAreShort) {
    EXPECT_EQ(coord(12), "12");
    EXPECT_EQ(coord(12.5), "12.5");
    EXPECT_EQ(coord(0.254), "0.25");
    EXPECT_EQ(coord(-0.001), "0");
    EXPECT_EQ(coord(-3.456), "-3.46");
}

TEST(SvgMarkup, TruncatesOnCodePointsWithAnEllipsis) {
    EXPECT_EQ(text_length("Genève"), 6u);
    EXPECT_EQ(truncate_text("Genève", 6), "Genève");
    EXPECT_EQ(truncate_text("Genève", 5), "Genè\xE2\x80\xA6");
    EXPECT_EQ(truncate_text("Genève", 4), "Gen\xE2\x80\xA6");
    EXPECT_EQ(text_length(truncate_text("日本語のサイト名", 4)), 4u);
    EXPECT_GT(text_width("wide label", 12), text_width("w", 12));
}

TEST(SvgNumbers, ThousandsSeparators) {
    EXPECT_EQ(format_integer(0), "0");
    EXPECT_EQ(format_integer(999), "999");
    EXPECT_EQ(format_integer(1000), "1,000");
    EXPECT_EQ(format_integer(2345678), "2,345,678");
    EXPECT_EQ(format_integer(-1234567), "-1,234,567");
    EXPECT_EQ(format_number(1234567.891, 2), "1,234,567.89");
    EXPECT_EQ(format_number(-0.0001, 2), "0.00");
}

TEST(SvgNumbers, SignificantDigitsWithoutTrailingZeros) {
    EXPECT_EQ(format_significant(1234.6), "1,235");
    EXPECT_EQ(format_significant(12.34), "12.3");
    EXPECT_EQ(format_significant(0.06234), "0.0623");
    EXPECT_EQ(format_significant(5.0), "5");
    EXPECT_EQ(format_significant(0), "0");
    EXPECT_EQ(format_trimmed(99.96, 2), "99.96");
    EXPECT_EQ(format_trimmed(100.0, 2), "100");
}

TEST(SvgNumbers, DecimalsForTickSteps) {
    EXPECT_EQ(decimals_for_step(5), 0);
    EXPECT_EQ(decimals_for_step(0.5), 1);
    EXPECT_EQ(decimals_for_step(0.25), 2);
    EXPECT_EQ(decimals_for_step(0.1 + 0.2), 1);
    EXPECT_EQ(decimals_for_step(2000), 0);
}
