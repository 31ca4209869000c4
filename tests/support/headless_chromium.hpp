#pragma once
// Opens a local HTML file in headless Chromium (Debian `chromium`, installed by
// scripts/setup --test), as a person's browser would render it: the DOM after parsing,
// or a screenshot. Each run gets a fresh profile and no network chatter of its own.

#include <string>

namespace kpi::test {

struct ChromiumResult {
    int exit_code = -1;
    std::string out;  // the serialized DOM for dump_dom
    std::string err;
};

ChromiumResult chromium_dump_dom(const std::string& html_path);
ChromiumResult chromium_screenshot(const std::string& html_path, const std::string& png_path, int width, int height);

struct PngSize {
    int width = 0, height = 0;
};
// The size in a PNG's header; zero when the file is not a PNG.
PngSize png_size(const std::string& png_path);

}  // namespace kpi::test
