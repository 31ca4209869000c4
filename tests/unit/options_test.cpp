#include <gtest/gtest.h>

#include <cstdlib>

#include "commands/shard.hpp"
#include "core/errors.hpp"
#include "core/options.hpp"
#include "support/run_kpi.hpp"

using namespace kpi;

TEST(Options, ValidateChecksKindsChoicesAndRepetition) {
    std::vector<OptionSpec> specs{
        {.name = "window", .kind = OptionKind::Duration, .repeatable = true},
        {.name = "mode", .kind = OptionKind::String, .default_value = "report", .choices = {"report", "api"}},
        {.name = "site-id", .kind = OptionKind::Integer},
    };
    OptionValues ok;
    ok.add("window", "1d", "--window");
    ok.add("window", "7d", "--window");
    ok.validate(specs);
    EXPECT_EQ(*ok.get("mode"), "report");

    OptionValues bad_choice;
    bad_choice.add("mode", "html", "--mode");
    EXPECT_THROW(bad_choice.validate(specs), UsageError);

    OptionValues twice;
    twice.add("site-id", "1", "--site-id");
    twice.add("site-id", "2", "--site-id");
    EXPECT_THROW(twice.validate(specs), UsageError);

    OptionValues not_int;
    not_int.add("site-id", "1x", "kpi.toml:3: site_id");
    try {
        not_int.validate(specs);
        FAIL() << "expected an error";
    } catch (const UsageError& e) {
        EXPECT_NE(std::string(e.what()).find("kpi.toml:3: site_id: \"1x\" is not an integer"), std::string::npos)
            << e.what();
    }
}

TEST(Options, SecretsComeFromEnvOrFileWithoutTrailingNewline) {
    test::TempDir dir;
    std::vector<OptionSpec> specs{{.name = "api-key", .kind = OptionKind::Secret}};
    OptionValues from_file;
    from_file.add("api-key-file", dir.write("key", "s3cret\n"), "--api-key-file");
    from_file.validate(specs);
    EXPECT_EQ(*from_file.secret("api-key"), "s3cret");

    setenv("KPI_TEST_KEY", "from-env", 1);
    OptionValues from_env;
    from_env.add("api-key-env", "KPI_TEST_KEY", "--api-key-env");
    EXPECT_EQ(*from_env.secret("api-key"), "from-env");

    OptionValues both;
    both.add("api-key-env", "KPI_TEST_KEY", "--api-key-env");
    both.add("api-key-file", "/x", "--api-key-file");
    EXPECT_THROW(both.validate(specs), UsageError);

    OptionValues missing_file;
    missing_file.add("api-key-file", dir.file("absent"), "--api-key-file");
    EXPECT_THROW(missing_file.secret("api-key"), RuntimeError);
}

TEST(Options, ASecretFileLargerThanASecretIsAClearErrorNotReadWhole) {
    test::TempDir dir;
    const std::string just_fits(kMaxSecretFileBytes, 'k');
    OptionValues fits;
    fits.add("api-key-file", dir.write("fits", just_fits + "\n"), "--api-key-file");
    EXPECT_EQ(*fits.secret("api-key"), just_fits);

    for (const std::string& path : {dir.write("log", std::string(kMaxSecretFileBytes + 1, 'k')),
                                    std::string("/dev/zero")}) {
        OptionValues too_large;
        too_large.add("api-key-file", path, "kpi.toml:7: api_key_file");
        try {
            too_large.secret("api-key");
            FAIL() << path << " was read as a secret";
        } catch (const RuntimeError& e) {
            EXPECT_EQ(std::string(e.what()), "kpi.toml:7: api_key_file: secret file " + path + " is larger than " +
                                                 std::to_string(kMaxSecretFileBytes) +
                                                 " bytes, too large for a key, token or password");
        }
    }
}

TEST(Options, AMissingRequiredOptionIsNamedAsTheCommandLineWritesIt) {
    std::vector<OptionSpec> specs{{.name = "path", .kind = OptionKind::String, .required = true},
                                  {.name = "api-key", .kind = OptionKind::Secret, .required = true}};
    OptionValues none;
    try {
        none.validate(specs);
        FAIL() << "expected an error";
    } catch (const UsageError& e) {
        EXPECT_STREQ(e.what(), "missing required option --path");
    }
    none.add("path", "x", "--path");
    try {
        none.validate(specs);
        FAIL() << "expected an error";
    } catch (const UsageError& e) {
        EXPECT_STREQ(e.what(), "missing required option --api-key-env or --api-key-file");
    }
}

TEST(Shard, ParsesAndSplitsEverySourceIntoExactlyOneShard) {
    EXPECT_THROW(parse_shard("4/4"), UsageError);
    EXPECT_THROW(parse_shard("1"), UsageError);
    EXPECT_THROW(parse_shard("-1/3"), UsageError);
    const int n = 5;
    std::vector<int> per_shard(n);
    for (int s = 0; s < 200; ++s) {
        int hits = 0;
        for (int i = 0; i < n; ++i) {
            if (in_shard("source-" + std::to_string(s), parse_shard(std::to_string(i) + "/" + std::to_string(n)))) {
                ++hits;
                ++per_shard[i];
            }
        }
        EXPECT_EQ(hits, 1);
    }
    for (int count : per_shard) EXPECT_GT(count, 10);  // no shard left idle
}
