// grammascope-cli make-pairs: Russian minimal pairs from a hand-written lexicon.

#include "cli/cli_args.h"
#include "cli/commands.h"
#include "grammascope/pair_generator.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <iostream>
#include <utility>
#include <vector>

namespace gs::cli {
namespace {

const char* kHelp =
    "usage: grammascope-cli make-pairs --lexicon FILE --out FILE [options]\n"
    "\n"
    "Generates minimal pairs (a grammatical sentence and a twin differing in one\n"
    "word) from a lexicon such as resources/demo/lexicon.json and writes them as\n"
    "CSV: id,phenomenon,good,bad,good_word,bad_word,word_index.\n"
    "\n"
    "options:\n"
    "  --lexicon FILE       the lexicon (JSON)\n"
    "  --out FILE           the CSV to write (replaced atomically)\n"
    "  --count N            pairs per phenomenon (default 300)\n"
    "  --seed S             random seed, an unsigned integer (default 1)\n"
    "  --phenomena A,B,...  only these phenomena (default: all)\n"
    "  --rules FILE         polypersonal rule table replacing the lexicon's own\n"
    "\n"
    "phenomena:\n"
    "%s"
    "\n"
    "polypersonal_agreement pairs are (standard Russian, polypersonal Russian):\n"
    "their ids end in '-artificial'; the bad sentence is correct in the artificial\n"
    "grammar of methods.md section 1, not a plain error.\n";

std::string phenomenaList() {
    std::string s;
    for (PairPhenomenon p : allPairPhenomena()) s += std::string("  ") + pairPhenomenonId(p) + "\n";
    return s;
}

bool parsePhenomena(const std::string& text, std::vector<PairPhenomenon>& out, std::string& error) {
    std::size_t pos = 0;
    while (pos <= text.size()) {
        const std::size_t comma = std::min(text.find(',', pos), text.size());
        const std::string id = text.substr(pos, comma - pos);
        pos = comma + 1;
        if (id.empty()) continue;
        const auto p = pairPhenomenonFromId(id);
        if (!p) {
            error = "unknown phenomenon '" + id + "' (see --help for the list)";
            return false;
        }
        if (std::find(out.begin(), out.end(), *p) == out.end()) out.push_back(*p);
    }
    if (out.empty()) {
        error = "--phenomena names no phenomenon";
        return false;
    }
    return true;
}

} // namespace

int runMakePairs(int argc, char** argv) {
    Args args(argc, argv, 2, {"lexicon", "out", "count", "seed", "phenomena", "rules"}, {"help"});
    if (args.has("help")) {
        std::printf(kHelp, phenomenaList().c_str());
        return 0;
    }
    if (!args.ok()) {
        std::cerr << "error: " << args.error() << "\n";
        return 2;
    }
    if (!args.positional().empty()) {
        std::cerr << "error: unexpected argument '" << args.positional().front() << "'\n";
        return 2;
    }
    if (!args.has("lexicon") || !args.has("out")) {
        std::cerr << "error: --lexicon and --out are required (see make-pairs --help)\n";
        return 2;
    }
    PairGenerationOptions options;
    options.countPerPhenomenon = args.intValue("count", options.countPerPhenomenon);
    if (!args.ok()) {
        std::cerr << "error: " << args.error() << "\n";
        return 2;
    }
    if (options.countPerPhenomenon < 1) {
        std::cerr << "error: --count must be at least 1\n";
        return 2;
    }
    if (args.has("seed")) {
        const std::string s = args.value("seed");
        auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), options.seed);
        if (ec != std::errc() || p != s.data() + s.size()) {
            std::cerr << "error: option --seed expects an unsigned integer, got '" << s << "'\n";
            return 2;
        }
    }
    if (args.has("phenomena")) {
        std::string error;
        if (!parsePhenomena(args.value("phenomena"), options.phenomena, error)) {
            std::cerr << "error: " << error << "\n";
            return 2;
        }
    }

    Lexicon lexicon;
    if (Status st = loadLexicon(args.value("lexicon"), lexicon); !st.isOk()) {
        std::cerr << "error: " << st.message() << "\n";
        return 1;
    }
    if (args.has("rules")) {
        if (Status st = loadPolypersonalRules(args.value("rules"), lexicon.polypersonal); !st.isOk()) {
            std::cerr << "error: " << st.message() << "\n";
            return 1;
        }
    }
    PairGenerationResult result;
    if (Status st = generateMinimalPairs(lexicon, options, result); !st.isOk()) {
        std::cerr << "error: " << st.message() << "\n";
        return st.isCancelled() ? 130 : 1;
    }
    for (const auto& w : result.warnings) std::cerr << "warning: " << w << "\n";
    const std::string out = args.value("out");
    if (Status st = writeMinimalPairsCsv(out, result.pairs); !st.isOk()) {
        std::cerr << "error: " << st.message() << "\n";
        return 1;
    }
    std::vector<std::pair<std::string, int>> perPhenomenon;  // in generation order
    for (const auto& p : result.pairs) {
        if (perPhenomenon.empty() || perPhenomenon.back().first != p.phenomenon) perPhenomenon.push_back({p.phenomenon, 0});
        ++perPhenomenon.back().second;
    }
    std::cout << "wrote " << result.pairs.size() << " pairs to " << out << " (seed " << options.seed << ")\n";
    for (const auto& [id, n] : perPhenomenon) std::cout << "  " << id << ": " << n << "\n";
    return 0;
}

} // namespace gs::cli
