#include "cli/cli_args.h"

#include <charconv>

namespace gs::cli {

Args::Args(int argc, char** argv, int first, std::set<std::string> valued, std::set<std::string> flags) {
    for (int i = first; i < argc; ++i) {
        std::string a = argv[i];
        if (a.rfind("--", 0) != 0 || a == "--") {
            m_positional.push_back(a);
            continue;
        }
        std::string name = a.substr(2), val;
        const auto eq = name.find('=');
        const bool inlineValue = eq != std::string::npos;
        if (inlineValue) {
            val = name.substr(eq + 1);
            name = name.substr(0, eq);
        }
        if (valued.count(name)) {
            if (!inlineValue) {
                if (i + 1 >= argc) {
                    m_error = "option --" + name + " needs a value";
                    return;
                }
                val = argv[++i];
            }
            m_values[name] = val;
        } else if (flags.count(name) && !inlineValue) {
            m_flags.insert(name);
        } else {
            m_error = "unknown option --" + name;
            return;
        }
    }
}

bool Args::has(const std::string& name) const { return m_flags.count(name) || m_values.count(name); }

std::string Args::value(const std::string& name, const std::string& fallback) const {
    auto it = m_values.find(name);
    return it == m_values.end() ? fallback : it->second;
}

int Args::intValue(const std::string& name, int fallback) {
    auto it = m_values.find(name);
    if (it == m_values.end()) return fallback;
    int v = 0;
    const auto& s = it->second;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size()) {
        m_error = "option --" + name + " expects an integer, got '" + s + "'";
        return fallback;
    }
    return v;
}

std::vector<std::string> repeatedOptionValues(int argc, char** argv, int first, const std::string& option,
                                              const std::set<std::string>& valued) {
    std::vector<std::string> out;
    for (int i = first; i < argc; ++i) {
        const std::string a = argv[i];
        if (a.rfind("--", 0) != 0 || a == "--") {
            out.push_back(a);
            continue;
        }
        const std::string name = a.substr(2);
        const auto eq = name.find('=');
        if (eq != std::string::npos) {
            if (name.substr(0, eq) == option) out.push_back(name.substr(eq + 1));
            continue;
        }
        if (valued.count(name) && i + 1 < argc) {
            if (name == option) out.push_back(argv[i + 1]);
            ++i;
        }
    }
    return out;
}

} // namespace gs::cli
