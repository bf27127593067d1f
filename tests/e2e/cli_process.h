#pragma once
// Running grammascope-cli from the end-to-end tests: one child process per
// call through the shell, its output collected, its exit code returned.
// GRAMMASCOPE_CLI is the path of the executable (set by tests/CMakeLists.txt).

#include <cstdio>
#include <string>
#include <sys/wait.h>

namespace gs::testing {

struct CliResult {
    int exitCode = -1;  // -1 when the process did not exit normally
    std::string out;
};

// `s` as one single-quoted shell word.
inline std::string shellQuote(const std::string& s) {
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

// Runs `grammascope-cli ARGS REDIRECT`; `redirect` decides what happens to
// standard error ("2>&1": merged into out, "2>/dev/null": dropped).
inline CliResult runCliWith(const std::string& args, const char* redirect) {
    CliResult r;
    const std::string cmd = std::string(GRAMMASCOPE_CLI) + " " + args + " " + redirect;
    FILE* p = popen(cmd.c_str(), "r");
    if (!p) return r;
    char buf[65536];
    std::size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
    const int status = pclose(p);
    r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

} // namespace gs::testing
