#include "http/curl_loader.hpp"

#include <dlfcn.h>

#include <cstdarg>
#include <string>

// The forwarding functions below take the names that <curl/curl.h>'s type-checking macros
// would otherwise replace.
#define CURL_DISABLE_TYPECHECK
#include <curl/curl.h>

#include "core/errors.hpp"

// Every forwarded function: return type, name, parameters, arguments. Variadic ones
// (curl_easy_setopt, curl_easy_getinfo, curl_multi_setopt) are written out below.
#define KPI_CURL_FUNCTIONS(X)                                                                                 \
    X(CURLcode, curl_global_init, (long flags), (flags))                                                      \
    X(void, curl_global_cleanup, (void), ())                                                                  \
    X(curl_version_info_data*, curl_version_info, (CURLversion age), (age))                                   \
    X(char*, curl_version, (void), ())                                                                        \
    X(void, curl_free, (void* p), (p))                                                                        \
    X(curl_slist*, curl_slist_append, (curl_slist * list, const char* data), (list, data))                    \
    X(void, curl_slist_free_all, (curl_slist * list), (list))                                                 \
    X(CURL*, curl_easy_init, (void), ())                                                                      \
    X(void, curl_easy_cleanup, (CURL * handle), (handle))                                                     \
    X(void, curl_easy_reset, (CURL * handle), (handle))                                                       \
    X(CURL*, curl_easy_duphandle, (CURL * handle), (handle))                                                  \
    X(CURLcode, curl_easy_perform, (CURL * handle), (handle))                                                 \
    X(CURLcode, curl_easy_pause, (CURL * handle, int bitmask), (handle, bitmask))                             \
    X(const char*, curl_easy_strerror, (CURLcode code), (code))                                               \
    X(char*, curl_easy_escape, (CURL * handle, const char* text, int length), (handle, text, length))         \
    X(char*, curl_easy_unescape, (CURL * handle, const char* text, int length, int* out_length),              \
      (handle, text, length, out_length))                                                                     \
    X(CURLM*, curl_multi_init, (void), ())                                                                    \
    X(CURLMcode, curl_multi_cleanup, (CURLM * multi), (multi))                                                \
    X(CURLMcode, curl_multi_add_handle, (CURLM * multi, CURL * handle), (multi, handle))                      \
    X(CURLMcode, curl_multi_remove_handle, (CURLM * multi, CURL * handle), (multi, handle))                   \
    X(CURLMcode, curl_multi_perform, (CURLM * multi, int* running), (multi, running))                         \
    X(CURLMcode, curl_multi_poll, (CURLM * multi, curl_waitfd * fds, unsigned int nfds, int ms, int* numfds), \
      (multi, fds, nfds, ms, numfds))                                                                         \
    X(CURLMcode, curl_multi_wait, (CURLM * multi, curl_waitfd * fds, unsigned int nfds, int ms, int* numfds), \
      (multi, fds, nfds, ms, numfds))                                                                         \
    X(CURLMcode, curl_multi_wakeup, (CURLM * multi), (multi))                                                 \
    X(CURLMsg*, curl_multi_info_read, (CURLM * multi, int* left), (multi, left))                              \
    X(CURLMcode, curl_multi_socket_action, (CURLM * multi, curl_socket_t s, int events, int* running),        \
      (multi, s, events, running))                                                                            \
    X(CURLMcode, curl_multi_assign, (CURLM * multi, curl_socket_t s, void* data), (multi, s, data))           \
    X(CURLMcode, curl_multi_timeout, (CURLM * multi, long* ms), (multi, ms))                                  \
    X(const char*, curl_multi_strerror, (CURLMcode code), (code))                                             \
    X(CURLU*, curl_url, (void), ())                                                                           \
    X(void, curl_url_cleanup, (CURLU * url), (url))                                                           \
    X(CURLUcode, curl_url_get, (CURLU * url, CURLUPart part, char** out, unsigned int flags),                 \
      (url, part, out, flags))                                                                                \
    X(CURLUcode, curl_url_set, (CURLU * url, CURLUPart part, const char* text, unsigned int flags),           \
      (url, part, text, flags))

#define KPI_CURL_VARIADIC(X) X(curl_easy_setopt) X(curl_easy_getinfo) X(curl_multi_setopt)

