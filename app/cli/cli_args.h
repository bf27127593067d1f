#pragma once
// A small command-line parser for grammascope-cli: "--name value", "--name=value"
// and boolean "--flag". Unknown options are errors naming the option.

#include <map>
#include <set>
#include <string>
#include <vector>

namespace gs::cli {

class Args {
public:
    // `valued` lists options taking a value, `flags` boolean options.
    Args(int argc, char** argv, int first, std::set<std::string> valued, std::set<std::string> flags);

    bool ok() const { return m_error.empty(); }
    const std::string& error() const { return m_error; }
    bool has(const std::string& name) const;
    std::string value(const std::string& name, const std::string& fallback = {}) const;
    // Parses an integer option; sets error() and returns fallback on bad input.
    int intValue(const std::string& name, int fallback);
    const std::vector<std::string>& positional() const { return m_positional; }

private:
    std::map<std::string, std::string> m_values;
    std::set<std::string> m_flags;
    std::vector<std::string> m_positional;
    std::string m_error;
};

// The values of a repeatable option in command-line order: every --name value
// or --name=value from argv[first] on, and every positional argument (input
// files given without the option), skipping the values of the other `valued`
// options the way Args does.
std::vector<std::string> repeatedOptionValues(int argc, char** argv, int first, const std::string& name,
                                              const std::set<std::string>& valued);

// "0,2-4" (or "emb,2-4") -> {0, 2, 3, 4}: the --layers option of probe and sae.
bool parseLayerList(const std::string& text, std::vector<int>& out, std::string& error);

// Prints "error: MESSAGE" and where the help is ("grammascope-cli COMMAND
// --help") to stderr; returns 2, the exit code of a usage error.
int usageError(const std::string& command, const std::string& message);

} // namespace gs::cli
