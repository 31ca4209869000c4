// A refactoring guard for the HTML tokenizer: the token stream (kind, begin, raw size,
// name) of every page kpi has a recording of must stay what it was.
//
// tests/unit/html_tokens_golden.tsv was made by the tokenizer of commit f5cbe34 (main
// before the tokenizer's speed-up of issue 11), from the pages it lists: every file of
// lib/sources/datacite/testdata (the datacite fuzz targets' fixture seeds), the seeds of
// tests/fuzz/corpus/datacite_report and datacite_index, and every lib/**/testdata/*.html.
// Each line holds a file's token count and a hash of its token stream, and for files up to
// 16 KiB a hash of the streams of all its prefixes and of all its suffixes (pages cut
// anywhere: inside tags, quotes, comments, references).
//
// The correctness oracles stay the other tests (html_tokens_test, and the datacite rows
// read by gumbo's tree in report_2018-06.rows.tsv); this only says that a faster tokenizer
// returns the very same tokens. A deliberate change of the tokens is the only reason to
// regenerate it, from the repository's root:
//   KPI_WRITE_TOKEN_DIGEST=1 build/tests/kpi_unit_tests --gtest_filter='HtmlTokensGolden.*'

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "formats/html_tokens.hpp"

namespace {

namespace fs = std::filesystem;
using kpi::html::Token;
using kpi::html::TokenKind;
using kpi::html::Tokenizer;

constexpr std::size_t kCutLimit = 16 * 1024;  // files whose every prefix and suffix is tokenized too
const std::string kDigestFile = "tests/unit/html_tokens_golden.tsv";

// FNV-1a, 64 bits, over bytes; a number is mixed in as one word (this test runs unoptimised).
struct Hash {
    std::uint64_t value = 0xcbf29ce484222325ULL;
    void bytes(const void* data, std::size_t n) {
        const auto* p = static_cast<const unsigned char*>(data);
        for (std::size_t i = 0; i < n; ++i) value = (value ^ p[i]) * 0x100000001b3ULL;
    }
    void number(std::uint64_t n) {
        value = (value ^ n) * 0x100000001b3ULL;
        value ^= value >> 29;
    }
};

// Hashes the token stream of `page` into `hash`; returns the number of tokens.
std::size_t hash_tokens(std::string_view page, Hash& hash) {
    Tokenizer tokens(page);
    std::size_t count = 0;
    for (Token t = tokens.next(); t.kind != TokenKind::End; t = tokens.next()) {
        ++count;
        hash.number(static_cast<std::uint64_t>(t.kind));
        hash.number(t.begin);
        hash.number(static_cast<std::uint64_t>(t.raw.data() - page.data()));  // raw lies at begin
        hash.number(t.raw.size());
        hash.number(t.name.size());
        hash.bytes(t.name.data(), t.name.size());
    }
    hash.number(tokens.offset());
    return count;
}

std::string hex(std::uint64_t n) {
    std::ostringstream out;
    out << std::hex << n;
    return out.str();
}

// "count<TAB>stream hash<TAB>prefixes hash<TAB>suffixes hash" ("-" for files past kCutLimit).
std::string digest(const std::string& page) {
    Hash whole;
    const std::size_t count = hash_tokens(page, whole);
    std::string prefixes = "-", suffixes = "-";
    if (page.size() <= kCutLimit) {
        Hash p, s;
        const std::string_view view(page);
        for (std::size_t n = 0; n <= page.size(); ++n) {
            hash_tokens(view.substr(0, n), p);
            hash_tokens(view.substr(n), s);
        }
        prefixes = hex(p.value);
        suffixes = hex(s.value);
    }
    return std::to_string(count) + "\t" + hex(whole.value) + "\t" + prefixes + "\t" + suffixes;
}

std::string read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path.string());
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

const fs::path kRoot(KPI_SOURCE_DIR);

// The pages the digest covers, relative to the repository's root, sorted.
std::vector<std::string> pages_to_record() {
    std::vector<std::string> out;
    auto add_folder = [&](const fs::path& folder, bool html_only) {
        if (!fs::is_directory(kRoot / folder)) return;
        for (const auto& entry : fs::directory_iterator(kRoot / folder)) {
            if (!entry.is_regular_file()) continue;
            if (html_only && entry.path().extension() != ".html") continue;
            out.push_back(fs::relative(entry.path(), kRoot).string());
        }
    };
    add_folder("lib/sources/datacite/testdata", false);
    add_folder("tests/fuzz/corpus/datacite_report", false);
    add_folder("tests/fuzz/corpus/datacite_index", false);
    for (const auto& kind : {"lib/sources", "lib/sinks"}) {
        for (const auto& plugin : fs::directory_iterator(kRoot / kind)) {
            add_folder(fs::relative(plugin.path() / "testdata", kRoot), true);
        }
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

}  // namespace

TEST(HtmlTokensGolden, TokenStreamsAreThoseOfTheTokenizerBeforeTheSpeedUp) {
    if (std::getenv("KPI_WRITE_TOKEN_DIGEST")) {
        std::ofstream out(kRoot / kDigestFile, std::ios::binary);
        out << "# path\ttokens\tstream\tprefixes\tsuffixes (see tests/unit/html_tokens_golden_test.cpp)\n";
        for (const auto& page : pages_to_record()) out << page << "\t" << digest(read(kRoot / page)) << "\n";
        GTEST_SKIP() << "wrote " << kDigestFile;
    }
    std::istringstream lines(read(kRoot / kDigestFile));
    std::size_t checked = 0;
    for (std::string line; std::getline(lines, line);) {
        if (line.empty() || line[0] == '#') continue;
        const auto tab = line.find('\t');
        ASSERT_NE(tab, std::string::npos) << line;
        const std::string page = line.substr(0, tab);
        EXPECT_EQ(digest(read(kRoot / page)), line.substr(tab + 1)) << page;
        ++checked;
    }
    EXPECT_GE(checked, 20U) << "the digest lists too few pages";
}
