#include "cli/cli_args.h"

#include <charconv>
#include <iostream>

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

namespace {
bool parseInt(std::string_view s, int& v) {
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    return ec == std::errc() && p == s.data() + s.size();
}
} // namespace

bool parseLayerList(const std::string& text, std::vector<int>& out, std::string& error) {
    std::size_t pos = 0;
    while (pos <= text.size()) {
        const auto comma = text.find(',', pos);
        std::string part = text.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
        pos = comma == std::string::npos ? text.size() + 1 : comma + 1;
        if (part.empty()) continue;
        const auto dash = part.find('-');
        auto one = [](std::string s, int& v) { return s == "emb" ? (v = 0, true) : parseInt(s, v); };
        int a = 0, b = 0;
        if (dash == std::string::npos ? !one(part, a) : !one(part.substr(0, dash), a) || !one(part.substr(dash + 1), b)) {
            error = "--layers: '" + part + "' is not a layer or a range (e.g. 0,2-4)";
            return false;
        }
        if (dash == std::string::npos) b = a;
        if (a < 0 || b < a) {
            error = "--layers: bad range '" + part + "'";
            return false;
        }
        for (int l = a; l <= b; ++l) out.push_back(l);
    }
    if (out.empty()) error = "--layers: no layer given";
    return !out.empty();
}

int usageError(const std::string& command, const std::string& message) {
    std::cerr << "error: " << message << "\n(see grammascope-cli " << command << " --help)\n";
    return 2;
}

} // namespace gs::cli
