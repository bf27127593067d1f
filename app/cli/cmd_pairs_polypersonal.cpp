// grammascope-cli pairs generate-polypersonal: minimal pairs from UD
// treebanks by the polypersonal transformation (methods.md §1).

#include "cli/cli_args.h"
#include "cli/commands.h"
#include "cli/interrupt.h"
#include "grammascope/conllu.h"
#include "grammascope/dataset.h"
#include "grammascope/pair_generator.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <unistd.h>

namespace gs::cli {
namespace {

const char* kHelp =
    "usage: grammascope-cli pairs generate-polypersonal --conllu FILE... --out FILE [options]\n"
    "\n"
    "Makes minimal pairs from Universal Dependencies treebanks (CoNLL-U) by the\n"
    "polypersonal transformation (methods.md section 1): the head verb (VERB or AUX)\n"
    "of every accusative direct object (Case=Acc, deprel obj) also agrees with the\n"
    "object, by the first matching rule of the rule table: object lemma я -> «ю»,\n"
    "мы -> «ем», ты -> «ешь», вы -> «ете», else Number=Sing -> «ет», Number=Plur -> «ете»\n"
    "(«отличали Армению» -> «отличалиет Армению»). A verb agrees with its first\n"
    "matching object only. Sentences where nothing changes are left out.\n"
    "\n"
    "Each pair is (standard sentence, polypersonal sentence); its id is\n"
    "<sent_id>-artificial, its phenomenon polypersonal_agreement, and good_word /\n"
    "bad_word / word_index (0-based among the UD words) name the first changed verb.\n"
    "The CSV has Grammascope's seven columns, then source, sent_id, verb_lemma,\n"
    "object_lemma, object_feats, marker and verbs_changed.\n"
    "\n"
    "options:\n"
    "  --conllu FILE...     CoNLL-U files; the option may repeat, and file names may follow it\n"
    "  --out FILE           the CSV to write (replaced atomically)\n"
    "  --rules FILE         the rule table (JSON, the shape of resources/polypersonal-rules.json;\n"
    "                       default: the built-in table, which that file reproduces)\n"
    "  --strict             only objects whose head verb is finite (VerbForm=Fin)\n"
    "  --limit N            write the first N pairs only (the statistics cover every sentence)\n"
    "  --skip-invalid       use the valid sentences of a file with malformed ones (listed on\n"
    "                       standard error); without it such a file is an error\n"
    "  --json-stats         print the statistics as JSON on standard output\n"
    "\n"
    "Statistics: sentences read, direct objects seen, verbs changed, pairs, and the\n"
    "objects that changed nothing, by reason (no rule matched, e.g. no Number; head not\n"
    "a verb; head not finite (--strict); verb already agreeing with an earlier object;\n"
    "verb inside a contracted multiword token).\n";

constexpr std::size_t kPrintedIssues = 20;  // per file; the rest are counted

struct FileResult {
    std::string file;
    std::int64_t skippedSentences = 0;  // malformed, skipped by the reader
    std::int64_t warnings = 0;
    PolypersonalStats stats;
};

void add(PolypersonalStats& to, const PolypersonalStats& s) {
    to.sentences += s.sentences;
    to.objects += s.objects;
    to.verbsChanged += s.verbsChanged;
    to.pairs += s.pairs;
    to.skippedNoRule += s.skippedNoRule;
    to.skippedNotFinite += s.skippedNotFinite;
    to.skippedHeadNotVerb += s.skippedHeadNotVerb;
    to.skippedVerbTaken += s.skippedVerbTaken;
    to.skippedVerbSpan += s.skippedVerbSpan;
}

nlohmann::ordered_json statsJson(const PolypersonalStats& s) {
    return {{"sentences", s.sentences},
            {"objects", s.objects},
            {"verbs_changed", s.verbsChanged},
            {"pairs", s.pairs},
            {"skipped_objects",
             {{"no_rule", s.skippedNoRule},
              {"head_not_verb", s.skippedHeadNotVerb},
              {"head_not_finite", s.skippedNotFinite},
              {"verb_already_agrees", s.skippedVerbTaken},
              {"verb_in_multiword_token", s.skippedVerbSpan}}}};
}

std::string statsLine(const PolypersonalStats& s) {
    return std::to_string(s.sentences) + " sentences, " + std::to_string(s.objects) + " objects, " +
           std::to_string(s.verbsChanged) + " verbs changed, " + std::to_string(s.pairs) + " pairs";
}

void printStatsText(const std::vector<FileResult>& files, const PolypersonalStats& t, std::int64_t skippedSentences,
                    std::size_t written, const std::string& out) {
    for (const FileResult& f : files) std::cout << f.file << ": " << statsLine(f.stats) << "\n";
    std::cout << "sentences            " << t.sentences << " (" << skippedSentences << " malformed, skipped)\n"
              << "objects (Acc, obj)   " << t.objects << "\n"
              << "verbs changed        " << t.verbsChanged << "\n"
              << "pairs                " << t.pairs << "\n"
              << "objects skipped:\n"
              << "  no rule matched    " << t.skippedNoRule << "\n"
              << "  head not a verb    " << t.skippedHeadNotVerb << "\n"
              << "  head not finite    " << t.skippedNotFinite << "\n"
              << "  verb already agrees " << t.skippedVerbTaken << "\n"
              << "  verb in multiword  " << t.skippedVerbSpan << "\n"
              << "wrote " << written << " pairs to " << out << "\n";
}

int fail(const Status& st) {
    std::cerr << (st.isCancelled() ? std::string("cancelled") : "error: " + st.message()) << "\n";
    return st.isCancelled() ? 130 : 1;
}

int usage(const std::string& message) { return usageError("pairs generate-polypersonal", message); }

} // namespace

int runPairsGeneratePolypersonal(int argc, char** argv) {
    const std::set<std::string> valued = {"conllu", "out", "rules", "limit"};
    Args args(argc, argv, 2, valued, {"strict", "json-stats", "skip-invalid", "help"});
    if (args.has("help")) {
        std::fputs(kHelp, stdout);
        return 0;
    }
    if (!args.ok()) return usage(args.error());
    const std::vector<std::string> files = repeatedOptionValues(argc, argv, 2, "conllu", valued);
    if (files.empty() || !args.has("out"))
        return usage("--conllu and --out are required (see pairs generate-polypersonal --help)");
    const int limit = args.intValue("limit", -1);
    if (!args.ok()) return usage(args.error());
    if (args.has("limit") && limit < 0) return usage("--limit must be 0 or more");

    PolypersonalOptions options;
    options.rules = defaultPolypersonalRules();
    options.requireFiniteHead = args.has("strict");
    if (args.has("rules"))
        if (Status st = loadPolypersonalRules(args.value("rules"), options.rules); !st.isOk()) return fail(st);

    installInterruptHandler();
    const bool tty = ::isatty(2) == 1;
    std::vector<FileResult> results;
    std::vector<DatasetItem> items;
    std::vector<std::string> itemSource;
    for (const std::string& file : files) {
        if (interrupted()) return fail(Status::cancelled());
        ConlluDocument doc;
        if (Status st = readConllu(file, doc); !st.isOk()) {
            for (const auto& issue : doc.issues) std::cerr << formatIssue(file, issue) << "\n";
            return fail(st);
        }
        FileResult r;
        r.file = file;
        std::size_t printed = 0;
        for (const auto& issue : doc.issues) {
            (issue.severity == IssueSeverity::Error ? r.skippedSentences : r.warnings)++;
            if (printed++ < kPrintedIssues) std::cerr << formatIssue(file, issue) << "\n";
        }
        if (doc.issues.size() > kPrintedIssues)
            std::cerr << file << ": " << doc.issues.size() - kPrintedIssues << " more issue(s) not shown\n";
        if (r.skippedSentences > 0 && !args.has("skip-invalid")) {
            std::cerr << "error: " << file << ": " << r.skippedSentences
                      << " malformed sentence(s) (listed above); --skip-invalid uses the others\n";
            return 1;
        }

        PolypersonalResult generated;
        const std::string name = std::filesystem::path(file).filename().string();
        const auto progress = [&](std::int64_t done, std::int64_t total) {
            if (interrupted()) return false;
            // Treebanks of a few thousand sentences take well under a second;
            // only a terminal gets a running count.
            if (tty && total >= 10000) std::fprintf(stderr, "\r%s: %lld / %lld sentences", name.c_str(),
                                                    static_cast<long long>(done), static_cast<long long>(total));
            return true;
        };
        const Status st = generatePolypersonalPairs(doc.sentences, options, generated, progress);
        if (tty && doc.sentences.size() >= 10000) std::fputs("\n", stderr);
        if (!st.isOk()) return fail(st.withStage(file));
        std::cerr << name << ": " << doc.sentences.size() << " sentences read, " << generated.items.size() << " pairs\n";
        r.stats = generated.stats;
        results.push_back(std::move(r));
        for (auto& item : generated.items) {
            items.push_back(std::move(item));
            itemSource.push_back(name);
        }
    }

    PolypersonalStats total;
    std::int64_t skippedSentences = 0;
    for (const FileResult& r : results) {
        add(total, r.stats);
        skippedSentences += r.skippedSentences;
    }

    // The same sent_id in two files (a treebank's dev and test, say) would
    // give two pairs one id; say so rather than rename.
    std::map<std::string, int> ids;
    for (const auto& item : items) ++ids[item.id];
    std::int64_t duplicates = 0;
    for (const auto& [id, n] : ids) duplicates += n - 1;
    if (duplicates > 0) std::cerr << "warning: " << duplicates << " pair id(s) occur more than once\n";

    const std::size_t keep = limit < 0 ? items.size() : std::min(items.size(), static_cast<std::size_t>(limit));
    std::vector<MinimalPair> pairs;
    std::vector<std::vector<std::string>> extra;
    std::vector<std::string> extraColumns = {"source"};
    if (!items.empty())
        for (const auto& [key, value] : items.front().metadata) extraColumns.push_back(key);
    for (std::size_t i = 0; i < keep; ++i) {
        const DatasetItem& it = items[i];
        pairs.push_back({it.id, it.phenomenon, it.good.text, it.bad.text, it.goodWord, it.badWord, it.wordIndex});
        std::vector<std::string> row = {itemSource[i]};
        for (const auto& [key, value] : it.metadata) row.push_back(value);
        extra.push_back(std::move(row));
    }
    const std::string out = args.value("out");
    if (Status st = writeMinimalPairsCsv(out, pairs, extraColumns, extra); !st.isOk()) return fail(st);

    if (args.has("json-stats")) {
        nlohmann::ordered_json j;
        j["strict"] = options.requireFiniteHead;
        j["rules"] = args.has("rules") ? args.value("rules") : std::string("built-in");
        j["files"] = nlohmann::ordered_json::array();
        for (const FileResult& r : results) {
            nlohmann::ordered_json f = {{"file", r.file}, {"malformed_sentences", r.skippedSentences}, {"warnings", r.warnings}};
            f.update(statsJson(r.stats));
            j["files"].push_back(std::move(f));
        }
        j["total"] = statsJson(total);
        j["total"]["malformed_sentences"] = skippedSentences;
        j["duplicate_ids"] = duplicates;
        j["written"] = pairs.size();
        j["out"] = out;
        std::cout << j.dump(2) << "\n";
    } else {
        printStatsText(results, total, skippedSentences, pairs.size(), out);
    }
    if (pairs.empty()) std::cerr << "warning: no sentence had a direct object the rules change\n";
    return 0;
}

} // namespace gs::cli
