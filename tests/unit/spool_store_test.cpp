#include <gtest/gtest.h>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "core/time.hpp"
#include "spool/spool.hpp"
#include "support/run_kpi.hpp"

using namespace kpi;
namespace fs = std::filesystem;

namespace {

std::vector<Point> batch(std::int64_t first, std::size_t count) {
    std::vector<Point> points(count);
    for (std::size_t i = 0; i < count; ++i) {
        points[i].measurement = "records";
        points[i].set_tag("service", "zenodo");
        points[i].set_field("total", first + static_cast<std::int64_t>(i));
        points[i].time = *parse_rfc3339("2026-11-28T14:11:00Z");
    }
    return points;
}

std::vector<std::string> names_in(const std::string& dir) {
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) names.push_back(entry.path().filename());
    std::sort(names.begin(), names.end());
    return names;
}

void flip_byte(const std::string& path, std::size_t from_end) {
    std::string bytes = test::read_file(path);
    ASSERT_GT(bytes.size(), from_end);
    bytes[bytes.size() - from_end] ^= 0x10;
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

}  // namespace

TEST(SpoolSubdirName, PlainNamesStayReadable) {
    EXPECT_EQ(spool_subdir_name("influxdb"), "influxdb");
    EXPECT_EQ(spool_subdir_name("monit-prod_2.a"), "monit-prod_2.a");
}

TEST(SpoolSubdirName, OtherNamesAreSanitisedAndKeptApart) {
    const auto slash = spool_subdir_name("a/b");
    const auto underscore = spool_subdir_name("a_b");
    EXPECT_NE(slash, underscore);
    EXPECT_EQ(slash.find('/'), std::string::npos);
    EXPECT_TRUE(slash.starts_with("a_b-"));
    for (const auto* name : {"", ".", "..", ".lock"}) {
        const auto dir = spool_subdir_name(name);
        EXPECT_FALSE(dir.empty());
        EXPECT_NE(dir.front(), '.') << name;
    }
    EXPECT_LE(spool_subdir_name(std::string(500, 'x')).size(), 100u);
}

TEST(SpoolStore, NothingIsCreatedUntilNeeded) {
    test::TempDir tmp;
    Spool spool(tmp.path() + "/spool", "influxdb", 1 << 20);
    EXPECT_FALSE(spool.exists());
    EXPECT_FALSE(fs::exists(tmp.path() + "/spool"));
    spool.append(batch(0, 1));
    EXPECT_TRUE(spool.exists());
}

TEST(SpoolStore, AppendedRecordsComeBackOldestFirst) {
    test::TempDir tmp;
    Spool spool(tmp.path(), "influxdb", 1 << 20);
    EXPECT_EQ(spool.dir(), tmp.path() + "/influxdb");
    spool.append(batch(0, 3));
    spool.append(batch(3, 1));
    spool.append(batch(4, 2));

    ASSERT_TRUE(spool.lock(std::chrono::milliseconds(0)));
    std::vector<std::string> problems;
    const auto records = spool.records(&problems);
    EXPECT_TRUE(problems.empty());
    ASSERT_EQ(records.size(), 3u);
    EXPECT_EQ(records[0].points, 3u);
    EXPECT_EQ(records[1].points, 1u);
    EXPECT_EQ(records[2].points, 2u);
    EXPECT_EQ(spool.load(records[0], &problems).points, batch(0, 3));
    EXPECT_EQ(spool.load(records[2], &problems).points, batch(4, 2));
    EXPECT_EQ(spool_bytes(tmp.path()), records[0].bytes + records[1].bytes + records[2].bytes);
}

TEST(SpoolStore, RemovedRecordIsGone) {
    test::TempDir tmp;
    Spool spool(tmp.path(), "influxdb", 1 << 20);
    const auto first = spool.append(batch(0, 1));
    spool.append(batch(1, 1));
    ASSERT_TRUE(spool.lock(std::chrono::milliseconds(0)));
    spool.remove(first);
    const auto records = spool.records(nullptr);
    ASSERT_EQ(records.size(), 1u);
    EXPECT_EQ(spool.load(records[0], nullptr).points, batch(1, 1));
}

