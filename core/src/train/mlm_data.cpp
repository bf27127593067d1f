#include "train/mlm_data.h"

#include <algorithm>
#include <fstream>
#include <numeric>
#include <random>
#include <string>
#include <unordered_set>

namespace gs::detail {
namespace {

std::mt19937_64 makeRng(std::uint64_t seed, std::uint64_t stream) {
    std::seed_seq seq{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32),
                      static_cast<std::uint32_t>(stream), static_cast<std::uint32_t>(stream >> 32), 0x6d6c6du};
    return std::mt19937_64(seq);
}

} // namespace

Status tokenizeCorpus(const std::filesystem::path& file, const Tokenizer& tokenizer, std::int64_t maxLength,
                      std::int64_t maxLines, TokenizedCorpus& out, const ProgressCallback& progress) {
    out = {};
    std::ifstream in(file, std::ios::binary);
    if (!in) return Status::failed("cannot open " + file.string());
    std::error_code ec;
    const auto fileSize = std::filesystem::file_size(file, ec);
    std::string line;
    std::int64_t lineNo = 0;
    while (std::getline(in, line)) {
        ++lineNo;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.find_first_not_of(" \t") == std::string::npos) {
            ++out.skippedLines;
            continue;
        }
        Encoding enc;
        Status st = tokenizer.encode(line, maxLength, enc);
        if (!st.isOk()) return Status::failed(file.string() + ":" + std::to_string(lineNo) + ": " + st.message());
        if (enc.tokens.size() < 3) {  // nothing but the specials
            ++out.skippedLines;
            continue;
        }
        if (enc.untruncatedLength > static_cast<std::int64_t>(enc.tokens.size())) ++out.truncated;
        std::vector<std::int32_t> ids;
        ids.reserve(enc.tokens.size());
        for (const Token& t : enc.tokens) ids.push_back(static_cast<std::int32_t>(t.id));
        out.tokens += static_cast<std::int64_t>(ids.size());
        out.sequences.push_back(std::move(ids));
        if (maxLines > 0 && static_cast<std::int64_t>(out.sequences.size()) >= maxLines) break;
        if (progress && lineNo % 4096 == 0 && fileSize > 0) {
            const auto pos = static_cast<std::int64_t>(in.tellg());
            if (!progress(pos, static_cast<std::int64_t>(fileSize))) return Status::cancelled();
        }
    }
    if (in.bad()) return Status::failed("read error in " + file.string() + " after line " + std::to_string(lineNo));
    if (out.sequences.empty()) return Status::failed(file.string() + " holds no sentences");
    return Status::ok();
}

std::vector<std::vector<std::int32_t>> planEpoch(const TokenizedCorpus& corpus, std::int64_t batchTokens,
                                                 std::uint64_t seed, std::int64_t epoch) {
    auto rng = makeRng(seed, 0x45504f43ull + static_cast<std::uint64_t>(epoch));
    std::vector<std::int32_t> order(corpus.sequences.size());
    std::iota(order.begin(), order.end(), 0);
    std::shuffle(order.begin(), order.end(), rng);

    std::vector<std::vector<std::int32_t>> batches;
    const std::size_t window = 16384;
    for (std::size_t start = 0; start < order.size(); start += window) {
        const auto end = std::min(order.size(), start + window);
        std::stable_sort(order.begin() + static_cast<std::ptrdiff_t>(start), order.begin() + static_cast<std::ptrdiff_t>(end),
                         [&](std::int32_t a, std::int32_t b) {
                             return corpus.sequences[static_cast<std::size_t>(a)].size() <
                                    corpus.sequences[static_cast<std::size_t>(b)].size();
                         });
        std::vector<std::int32_t> current;
        std::size_t longest = 0;
        for (auto i = start; i < end; ++i) {
            const std::size_t len = corpus.sequences[static_cast<std::size_t>(order[i])].size();
            const std::size_t widest = std::max(longest, len);
            if (!current.empty() && static_cast<std::int64_t>(widest * (current.size() + 1)) > batchTokens) {
                batches.push_back(std::move(current));
                current.clear();
                longest = 0;
            }
            current.push_back(order[i]);
            longest = std::max(longest, len);
        }
        if (!current.empty()) batches.push_back(std::move(current));
    }
    std::shuffle(batches.begin(), batches.end(), rng);
    return batches;
}

MaskedBatch maskBatch(const TokenizedCorpus& corpus, const std::vector<std::int32_t>& rows, const MaskingSpec& spec,
                      std::uint64_t seed, std::uint64_t stream) {
    MaskedBatch b;
    b.rows = static_cast<std::int64_t>(rows.size());
    for (auto r : rows) b.width = std::max<std::int64_t>(b.width, static_cast<std::int64_t>(corpus.sequences[static_cast<std::size_t>(r)].size()));
    b.inputIds.assign(static_cast<std::size_t>(b.rows * b.width), spec.padId);
    b.attentionMask.assign(static_cast<std::size_t>(b.rows * b.width), 0);

    const std::unordered_set<std::int64_t> specials(spec.specialIds.begin(), spec.specialIds.end());
    auto rng = makeRng(seed, stream);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    std::uniform_int_distribution<std::int64_t> anyToken(0, spec.vocabSize - 1);
    auto randomToken = [&] {
        for (;;) {
            const std::int64_t t = anyToken(rng);
            if (!specials.count(t)) return t;
        }
    };

    std::vector<std::int64_t> candidates;
    for (std::int64_t r = 0; r < b.rows; ++r) {
        const auto& seq = corpus.sequences[static_cast<std::size_t>(rows[static_cast<std::size_t>(r)])];
        candidates.clear();
        for (std::size_t t = 0; t < seq.size(); ++t) {
            const auto flat = static_cast<std::size_t>(r * b.width) + t;
            b.inputIds[flat] = seq[t];
            b.attentionMask[flat] = 1;
            if (!specials.count(seq[t])) candidates.push_back(static_cast<std::int64_t>(flat));
        }
        b.realTokens += static_cast<std::int64_t>(seq.size());
        std::vector<std::int64_t> chosen;
        for (auto flat : candidates)
            if (unit(rng) < spec.probability) chosen.push_back(flat);
        if (chosen.empty() && !candidates.empty()) {
            std::uniform_int_distribution<std::size_t> pick(0, candidates.size() - 1);
            chosen.push_back(candidates[pick(rng)]);
        }
        for (auto flat : chosen) {
            b.maskedPositions.push_back(flat);
            b.labels.push_back(b.inputIds[static_cast<std::size_t>(flat)]);
            const double u = unit(rng);
            if (u < 0.8) b.inputIds[static_cast<std::size_t>(flat)] = spec.maskId;
            else if (u < 0.9) b.inputIds[static_cast<std::size_t>(flat)] = randomToken();
        }
    }
    return b;
}

} // namespace gs::detail
