// A source that throws, from start() or from the callback of any of its requests, fails
// alone: its error is reported and every other source of the pass is delivered.

#include <gtest/gtest.h>

#include <stdexcept>

#include "commands/harvest.hpp"
#include "support/fake_server.hpp"

using namespace kpi;
using namespace kpi::test;

namespace {

// Emits one point per answer; throws where it is told to.
class ScriptedSource : public Source {
public:
    enum class Throw { Never, InStart, InFirstCallback, InFollowUpCallback };
    ScriptedSource(std::string url, Throw where) : url_(std::move(url)), where_(where) {}

    void start(SourceRun& run) override {
        if (where_ == Throw::InStart) throw std::runtime_error("start blew up");
        run.http().submit(run.request(url_), [this, &run](HttpResponse&& r) {
            if (where_ == Throw::InFirstCallback) throw std::runtime_error("parser bug on " + r.url);
            emit(run, 1);
            run.http().submit(run.request(url_ + "?page=2"), [this, &run](HttpResponse&&) {
                if (where_ == Throw::InFollowUpCallback) throw std::out_of_range("page 2 out of range");
                emit(run, 2);
            });
        });
    }

private:
    static void emit(SourceRun& run, std::int64_t page) {
        Point p;
        p.measurement = "scripted";
        p.set_field("page", page);
        run.emit(std::move(p));
    }
    std::string url_;
    Throw where_;
};

}  // namespace

TEST(HarvestIsolation, AThrowingSourceFailsAloneAndEveryOtherSourceIsDelivered) {
    FakeServer server;
    server.get("/.*", [](const httplib::Request&, httplib::Response& res) { res.set_content("{}", "application/json"); });
    server.start();
    using T = ScriptedSource::Throw;
    const std::vector<T> plan{T::Never, T::InStart, T::Never, T::InFirstCallback, T::Never, T::InFollowUpCallback, T::Never};
    std::vector<SourceConfig> configs;
    std::vector<std::unique_ptr<Source>> sources;
    for (std::size_t i = 0; i < plan.size(); ++i) {
        configs.push_back(SourceConfig{.type = "scripted", .name = "s" + std::to_string(i), .origin = "test", .options = {}});
        sources.push_back(std::make_unique<ScriptedSource>(server.url("/s" + std::to_string(i)), plan[i]));
    }
    HttpSettings settings;
    settings.retries = 0;
    HttpClient http(settings);
    HarvestResult result;
    ASSERT_NO_THROW(result = harvest(std::move(configs), sources, http, now(), true));

    EXPECT_EQ(result.failed_sources, 3u);
    std::map<std::string, std::pair<std::int64_t, std::int64_t>> health;  // source -> success, points
    std::size_t scripted = 0;
    for (const auto& p : result.points) {
        if (p.measurement == "scripted") ++scripted;
        if (p.measurement != "kpi_run") continue;
        health[*p.tag("source")] = {std::get<std::int64_t>(*p.field("success")),
                                    std::get<std::int64_t>(*p.field("points"))};
    }
    // Four good sources with two points each, and the page-1 point of the one that threw on page 2.
    EXPECT_EQ(scripted, 4u * 2 + 1);
    for (const char* good : {"s0", "s2", "s4", "s6"}) {
        EXPECT_EQ(health[good], std::make_pair(std::int64_t{1}, std::int64_t{2})) << good;
    }
    EXPECT_EQ(health["s1"], std::make_pair(std::int64_t{0}, std::int64_t{0}));
    EXPECT_EQ(health["s3"], std::make_pair(std::int64_t{0}, std::int64_t{0}));
    EXPECT_EQ(health["s5"], std::make_pair(std::int64_t{0}, std::int64_t{1}));
}