TEST(SpoolStore, ReplaceKeepsThePlaceInLine) {
    test::TempDir tmp;
    Spool spool(tmp.path(), "influxdb", 1 << 20);
    const auto first = spool.append(batch(0, 4));
    spool.append(batch(4, 1));
    ASSERT_TRUE(spool.lock(std::chrono::milliseconds(0)));
    spool.replace(first, batch(2, 2));
    const auto records = spool.records(nullptr);
    ASSERT_EQ(records.size(), 2u);
    EXPECT_EQ(spool.load(records[0], nullptr).points, batch(2, 2));
    EXPECT_EQ(spool.load(records[1], nullptr).points, batch(4, 1));
}

TEST(SpoolStore, NewerGenerationLeftByACrashSupersedesTheOlder) {
    test::TempDir tmp;
    Spool spool(tmp.path(), "influxdb", 1 << 20);
    const auto first = spool.append(batch(0, 4));
    // As if a run wrote the rest of a partly delivered record and died before removing it.
    tmp.write("influxdb/" + first.name.substr(0, 16) + "-0001.rec", encode_record(batch(3, 1)));
    ASSERT_TRUE(spool.lock(std::chrono::milliseconds(0)));
    std::vector<std::string> problems;
    const auto records = spool.records(&problems);
    EXPECT_TRUE(problems.empty());
    ASSERT_EQ(records.size(), 1u);
    EXPECT_EQ(records[0].gen, 1u);
    EXPECT_EQ(spool.load(records[0], nullptr).points, batch(3, 1));
    EXPECT_FALSE(fs::exists(spool.dir() + "/" + first.name));
}

TEST(SpoolStore, DamagedNewerGenerationFallsBackToTheOlder) {
    test::TempDir tmp;
    Spool spool(tmp.path(), "influxdb", 1 << 20);
    const auto first = spool.append(batch(0, 4));
    const std::string newer = first.name.substr(0, 16) + "-0001.rec";
    tmp.write("influxdb/" + newer, encode_record(batch(3, 1)).substr(0, 30));
    ASSERT_TRUE(spool.lock(std::chrono::milliseconds(0)));
    std::vector<std::string> problems;
    const auto records = spool.records(&problems);
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_NE(problems[0].find(newer), std::string::npos) << problems[0];
    ASSERT_EQ(records.size(), 1u);
    EXPECT_EQ(spool.load(records[0], nullptr).points, batch(0, 4));
    EXPECT_TRUE(fs::exists(spool.dir() + "/corrupt/" + newer));
}

TEST(SpoolStore, FlippedByteIsSetAsideAndReported) {
    test::TempDir tmp;
    Spool spool(tmp.path(), "influxdb", 1 << 20);
    const auto record = spool.append(batch(0, 3));
    flip_byte(spool.dir() + "/" + record.name, 20);
    ASSERT_TRUE(spool.lock(std::chrono::milliseconds(0)));
    std::vector<std::string> problems;
    const auto records = spool.records(&problems);  // the header is fine: found on load
    ASSERT_EQ(records.size(), 1u);
    const auto loaded = spool.load(records[0], &problems);
    EXPECT_FALSE(loaded.ok());
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_NE(problems[0].find(record.name), std::string::npos) << problems[0];
    EXPECT_NE(problems[0].find("checksum mismatch"), std::string::npos) << problems[0];
    EXPECT_FALSE(fs::exists(spool.dir() + "/" + record.name));
    EXPECT_TRUE(fs::exists(spool.dir() + "/corrupt/" + record.name));
}

TEST(SpoolStore, TruncatedRecordIsSetAsideWhenListed) {
    test::TempDir tmp;
    Spool spool(tmp.path(), "influxdb", 1 << 20);
    const auto record = spool.append(batch(0, 3));
    spool.append(batch(3, 1));
    fs::resize_file(spool.dir() + "/" + record.name, record.bytes - 7);
    ASSERT_TRUE(spool.lock(std::chrono::milliseconds(0)));
    std::vector<std::string> problems;
    const auto records = spool.records(&problems);
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_NE(problems[0].find("truncated"), std::string::npos) << problems[0];
    ASSERT_EQ(records.size(), 1u);
    EXPECT_EQ(spool.load(records[0], nullptr).points, batch(3, 1));
    EXPECT_TRUE(fs::exists(spool.dir() + "/corrupt/" + record.name));
}

