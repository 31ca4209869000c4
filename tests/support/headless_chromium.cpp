#include "support/headless_chromium.hpp"

#include <fstream>
#include <vector>

#include "support/run_kpi.hpp"

namespace kpi::test {
namespace {

constexpr const char* kChromium = "/usr/bin/chromium";

ChromiumResult run_chromium(const std::string& html_path, const std::vector<std::string>& extra) {
    const TempDir profile;
    std::vector<std::string> args{kChromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                                  "--no-first-run", "--disable-background-networking", "--disable-component-update",
                                  "--disable-sync", "--hide-scrollbars", "--user-data-dir=" + profile.path()};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back("file://" + html_path);
    const ProcessResult r = run_process(args, RunOptions{.timeout_seconds = 90});
    return ChromiumResult{r.exit_code, r.out, r.err};
}

}  // namespace

ChromiumResult chromium_dump_dom(const std::string& html_path) { return run_chromium(html_path, {"--dump-dom"}); }

ChromiumResult chromium_screenshot(const std::string& html_path, const std::string& png_path, int width, int height) {
    return run_chromium(html_path, {"--screenshot=" + png_path,
                                    "--window-size=" + std::to_string(width) + "," + std::to_string(height)});
}

PngSize png_size(const std::string& png_path) {
    std::ifstream in(png_path, std::ios::binary);
    unsigned char header[24] = {};
    if (!in.read(reinterpret_cast<char*>(header), sizeof header)) return {};
    static const unsigned char kSignature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    for (int i = 0; i < 8; ++i)
        if (header[i] != kSignature[i]) return {};
    auto be32 = [&](int at) {
        return (header[at] << 24) | (header[at + 1] << 16) | (header[at + 2] << 8) | header[at + 3];
    };
    return PngSize{be32(16), be32(20)};
}

}  // namespace kpi::test
