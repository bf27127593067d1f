// Strings of grammascope_core shown by the UI, for lupdate (see below).

#include <QCoreApplication>

namespace gs::ui {
namespace {

// Names and descriptions that grammascope_core defines (it has no Qt) and the
// UI shows through QCoreApplication::translate("LayerQuantity" / "ProbeTask",
// ...): listed here, in a file qt_add_translations scans (ui/CMakeLists.txt), so that lupdate keeps
// them in translations/*.ts. They must match core/src/analysis/layer_view.cpp
// and core/src/probing/probe_tasks.cpp word for word; tests/ui/translation_test
// fails when one has no translation.
[[maybe_unused]] constexpr const char* kCoreStrings[] = {
    QT_TRANSLATE_NOOP("LayerQuantity", "Hidden-state norm"),
    QT_TRANSLATE_NOOP("LayerQuantity", "Euclidean norm of each token's vector after each layer."),
    QT_TRANSLATE_NOOP("LayerQuantity", "Cosine similarity to last layer"),
    QT_TRANSLATE_NOOP("LayerQuantity", "How close each token's vector at a layer is to its final representation "
                                       "(1 = identical direction)."),
    QT_TRANSLATE_NOOP("LayerQuantity", "Change from previous layer"),
    QT_TRANSLATE_NOOP("LayerQuantity", "1 − cosine similarity between a token's vector at a layer and at the layer "
                                       "below: where the representation moves most."),
    QT_TRANSLATE_NOOP("LayerQuantity", "Token surprisal (PLL, bits)"),
    QT_TRANSLATE_NOOP("LayerQuantity", "−log₂ P(token | the sentence with that token masked): where the model finds "
                                       "the sentence unexpected. One row; merged words sum their pieces."),
    QT_TRANSLATE_NOOP("ProbeTask", "Changed words"),
    QT_TRANSLATE_NOOP("ProbeTask", "1 for the tokens of the words that differ between the two sentences of a pair, "
                                   "0 for every other token (both sentences of every pair)"),
    QT_TRANSLATE_NOOP("ProbeTask", "Polypersonal verb form"),
    QT_TRANSLATE_NOOP("ProbeTask", "1 for the changed words of the polypersonal side of polypersonal pairs, 0 for "
                                   "every other word of those pairs"),
    QT_TRANSLATE_NOOP("ProbeTask", "UD feature"),
    QT_TRANSLATE_NOOP("ProbeTask", "the value of one Universal Dependencies feature (Number, Gender, Case, Person, "
                                   "Tense, ...) of the words that have it (CoNLL-U datasets)"),
    QT_TRANSLATE_NOOP("ProbeTask", "Part of speech"),
    QT_TRANSLATE_NOOP("ProbeTask", "the UD part of speech of every annotated word (CoNLL-U datasets)"),
    QT_TRANSLATE_NOOP("ProbeTask", "Grammatical sentence"),
    QT_TRANSLATE_NOOP("ProbeTask", "1 for the grammatical, 0 for the ungrammatical sentence of every pair"),
    QT_TRANSLATE_NOOP("ProbeTask", "Polypersonal sentence"),
    QT_TRANSLATE_NOOP("ProbeTask", "1 for the polypersonal side, 0 for the standard side of polypersonal pairs"),
};

} // namespace
} // namespace gs::ui