TEST(SpoolStore, SettingAsideNeverOverwritesAnEarlierCorruptFile) {
    test::TempDir tmp;
    Spool spool(tmp.path(), "influxdb", 1 << 20);
    ASSERT_TRUE(spool.lock(std::chrono::milliseconds(0)));
    tmp.write("influxdb/0000000000000001-0000.rec", "first damage");
    spool.set_aside("0000000000000001-0000.rec", "test");
    tmp.write("influxdb/0000000000000001-0000.rec", "second damage");
    spool.set_aside("0000000000000001-0000.rec", "test");
    EXPECT_EQ(test::read_file(spool.dir() + "/corrupt/0000000000000001-0000.rec"), "first damage");
    EXPECT_EQ(test::read_file(spool.dir() + "/corrupt/0000000000000001-0000.rec.1"), "second damage");
}

TEST(SpoolStore, TempFilesAreIgnoredAndRemovedOnlyWhenOld) {
    test::TempDir tmp;
    Spool spool(tmp.path(), "influxdb", 1 << 20);
    spool.append(batch(0, 1));
    const auto old_temp = tmp.write("influxdb/.tmp-1-0", "kpi-spool 1 5 1000 0000");
    const auto new_temp = tmp.write("influxdb/.tmp-1-1", "kpi-spool 1 5 1000 0000");
    fs::last_write_time(old_temp, fs::file_time_type::clock::now() - std::chrono::hours(2));
    ASSERT_TRUE(spool.lock(std::chrono::milliseconds(0)));
    std::vector<std::string> problems;
    EXPECT_EQ(spool.records(&problems).size(), 1u);
    EXPECT_TRUE(problems.empty());
    EXPECT_EQ(spool.remove_stale_temp_files(std::chrono::hours(1)), 1u);
    EXPECT_FALSE(fs::exists(old_temp));
    EXPECT_TRUE(fs::exists(new_temp));
}

// In a container kpi is PID 1 in every run: a run killed mid-write leaves a temp file
// whose name a pid-and-counter scheme would give the next run again.
TEST(SpoolStore, TempFileOfAKilledRunWithTheSamePidIsNeitherReusedNorRemoved) {
    test::TempDir tmp;
    Spool spool(tmp.path(), "influxdb", 1 << 20);
    fs::create_directories(spool.dir());
    std::vector<std::string> leftovers;
    for (int counter = 0; counter < 64; ++counter) {
        leftovers.push_back(tmp.write("influxdb/.tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter),
                                      "half a record of the previous run"));
    }
    for (std::int64_t i = 0; i < 3; ++i) EXPECT_NO_THROW(spool.append(batch(i, 1)));

    for (const auto& path : leftovers) EXPECT_EQ(test::read_file(path), "half a record of the previous run") << path;
    ASSERT_TRUE(spool.lock(std::chrono::milliseconds(0)));
    std::vector<std::string> problems;
    const auto records = spool.records(&problems);
    ASSERT_EQ(records.size(), 3u);
    for (std::size_t i = 0; i < records.size(); ++i) {
        EXPECT_EQ(spool.load(records[i], &problems).points, batch(static_cast<std::int64_t>(i), 1));
    }
    EXPECT_TRUE(problems.empty());
}

TEST(SpoolStore, AFailedWriteRemovesOnlyItsOwnTempFile) {
    test::TempDir tmp;
    Spool spool(tmp.path(), "influxdb", 1 << 20);
    spool.append(batch(0, 1));
    const auto other = tmp.write("influxdb/.tmp-" + std::to_string(::getpid()) + "-1", "another writer's record");
    // A directory where the record would go makes the rename fail after the temp file is written.
    fs::create_directory(tmp.file("influxdb/0000000000000002-0001.rec"));
    const auto records_before = names_in(tmp.file("influxdb"));
    EXPECT_THROW(spool.replace(SpoolRecord{"0000000000000002-0000.rec", 2, 0, 0, 1}, batch(5, 1)), RuntimeError);
    EXPECT_EQ(test::read_file(other), "another writer's record");
    EXPECT_EQ(names_in(tmp.file("influxdb")), records_before) << "the failed write left nothing of its own";
}

