// The polypersonal transformation (methods.md §1) on UD sentences: the head
// verb of every accusative direct object takes the object's marker from the
// rule table, and the sentence is rewritten by replacing the verb's byte span,
// so everything else (punctuation, spacing, the other words) stays as the
// treebank wrote it.
//
// Decisions the method leaves open:
//  - deprel "obj" and its subtypes ("obj:..."): a subtype refines the relation,
//    the word is still the direct object (Russian UD uses none today);
//  - Case=Acc, also inside a multi-value feature ("Case=Acc,Gen");
//  - a verb with several direct objects agrees with the first one (in word
//    order) that a rule matches; the others count as skippedVerbTaken;
//  - the object lemma is lower-cased before matching (rule lemmas are written
//    in lower case); an object without Number is matched by lemma rules only;
//  - the marker goes into the verb as written: «Отличали» → «Отличалиет», and an
//    all-capitals verb gets a capitalised marker («ЛЮБИТ» → «ЛЮБИТЕТ»).

#include "grammascope/conllu.h"

#include "util/unicode.h"
#include "util/utf8.h"

#include <algorithm>

namespace gs {

PolypersonalRules defaultPolypersonalRules() {
    PolypersonalRules r;
    r.kind = PolypersonalKind::Suffix;
    // Present / future and past endings, longest first; used by infix rules
    // only, listed so that a table switched to "infix" works as it is.
    r.endings = {"ешь", "ёшь", "ишь", "ете", "ёте", "ите", "ем", "ём", "им", "ет", "ёт",
                 "ит",  "ут",  "ют",  "ат",  "ят",  "у",   "ю",   "а",  "о",  "и"};
    r.rules = {
        {"я", std::nullopt, "ю", std::nullopt},
        {"мы", std::nullopt, "ем", std::nullopt},
        {"ты", std::nullopt, "ешь", std::nullopt},
        {"вы", std::nullopt, "ете", std::nullopt},
        {"", GramNumber::Sg, "ет", std::nullopt},
        {"", GramNumber::Pl, "ете", std::nullopt},
    };
    return r;
}

namespace {

// The values of one feature of a UD FEATS string ("Case=Acc|Number=Sing").
// Not UdWord::feature: multi-value features ("Case=Acc,Gen") matter here.
std::string_view featureValue(std::string_view feats, std::string_view name) {
    std::size_t pos = 0;
    while (pos < feats.size()) {
        const std::size_t bar = std::min(feats.find('|', pos), feats.size());
        const std::string_view f = feats.substr(pos, bar - pos);
        if (f.size() > name.size() && f.substr(0, name.size()) == name && f[name.size()] == '=')
            return f.substr(name.size() + 1);
        pos = bar + 1;
    }
    return {};
}

bool featureHas(std::string_view feats, std::string_view name, std::string_view value) {
    const std::string_view values = featureValue(feats, name);
    std::size_t pos = 0;
    while (pos < values.size()) {
        const std::size_t comma = std::min(values.find(',', pos), values.size());
        if (values.substr(pos, comma - pos) == value) return true;
        pos = comma + 1;
    }
    return false;
}

bool isDirectObject(const UdWord& ud) {
    const std::string_view rel = ud.deprel;
    return (rel == "obj" || rel.substr(0, 4) == "obj:") && featureHas(ud.feats, "Case", "Acc");
}

std::optional<GramNumber> objectNumber(const UdWord& ud) {
    const std::string_view n = featureValue(ud.feats, "Number");
    if (n == "Sing") return GramNumber::Sg;
    if (n == "Plur") return GramNumber::Pl;
    return std::nullopt;  // absent, Dual, Ptan, "Plur,Sing": only lemma rules apply
}

std::string lower(std::string_view s) {
    std::u32string cps;
    if (!utf8::decode(s, cps).isOk()) return std::string(s);
    for (char32_t& c : cps) c = unicode::simpleLower(c);
    return utf8::encode(cps);
}

// Upper case of Latin and Cyrillic letters, enough for the markers of a
// Russian rule table; other characters are left as they are.
char32_t upperLetter(char32_t c) {
    if (c >= U'a' && c <= U'z') return c - 0x20;
    if (c >= 0x430 && c <= 0x44F) return c - 0x20;
    if (c >= 0x450 && c <= 0x45F) return c - 0x50;
    return c;
}

// Every letter that has a case is a capital, and there are at least two.
bool allCapitals(const std::u32string& cps) {
    int capitals = 0;
    for (char32_t c : cps) {
        if (unicode::hasLowerMapping(c)) ++capitals;
        else if (upperLetter(c) != c) return false;
    }
    return capitals >= 2;
}

struct VerbChange {
    std::string form;     // the new surface form
    std::string marker;   // as inserted
    std::size_t object = 0;
};

// The verb as written with the marker for this object, or nothing when no
// rule matches. Rules see the lower-cased form, so that infix endings match
// a capitalised verb too; the marker is then put into the form as written.
std::optional<VerbChange> changeVerb(const PolypersonalRules& rules, const std::string& written,
                                     const std::string& objectLemma, std::optional<GramNumber> number) {
    utf8::DecodedText orig;
    if (!utf8::decode(written, orig).isOk()) return std::nullopt;
    std::u32string lowered = orig.codePoints;
    for (char32_t& c : lowered) c = unicode::simpleLower(c);
    const std::string low = utf8::encode(lowered);
    const auto result = polypersonalVerbForm(rules, low, objectLemma, number);
    // An empty marker leaves the verb as it is: no change, as if no rule matched.
    if (!result || result->size() <= low.size()) return std::nullopt;
    // Where the marker went: the rules only insert, so result = low[0, cut) +
    // marker + low[cut, end) for the common prefix's length, backed off to a
    // code point boundary (any insertion point giving the same string is
    // equally right).
    const std::size_t markerBytes = result->size() - low.size();
    std::size_t cut = 0;
    while (cut < low.size() && (*result)[cut] == low[cut]) ++cut;
    while (cut > 0 && cut < low.size() && (static_cast<unsigned char>(low[cut]) & 0xC0) == 0x80) --cut;
    if (result->compare(cut + markerBytes, std::string::npos, low, cut, std::string::npos) != 0) return std::nullopt;
    std::string marker = result->substr(cut, markerBytes);
    if (allCapitals(orig.codePoints)) {
        std::u32string m;
        if (utf8::decode(marker, m).isOk()) {
            for (char32_t& c : m) c = upperLetter(c);
            marker = utf8::encode(m);
        }
    }
    // The same code point index in the written form (lower-casing maps one
    // code point to one).
    std::size_t cpIndex = 0, bytes = 0;
    while (bytes < cut) bytes += utf8::encode(lowered[cpIndex++]).size();
    const std::size_t writtenCut = orig.byteOffsets[cpIndex];
    VerbChange change;
    change.form = written.substr(0, writtenCut) + marker + written.substr(writtenCut);
    change.marker = std::move(marker);
    return change;
}

std::int64_t shifted(std::int64_t pos, bool isEnd, const std::vector<std::pair<const SentenceWord*, std::int64_t>>& edits) {
    // A begin moves by the edits ending at or before it, an end by the edits
    // starting before it (so the edited word's own end moves by its delta).
    std::int64_t d = 0;
    for (const auto& [w, delta] : edits)
        if (isEnd ? w->byteBegin < pos : w->byteEnd <= pos) d += delta;
    return pos + d;
}

} // namespace

Status generatePolypersonalPairs(const std::vector<ConlluSentence>& sentences, const PolypersonalOptions& options,
                                 PolypersonalResult& out, const ProgressCallback& progress) {
    out = PolypersonalResult();
    if (options.rules.rules.empty()) return Status::failed("polypersonal transformation: the rule table has no rules");
    PolypersonalStats& st = out.stats;
    const auto total = static_cast<std::int64_t>(sentences.size());
    for (std::int64_t si = 0; si < total; ++si) {
        if (progress && si > 0 && si % 1000 == 0 && !progress(si, total)) return Status::cancelled();
        const ConlluSentence& cs = sentences[static_cast<std::size_t>(si)];
        const AnnotatedSentence& good = cs.sentence;
        const auto& words = good.words;
        ++st.sentences;

        std::vector<std::optional<VerbChange>> changes(words.size());
        for (std::size_t i = 0; i < words.size(); ++i) {
            if (!words[i].ud || !isDirectObject(*words[i].ud)) continue;
            ++st.objects;
            const UdWord& obj = *words[i].ud;
            const std::int32_t h = obj.head;
            const auto hi = static_cast<std::size_t>(h);
            const UdWord* head = h >= 0 && hi < words.size() && words[hi].ud ? &*words[hi].ud : nullptr;
            if (!head || (head->upos != "VERB" && head->upos != "AUX")) {
                ++st.skippedHeadNotVerb;
                continue;
            }
            if (options.requireFiniteHead && !featureHas(head->feats, "VerbForm", "Fin")) {
                ++st.skippedNotFinite;
                continue;
            }
            if (changes[hi]) {
                ++st.skippedVerbTaken;
                continue;
            }
            const SentenceWord& verb = words[hi];
            const auto b = static_cast<std::size_t>(verb.byteBegin), e = static_cast<std::size_t>(verb.byteEnd);
            if (e > good.text.size() || b > e || good.text.compare(b, e - b, verb.text) != 0) {
                ++st.skippedVerbSpan;
                continue;
            }
            auto change = changeVerb(options.rules, verb.text, lower(obj.lemma), objectNumber(obj));
            if (!change) {
                ++st.skippedNoRule;
                continue;
            }
            change->object = i;
            changes[hi] = std::move(change);
            ++st.verbsChanged;
        }

        // The bad twin: the text with every changed verb's span replaced, spans
        // moved by the length the markers add before them.
        std::vector<std::pair<const SentenceWord*, std::int64_t>> edits;
        std::int32_t first = -1;
        for (std::size_t i = 0; i < words.size(); ++i) {
            if (!changes[i]) continue;
            if (first < 0) first = static_cast<std::int32_t>(i);
            edits.emplace_back(&words[i], static_cast<std::int64_t>(changes[i]->form.size()) -
                                              static_cast<std::int64_t>(words[i].text.size()));
        }
        if (first < 0) continue;
        std::sort(edits.begin(), edits.end(), [](const auto& a, const auto& b) { return a.first->byteBegin < b.first->byteBegin; });

        DatasetItem item;
        item.id = cs.sentId + kArtificialPairIdSuffix;
        item.phenomenon = "polypersonal_agreement";
        item.good = good;
        item.bad.words = good.words;
        std::size_t copied = 0;
        for (const auto& [w, delta] : edits) {
            const auto idx = static_cast<std::size_t>(w - words.data());
            item.bad.text.append(good.text, copied, static_cast<std::size_t>(w->byteBegin) - copied);
            item.bad.text += changes[idx]->form;
            copied = static_cast<std::size_t>(w->byteEnd);
        }
        item.bad.text.append(good.text, copied, std::string::npos);
        for (std::size_t i = 0; i < words.size(); ++i) {
            SentenceWord& w = item.bad.words[i];
            w.byteBegin = shifted(words[i].byteBegin, false, edits);
            w.byteEnd = shifted(words[i].byteEnd, true, edits);
            if (changes[i]) w.text = changes[i]->form;
        }

        const auto f = static_cast<std::size_t>(first);
        const VerbChange& c = *changes[f];
        const UdWord& obj = *words[c.object].ud;
        item.goodWord = words[f].text;
        item.badWord = c.form;
        item.wordIndex = first;
        item.line = cs.line;
        item.metadata = {{"sent_id", cs.sentId},
                         {"verb_lemma", words[f].ud->lemma},
                         {"object_lemma", obj.lemma},
                         {"object_feats", obj.feats},
                         {"marker", c.marker},
                         {"verbs_changed", std::to_string(edits.size())}};
        out.items.push_back(std::move(item));
        ++st.pairs;
    }
    if (progress && !progress(total, total)) return Status::cancelled();
    return Status::ok();
}

} // namespace gs
