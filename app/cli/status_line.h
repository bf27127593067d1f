#pragma once
// The progress line of a long command on stderr: rewritten in place on a
// terminal (at most every 0.25 s), one line every 10 s when stderr is a log.

#include <chrono>
#include <cstdio>
#include <unistd.h>

namespace gs::cli {

class StatusLine {
public:
    StatusLine() : m_tty(::isatty(2) == 1), m_last(Clock::now() - std::chrono::hours(1)) {}

    // Whether a new line is due now (always when `force`); records the time when it is.
    bool due(bool force = false) {
        const auto now = Clock::now();
        if (!force && std::chrono::duration<double>(now - m_last).count() < (m_tty ? 0.25 : 10.0)) return false;
        m_last = now;
        return true;
    }
    // Replaces the line on a terminal; a new line in a log.
    void show(const char* text) {
        std::fprintf(stderr, m_tty ? "\r%s\x1b[K" : "%s\n", text);
        std::fflush(stderr);
        m_open = m_tty;
    }
    // A line that stays, also on a terminal.
    void showLasting(const char* text) {
        std::fprintf(stderr, m_tty ? "\r%s\x1b[K\n" : "%s\n", text);
        std::fflush(stderr);
        m_open = false;
    }
    // Ends a line left open on a terminal.
    void finish() {
        if (m_open) std::fputs("\n", stderr);
        m_open = false;
    }

private:
    using Clock = std::chrono::steady_clock;
    bool m_tty;
    bool m_open = false;
    Clock::time_point m_last;
};

} // namespace gs::cli
