// Admission: which waiting request may start, within a total and a per-host limit.

#include <gtest/gtest.h>

#include "http/admission.hpp"

using kpi::Admission;

TEST(Admission, StartsNoMoreThanTheTotalLimit) {
    Admission<int> a(3, 10);
    for (int i = 0; i < 5; ++i) a.enqueue("h", i);
    EXPECT_EQ(a.next()->second, 0);
    EXPECT_EQ(a.next()->second, 1);
    EXPECT_EQ(a.next()->second, 2);
    EXPECT_FALSE(a.next());
    EXPECT_EQ(a.in_flight(), 3u);
    EXPECT_EQ(a.waiting(), 2u);
    a.release("h");
    EXPECT_EQ(a.next()->second, 3);
    EXPECT_FALSE(a.next());
}

TEST(Admission, AFullHostDoesNotHoldBackAnother) {
    Admission<int> a(10, 2);
    for (int i = 0; i < 4; ++i) a.enqueue("busy", i);
    a.enqueue("quiet", 100);
    std::vector<std::pair<std::string, int>> started;
    while (auto n = a.next()) started.push_back(*n);
    ASSERT_EQ(started.size(), 3u);
    EXPECT_EQ(std::count_if(started.begin(), started.end(), [](auto& s) { return s.first == "busy"; }), 2);
    EXPECT_EQ(std::count_if(started.begin(), started.end(), [](auto& s) { return s.second == 100; }), 1);
    a.release("busy");
    auto n = a.next();
    ASSERT_TRUE(n);
    EXPECT_EQ(n->first, "busy");
    EXPECT_EQ(n->second, 2);
}

TEST(Admission, HostsTakeTurns) {
    Admission<int> a(1, 1);
    a.enqueue("a", 1);
    a.enqueue("a", 2);
    a.enqueue("b", 3);
    std::vector<int> order;
    while (a.waiting() > 0) {
        auto n = a.next();
        ASSERT_TRUE(n);
        order.push_back(n->second);
        a.release(n->first);
    }
    EXPECT_EQ(order, (std::vector<int>{1, 3, 2}));
}

TEST(Admission, AFrontEntryGoesBeforeItsHostsQueue) {
    Admission<int> a(1, 1);
    a.enqueue("h", 1);
    a.enqueue("h", 2, true);
    EXPECT_EQ(a.next()->second, 2);
}

TEST(Admission, DrainEmptiesTheQueuesButNotTheSlots) {
    Admission<int> a(1, 1);
    a.enqueue("h", 1);
    a.enqueue("h", 2);
    a.enqueue("g", 3);
    ASSERT_TRUE(a.next());
    std::vector<int> drained;
    a.drain([&](int i) { drained.push_back(i); });
    EXPECT_EQ(drained.size(), 2u);
    EXPECT_EQ(a.waiting(), 0u);
    EXPECT_EQ(a.in_flight(), 1u);
    EXPECT_FALSE(a.next());
}