TEST(SpoolStore, SizeBoundRefusesARecordAndLeavesNothingBehind) {
    test::TempDir tmp;
    const auto record_bytes = encode_record(batch(0, 2)).size();
    Spool spool(tmp.path(), "influxdb", record_bytes + 10);
    spool.append(batch(0, 2));
    try {
        spool.append(batch(2, 2));
        FAIL() << "the second record should not fit";
    } catch (const SpoolFullError& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find(tmp.path()), std::string::npos) << message;
        EXPECT_NE(message.find("max_bytes is " + std::to_string(record_bytes + 10)), std::string::npos) << message;
        EXPECT_NE(message.find("2 points"), std::string::npos) << message;
    }
    EXPECT_EQ(names_in(spool.dir()).size(), 1u);  // the first record; no temp file
}

TEST(SpoolStore, SizeBoundCountsEverySink) {
    test::TempDir tmp;
    const auto record_bytes = encode_record(batch(0, 2)).size();
    Spool influx(tmp.path(), "influxdb", record_bytes + 10);
    Spool monit(tmp.path(), "monit", record_bytes + 10);
    influx.append(batch(0, 2));
    EXPECT_THROW(monit.append(batch(0, 2)), SpoolFullError);
}

TEST(SpoolStore, OneLockHolderAtATime) {
    test::TempDir tmp;
    auto first = std::make_unique<Spool>(tmp.path(), "influxdb", 1 << 20);
    Spool second(tmp.path(), "influxdb", 1 << 20);
    ASSERT_TRUE(first->lock(std::chrono::milliseconds(0)));
    EXPECT_FALSE(second.lock(std::chrono::milliseconds(100)));
    EXPECT_EQ(second.lock_holder(), static_cast<long>(::getpid()));
    first.reset();
    EXPECT_TRUE(second.lock(std::chrono::milliseconds(0)));
}

TEST(SpoolStore, OtherSinksHaveTheirOwnLock) {
    test::TempDir tmp;
    Spool influx(tmp.path(), "influxdb", 1 << 20);
    Spool monit(tmp.path(), "monit", 1 << 20);
    ASSERT_TRUE(influx.lock(std::chrono::milliseconds(0)));
    EXPECT_TRUE(monit.lock(std::chrono::milliseconds(0)));
}

TEST(SpoolStore, WriterKilledMidRecordLeavesTheSpoolReadable) {
    test::TempDir tmp;
    {
        Spool spool(tmp.path(), "influxdb", 1ull << 30);
        spool.append(batch(0, 3));
        spool.append(batch(3, 2));
    }
    int ready[2];
    ASSERT_EQ(::pipe(ready), 0);
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        ::close(ready[0]);
        try {
            Spool spool(tmp.path(), "influxdb", 1ull << 30);
            spool.set_write_observer([&](std::uint64_t written, std::uint64_t total) {
                if (written < total) {  // part of the record is on disk: tell the parent, then wait for the kill
                    [[maybe_unused]] auto n = ::write(ready[1], "w", 1);
                    for (;;) ::pause();
                }
            });
            spool.append(batch(100, 50'000));  // several MiB, so several chunks
        } catch (...) {
        }
        ::_exit(3);
    }
    ::close(ready[1]);
    char signal_byte = 0;
    const auto n = ::read(ready[0], &signal_byte, 1);
    ::close(ready[0]);
    ::kill(child, SIGKILL);
    int status = 0;
    ::waitpid(child, &status, 0);
    ASSERT_EQ(n, 1) << "the child never got half way through its record";
    ASSERT_TRUE(WIFSIGNALED(status));

    Spool spool(tmp.path(), "influxdb", 1ull << 30);
    ASSERT_TRUE(spool.lock(std::chrono::milliseconds(0)));
    std::vector<std::string> problems;
    const auto records = spool.records(&problems);
    EXPECT_TRUE(problems.empty());
    ASSERT_EQ(records.size(), 2u);
    EXPECT_EQ(spool.load(records[0], &problems).points, batch(0, 3));
    EXPECT_EQ(spool.load(records[1], &problems).points, batch(3, 2));
    EXPECT_TRUE(problems.empty());
    EXPECT_EQ(spool.remove_stale_temp_files(std::chrono::seconds(0)), 1u);  // the killed writer's
    EXPECT_FALSE(fs::exists(spool.dir() + "/corrupt"));
}
