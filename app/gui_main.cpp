// grammascope: the desktop front end.
//   grammascope [MODEL_DIR] [--text "…"] [--pairs FILE]...
// Opens MODEL_DIR (a Hugging Face checkpoint folder) on start; with --text the
// sentence is put into the input and run as soon as the model has loaded.
// Every --pairs FILE opens as a dataset in the browser (the first one shows
// its first pair unless --text is given). Without MODEL_DIR, the built-in
// demo opens: the demo model, the demo pairs (or the first --pairs file),
// and the heatmap of the first pair.

#include "demo_assets.h"
#include "main_window.h"
#include "settings.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

#include <cstring>

namespace {

void describeApplication() {
    QCoreApplication::setOrganizationName(QStringLiteral("Grammascope"));
    QCoreApplication::setApplicationName(QStringLiteral("Grammascope"));
    QCoreApplication::setApplicationVersion(QStringLiteral(GRAMMASCOPE_VERSION));
}

QCommandLineOption textOption() {
    return QCommandLineOption(QStringLiteral("text"),
                              QCoreApplication::translate("main", "Sentence to encode once the model has loaded."),
                              QCoreApplication::translate("main", "sentence"));
}

QCommandLineOption pairsOption() {
    return QCommandLineOption(QStringLiteral("pairs"),
                              QCoreApplication::translate("main", "Dataset to open: minimal pairs or sentences (CSV, TSV, JSONL, text, "
                                                                      "CoNLL-U); may be given several times."),
                              QCoreApplication::translate("main", "file"));
}

QCommandLineOption noDemoOption() {
    return QCommandLineOption(QStringLiteral("no-demo"),
                              QCoreApplication::translate("main", "Start empty instead of opening the built-in demo."));
}

void configureParser(QCommandLineParser& parser) {
    parser.setApplicationDescription(QCoreApplication::translate(
        "main", "Shows where a BERT-style masked language model keeps grammar: a token x layer view of its "
                "hidden states."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("MODEL_DIR"),
        QCoreApplication::translate("main", "Hugging Face checkpoint folder to open (config.json, weights, tokenizer)."),
        QStringLiteral("[MODEL_DIR]"));
    parser.addOption(textOption());
    parser.addOption(pairsOption());
    parser.addOption(noDemoOption());
}

// --help and --version print text only: answer them without a display.
bool asksForTextOnly(int argc, char* argv[]) {
    for (int i = 1; i < argc; ++i)
        for (const char* option : {"-h", "-?", "--help", "--help-all", "-v", "--version"})
            if (std::strcmp(argv[i], option) == 0) return true;
    return false;
}

void installTranslators(QCoreApplication& app) {
    // Owned by the application object; Qt's own strings from its install,
    // Grammascope's compiled into the binary (":/i18n").
    auto* qt = new QTranslator(&app);
    if (qt->load(QLocale(), QStringLiteral("qtbase"), QStringLiteral("_"),
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
    auto* own = new QTranslator(&app);
    if (own->load(QLocale(), QStringLiteral("grammascope"), QStringLiteral("_"), QStringLiteral(":/i18n")))
        QCoreApplication::installTranslator(own);
}

} // namespace

int main(int argc, char* argv[]) {
    if (asksForTextOnly(argc, argv)) {
        QCoreApplication app(argc, argv);
        describeApplication();
        installTranslators(app);
        QCommandLineParser parser;
        configureParser(parser);
        parser.process(app);  // prints and exits
        return 0;
    }

    QApplication app(argc, argv);
    describeApplication();
    QApplication::setApplicationDisplayName(QStringLiteral("Grammascope"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/grammascope/icons/grammascope.svg")));
    installTranslators(app);

    QCommandLineParser parser;
    configureParser(parser);
    parser.process(app);
    const QStringList positional = parser.positionalArguments();
    if (positional.size() > 1) parser.showHelp(2);  // exits

    gs::ui::Settings settings;
    gs::ui::MainWindow window(settings);
    const QString text = parser.value(textOption());
    if (!text.isEmpty()) window.setSentence(text);
    window.show();  // first: a dataset may ask for its columns in a dialog over the window
    const QStringList datasets = parser.values(pairsOption());
    if (!positional.isEmpty()) {
        window.openModel(positional.front(), !text.isEmpty());
        for (int i = 0; i < datasets.size(); ++i) window.openDataset(datasets[i], i == 0 && text.isEmpty());
    } else if (!parser.isSet(noDemoOption()) && text.isEmpty() && window.openDemo(datasets.value(0))) {
        for (int i = 1; i < datasets.size(); ++i) window.openDataset(datasets[i]);
    } else {
        if (!parser.isSet(noDemoOption()) && !text.isEmpty()) {
            const gs::ui::DemoAssets demo = gs::ui::findDemoAssets();
            if (demo.found()) window.openModel(demo.modelDir, true);
        }
        for (int i = 0; i < datasets.size(); ++i) window.openDataset(datasets[i], i == 0 && text.isEmpty());
    }
    return QApplication::exec();
}
