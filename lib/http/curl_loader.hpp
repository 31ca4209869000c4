#pragma once
// libcurl, loaded on first use instead of at start-up.
//
// Linking libcurl makes the dynamic loader map and relocate its whole dependency tree
// (OpenSSL, nghttp2, libssh2, GSSAPI, LDAP...: about 30 libraries) before main(), which is
// most of the start-up time of commands that never touch the network (`kpi version`,
// `list`, `publish stdout`). curl_loader.cpp defines the curl_* functions kpi calls; the
// first call dlopen()s libcurl.so.4 and every call forwards to the real function, so code
// that uses <curl/curl.h> needs no change.
//
// A curl_* function that is not in curl_loader.cpp fails to link ("undefined reference"):
// add it there, in the list of forwarded functions.

namespace kpi {

// Loads libcurl now (the curl_* functions do so on their first call). Throws RuntimeError
// saying which library could not be loaded and why, or which function it lacks.
void load_libcurl();

}  // namespace kpi