namespace kpi {
namespace {

// Debian's libcurl4 (OpenSSL) package; the SONAME every libcurl 7.x and 8.x carries.
constexpr const char* kLibcurl = "libcurl.so.4";

struct CurlApi {
#define KPI_CURL_POINTER(ret, name, params, args) decltype(&::name) name = nullptr;
#define KPI_CURL_VARIADIC_POINTER(name) decltype(&::name) name = nullptr;
    KPI_CURL_FUNCTIONS(KPI_CURL_POINTER)
    KPI_CURL_VARIADIC(KPI_CURL_VARIADIC_POINTER)
#undef KPI_CURL_POINTER
#undef KPI_CURL_VARIADIC_POINTER
};

template <typename Function>
void resolve(void* library, const char* name, Function& function) {
    function = reinterpret_cast<Function>(dlsym(library, name));
    if (function == nullptr) {
        throw RuntimeError(std::string(kLibcurl) + " has no " + name + ": kpi needs libcurl 7.80 or newer");
    }
}

CurlApi open_libcurl() {
    // Never closed: libcurl keeps global state (OpenSSL) until the process ends.
    void* library = dlopen(kLibcurl, RTLD_NOW | RTLD_LOCAL);
    if (library == nullptr) {
        const char* why = dlerror();
        throw RuntimeError(std::string("cannot load ") + kLibcurl + ", which kpi needs for HTTP: " +
                           (why ? why : "unknown error") + " (on Debian: apt-get install libcurl4)");
    }
    CurlApi api;
#define KPI_CURL_RESOLVE(ret, name, params, args) resolve(library, #name, api.name);
#define KPI_CURL_VARIADIC_RESOLVE(name) resolve(library, #name, api.name);
    KPI_CURL_FUNCTIONS(KPI_CURL_RESOLVE)
    KPI_CURL_VARIADIC(KPI_CURL_VARIADIC_RESOLVE)
#undef KPI_CURL_RESOLVE
#undef KPI_CURL_VARIADIC_RESOLVE
    return api;
}

// Loaded once, thread-safely; a failed load throws and is tried again on the next call.
const CurlApi& curl() {
    static const CurlApi api = open_libcurl();
    return api;
}

// The one argument after a CURLoption or CURLMoption, read with the type its number says
// (curl.h: CURLOPTTYPE_*), and passed on unchanged.
template <typename Handle, typename Option, typename Result>
Result forward_option(Result (*function)(Handle*, Option, ...), Handle* handle, Option option, va_list args) {
    const long kind = static_cast<long>(option) / 10000 * 10000;
    switch (kind) {
        case CURLOPTTYPE_LONG: return function(handle, option, va_arg(args, long));
        case CURLOPTTYPE_FUNCTIONPOINT: return function(handle, option, va_arg(args, void (*)()));
        case CURLOPTTYPE_OFF_T: return function(handle, option, va_arg(args, curl_off_t));
        default: return function(handle, option, va_arg(args, void*));  // object pointers, blobs
    }
}

}  // namespace

void load_libcurl() { curl(); }

}  // namespace kpi

// The functions <curl/curl.h> declares, each forwarding to libcurl's own.
extern "C" {

#define KPI_CURL_FORWARD(ret, name, params, args) \
    ret name params { return kpi::curl().name args; }
KPI_CURL_FUNCTIONS(KPI_CURL_FORWARD)
#undef KPI_CURL_FORWARD

CURLcode curl_easy_setopt(CURL* handle, CURLoption option, ...) {
    va_list args;
    va_start(args, option);
    const CURLcode result = kpi::forward_option(kpi::curl().curl_easy_setopt, handle, option, args);
    va_end(args);
    return result;
}

// Every CURLINFO_* takes a pointer to where the answer goes.
CURLcode curl_easy_getinfo(CURL* handle, CURLINFO info, ...) {
    va_list args;
    va_start(args, info);
    void* out = va_arg(args, void*);
    va_end(args);
    return kpi::curl().curl_easy_getinfo(handle, info, out);
}

CURLMcode curl_multi_setopt(CURLM* multi, CURLMoption option, ...) {
    va_list args;
    va_start(args, option);
    const CURLMcode result = kpi::forward_option(kpi::curl().curl_multi_setopt, multi, option, args);
    va_end(args);
    return result;
}

}  // extern "C"
