// The Russian UI translation (translations/grammascope_ru.ts, compiled into
// the binary as :/i18n/grammascope_ru.qm): every message of the .ts is
// finished and keeps the placeholders, plural forms, HTML tags and the
// accelerator of its source; the compiled .qm gives back what the .ts says
// (so a stale build shows up); the names and descriptions grammascope_core
// defines are translated; known strings of the main window, the probe panel
// and the dataset browser come back in Russian; accelerators do not clash in
// a menu nor across the main window; and a screenshot of the Russian window
// with the demo open (screenshots/ru.png, plus its menus and the probe dialog).

#include "qt_test_app.h"

#include "dataset_browser.h"
#include "dataset_model.h"
#include "demo_assets.h"
#include "heatmap_widget.h"
#include "main_window.h"
#include "probe_dialog.h"
#include "settings.h"

#include "grammascope/layer_view.h"
#include "grammascope/probe_data.h"

#include <gtest/gtest.h>

#include <QAbstractButton>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QGroupBox>
#include <QLabel>
#include <QLibraryInfo>
#include <QLocale>
#include <QMap>
#include <QMenu>
#include <QMenuBar>
#include <QRegularExpression>
#include <QTabBar>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>
#include <QXmlStreamReader>

#include <memory>

namespace {

constexpr int kTimeoutMs = 60000;
const QString kTsFile = QStringLiteral(GRAMMASCOPE_TEST_DATA_DIR "/../../translations/grammascope_ru.ts");
const QString kQmFile = QStringLiteral(":/i18n/grammascope_ru.qm");

QString screenshotDir() {
    return qEnvironmentVariableIsSet("GRAMMASCOPE_SCREENSHOT_DIR") ? qEnvironmentVariable("GRAMMASCOPE_SCREENSHOT_DIR")
                                                                   : QStringLiteral(GRAMMASCOPE_SCREENSHOT_DIR);
}

struct TsMessage {
    QString context;
    QString source;
    QString comment;
    bool numerus = false;
    QString type;         // the translation's type attribute ("unfinished", "vanished", ...)
    QStringList forms;    // one translation, or the numerus forms
};

std::vector<TsMessage> readTs(const QString& path, QString& error) {
    std::vector<TsMessage> out;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        error = QStringLiteral("cannot open ") + path;
        return out;
    }
    QXmlStreamReader xml(&file);
    QString context;
    TsMessage* message = nullptr;
    bool inTranslation = false;
    while (!xml.atEnd()) {
        xml.readNext();
        if (!xml.isStartElement()) {
            if (xml.isEndElement() && xml.name() == QLatin1String("translation")) inTranslation = false;
            continue;
        }
        const auto name = xml.name();
        if (name == QLatin1String("context")) {
            message = nullptr;
        } else if (name == QLatin1String("name") && !message) {
            context = xml.readElementText();
        } else if (name == QLatin1String("message")) {
            out.push_back(TsMessage{context, {}, {}, xml.attributes().value(QLatin1String("numerus")) == QLatin1String("yes"), {}, {}});
            message = &out.back();
        } else if (message && name == QLatin1String("source")) {
            message->source = xml.readElementText();
        } else if (message && name == QLatin1String("comment")) {
            message->comment = xml.readElementText();
        } else if (message && name == QLatin1String("translation")) {
            message->type = xml.attributes().value(QLatin1String("type")).toString();
            if (message->numerus) {
                inTranslation = true;
            } else {
                message->forms << xml.readElementText();
            }
        } else if (message && inTranslation && name == QLatin1String("numerusform")) {
            message->forms << xml.readElementText();
        }
    }
    if (xml.hasError()) error = xml.errorString();
    return out;
}

// %1…%99 (also %L1), %n and the progress-bar formats %p, %v, %m, sorted.
QStringList placeholders(const QString& text) {
    static const QRegularExpression re(QStringLiteral("%(?:L?[0-9]{1,2}|[nmpv])"));
    QStringList out;
    for (auto it = re.globalMatch(text); it.hasNext();) out << it.next().captured();
    out.sort();
    return out;
}

QStringList htmlTags(const QString& text) {
    static const QRegularExpression re(QStringLiteral("</?[a-zA-Z]+"));
    QStringList out;
    for (auto it = re.globalMatch(text); it.hasNext();) out << it.next().captured();
    out.sort();
    return out;
}

// The accelerator letters of a text ("&&" is a literal ampersand; "& " and
// HTML entities are not accelerators).
QString mnemonics(const QString& text) {
    QString out;
    for (qsizetype i = 0; i + 1 < text.size(); ++i) {
        if (text[i] != QLatin1Char('&')) continue;
        const QChar next = text[i + 1];
        if (next == QLatin1Char('&')) {
            ++i;
            continue;
        }
        if (next.isLetterOrNumber() && !text.mid(i).startsWith(QLatin1String("&lt;")) &&
            !text.mid(i).startsWith(QLatin1String("&gt;")) && !text.mid(i).startsWith(QLatin1String("&amp;")))
            out += next.toLower();
    }
    return out;
}

class RussianTranslator : public ::testing::Test {
protected:
    void SetUp() override {
        gs::testing::testApplication();
        ASSERT_TRUE(QFile::exists(kQmFile)) << "the .qm is not compiled into the binary";
        ASSERT_TRUE(translator.load(kQmFile));
    }
    QString ru(const char* context, const char* source, int n = -1) const {
        return translator.translate(context, source, nullptr, n);
    }
    QTranslator translator;
};

TEST_F(RussianTranslator, LoadsByLocaleLikeTheApplication) {
    // As app/gui_main.cpp installTranslators() does, for a Russian system locale.
    QTranslator byLocale;
    EXPECT_TRUE(byLocale.load(QLocale(QLocale::Russian, QLocale::Russia), QStringLiteral("grammascope"),
                              QStringLiteral("_"), QStringLiteral(":/i18n")));
    EXPECT_EQ(byLocale.language(), QStringLiteral("ru_RU"));
    EXPECT_EQ(byLocale.translate("gs::ui::MainWindow", "&File"), QStringLiteral("&Файл"));
}

TEST_F(RussianTranslator, QtsOwnStringsLoadLikeTheApplication) {
    // Standard buttons and file dialogs speak Russian through Qt's own
    // catalogue (qt6-translations-l10n), loaded as app/gui_main.cpp does.
    QTranslator qt;
    ASSERT_TRUE(qt.load(QLocale(QLocale::Russian, QLocale::Russia), QStringLiteral("qtbase"), QStringLiteral("_"),
                        QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        << "Qt's Russian catalogue is missing: scripts/install-deps.sh installs qt6-translations-l10n";
    ASSERT_TRUE(QCoreApplication::installTranslator(&qt));
    {
        QDialogButtonBox box(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
        QString cancel = box.button(QDialogButtonBox::Cancel)->text();
        cancel.remove(QLatin1Char('&'));
        EXPECT_EQ(cancel, QStringLiteral("Отмена"));
    }
    QCoreApplication::removeTranslator(&qt);
    QDialogButtonBox english(QDialogButtonBox::Cancel);
    EXPECT_EQ(english.button(QDialogButtonBox::Cancel)->text().remove(QLatin1Char('&')), QStringLiteral("Cancel"));
}

TEST_F(RussianTranslator, KnownStringsOfTheMainWindowProbePanelAndDatasetBrowser) {
    EXPECT_EQ(ru("gs::ui::MainWindow", "&File"), QStringLiteral("&Файл"));
    EXPECT_EQ(ru("gs::ui::MainWindow", "&Analysis"), QStringLiteral("&Анализ"));
    EXPECT_EQ(ru("gs::ui::MainWindow", "&Open model folder…"), QStringLiteral("&Открыть папку модели…"));
    EXPECT_EQ(ru("gs::ui::MainWindow", "Datasets"), QStringLiteral("Наборы данных"));
    EXPECT_EQ(ru("gs::ui::MainWindow", "Probes"), QStringLiteral("Зонды"));
    EXPECT_EQ(ru("gs::ui::MainWindow", "%1 — Grammascope"), QStringLiteral("%1 — Grammascope"));
    EXPECT_EQ(ru("gs::ui::ProbePanel", "Selectivity"), QStringLiteral("Селективность"));
    EXPECT_EQ(ru("gs::ui::ProbePanel", "Majority baseline"), QStringLiteral("Базовый уровень (мажоритарный класс)"));
    EXPECT_EQ(ru("gs::ui::ProbePanel", "Layer"), QStringLiteral("Слой"));
    EXPECT_EQ(ru("gs::ui::DatasetBrowser", "Run dataset"), QStringLiteral("Прогнать набор данных"));
    EXPECT_EQ(ru("gs::ui::DatasetBrowser", "%1 of %2 pairs"), QStringLiteral("%1 из %2 пар"));
    EXPECT_EQ(ru("gs::ui::DatasetModel", "Grammatical"), QStringLiteral("Грамматичное"));
    EXPECT_EQ(ru("gs::ui::DatasetModel", "Ungrammatical"), QStringLiteral("Неграмматичное"));
    EXPECT_EQ(ru("gs::ui::HeatmapWidget", "Token"), QStringLiteral("Токен"));
    EXPECT_EQ(ru("gs::ui::ModelInfoPanel", "Hidden size"), QStringLiteral("Размер скрытого состояния"));
}

TEST_F(RussianTranslator, RussianPluralFormsFollowTheNumber) {
    const char* source = "%n warning(s)";
    EXPECT_EQ(ru("gs::ui::DatasetBrowser", source, 1), QStringLiteral("%n предупреждение"));
    EXPECT_EQ(ru("gs::ui::DatasetBrowser", source, 3), QStringLiteral("%n предупреждения"));
    EXPECT_EQ(ru("gs::ui::DatasetBrowser", source, 11), QStringLiteral("%n предупреждений"));
    EXPECT_EQ(ru("gs::ui::DatasetBrowser", source, 21), QStringLiteral("%n предупреждение"));
    EXPECT_EQ(ru("gs::ui::DatasetBrowser", source, 24), QStringLiteral("%n предупреждения"));
    EXPECT_EQ(ru("gs::ui::DatasetBrowser", source, 100), QStringLiteral("%n предупреждений"));
}

// Layer quantities and probe tasks are named in grammascope_core and shown
// through translate("LayerQuantity" / "ProbeTask", ...); lupdate finds them
// in ui/core_strings.cpp (kCoreStrings), which must follow the core's wording.
TEST_F(RussianTranslator, NamesDefinedInTheCoreAreTranslated) {
    for (const gs::LayerQuantityInfo& info : gs::layerQuantities()) {
        EXPECT_FALSE(ru("LayerQuantity", info.label).isEmpty()) << info.label;
        EXPECT_FALSE(ru("LayerQuantity", info.description).isEmpty()) << info.description;
    }
    for (const gs::ProbeTaskInfo& info : gs::probeTasks()) {
        EXPECT_FALSE(ru("ProbeTask", info.label.c_str()).isEmpty()) << info.label;
        EXPECT_FALSE(ru("ProbeTask", info.description.c_str()).isEmpty()) << info.description;
    }
    EXPECT_EQ(ru("LayerQuantity", "Hidden-state norm"), QStringLiteral("Норма скрытого состояния"));
    EXPECT_EQ(ru("ProbeTask", "Part of speech"), QStringLiteral("Часть речи"));
}

TEST_F(RussianTranslator, EveryMessageIsFinishedAndKeepsPlaceholdersTagsAndAccelerators) {
    QString error;
    const std::vector<TsMessage> messages = readTs(kTsFile, error);
    ASSERT_TRUE(error.isEmpty()) << error.toStdString();
    ASSERT_GT(messages.size(), 500u);
    for (const TsMessage& m : messages) {
        const std::string where = m.context.toStdString() + ": \"" + m.source.toStdString() + '"';
        EXPECT_TRUE(m.type.isEmpty()) << where << " is " << m.type.toStdString();
        ASSERT_EQ(m.forms.size(), m.numerus ? 3 : 1) << where;  // Russian: one, few, many
        const bool html = m.source.startsWith(QLatin1Char('<'));
        for (int i = 0; i < m.forms.size(); ++i) {
            const QString& t = m.forms[i];
            EXPECT_FALSE(t.trimmed().isEmpty()) << where;
            EXPECT_EQ(placeholders(t).join(QLatin1Char(' ')).toStdString(), placeholders(m.source).join(QLatin1Char(' ')).toStdString()) << where << " → \"" << t.toStdString() << '"';
            EXPECT_EQ(htmlTags(t).join(QLatin1Char(' ')).toStdString(), htmlTags(m.source).join(QLatin1Char(' ')).toStdString()) << where << " → \"" << t.toStdString() << '"';
            if (!html) {
                EXPECT_EQ(mnemonics(t).size(), mnemonics(m.source).size()) << where << " → \"" << t.toStdString() << '"';
            }
            // What the compiled .qm gives back (numerus: 1 → one, 3 → few, 5 → many).
            const int n = m.numerus ? (i == 0 ? 1 : i == 1 ? 3 : 5) : -1;
            const QByteArray context = m.context.toUtf8(), source = m.source.toUtf8(), comment = m.comment.toUtf8();
            EXPECT_EQ(translator.translate(context.constData(), source.constData(),
                                           comment.isEmpty() ? nullptr : comment.constData(), n).toStdString(),
                      t.toStdString())
                << where << ": the compiled .qm differs from the .ts (rebuild)";
        }
    }
}

// The main window built under the Russian translator and locale, as
// installTranslators() sets it up for LANG=ru_RU.UTF-8.
class RussianWindowTest : public ::testing::Test {
protected:
    void SetUp() override {
        gs::testing::testApplication();
        ASSERT_TRUE(translator.load(QLocale(QLocale::Russian, QLocale::Russia), QStringLiteral("grammascope"),
                                    QStringLiteral("_"), QStringLiteral(":/i18n")));
        ASSERT_TRUE(QCoreApplication::installTranslator(&translator));
        if (qtTranslator.load(QLocale(QLocale::Russian, QLocale::Russia), QStringLiteral("qtbase"), QStringLiteral("_"),
                              QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
            QCoreApplication::installTranslator(&qtTranslator);
        QLocale::setDefault(QLocale(QLocale::Russian, QLocale::Russia));
        ASSERT_TRUE(dir.isValid());
        settings = std::make_unique<gs::ui::Settings>(dir.filePath(QStringLiteral("settings.ini")));
        settings->setCacheLocation(dir.filePath(QStringLiteral("cache.sqlite")));  // never the user's cache
        window = std::make_unique<gs::ui::MainWindow>(*settings);
        window->resize(1200, 760);
        window->show();
        ASSERT_TRUE(QTest::qWaitForWindowExposed(window.get()));
    }
    void TearDown() override {
        window.reset();
        QCoreApplication::removeTranslator(&translator);  // the other suites expect English
        QCoreApplication::removeTranslator(&qtTranslator);
        QLocale::setDefault(savedLocale);
    }

    QTranslator translator, qtTranslator;
    QLocale savedLocale;
    QTemporaryDir dir;
    std::unique_ptr<gs::ui::Settings> settings;
    std::unique_ptr<gs::ui::MainWindow> window;
};

void collectMenus(QMenu* menu, std::vector<QMenu*>& out) {
    out.push_back(menu);
    for (QAction* action : menu->actions())
        if (action->menu()) collectMenus(action->menu(), out);
}

TEST_F(RussianWindowTest, MenusAreRussianAndAcceleratorsDoNotClash) {
    QStringList titles;
    QMap<QChar, QStringList> windowLevel;  // Alt+letter across the window: menu bar, buttons, labels, tabs
    std::vector<QMenu*> menus;
    for (QAction* action : window->menuBar()->actions()) {
        titles << action->text();
        for (QChar c : mnemonics(action->text())) windowLevel[c] << action->text();
        if (action->menu()) collectMenus(action->menu(), menus);
    }
    EXPECT_TRUE(titles.contains(QStringLiteral("&Файл"))) << titles.join(QLatin1Char(' ')).toStdString();
    EXPECT_TRUE(titles.contains(QStringLiteral("&Вид")));
    EXPECT_TRUE(titles.contains(QStringLiteral("&Анализ")));
    EXPECT_TRUE(titles.contains(QStringLiteral("&Справка")));

    for (QMenu* menu : menus) {
        QMap<QChar, QStringList> letters;
        for (QAction* action : menu->actions()) {
            if (action->isSeparator() || action->text().isEmpty()) continue;
            for (QChar c : mnemonics(action->text())) letters[c] << action->text();
        }
        for (auto it = letters.cbegin(); it != letters.cend(); ++it)
            EXPECT_EQ(it.value().size(), 1) << menu->title().toStdString() << ": "
                                            << it.value().join(QStringLiteral(" | ")).toStdString();
    }

    for (QAbstractButton* button : window->findChildren<QAbstractButton*>())
        for (QChar c : mnemonics(button->text())) windowLevel[c] << button->text();
    for (QLabel* label : window->findChildren<QLabel*>())
        if (label->buddy())
            for (QChar c : mnemonics(label->text())) windowLevel[c] << label->text();
    for (QGroupBox* box : window->findChildren<QGroupBox*>())
        for (QChar c : mnemonics(box->title())) windowLevel[c] << box->title();
    for (QTabBar* bar : window->findChildren<QTabBar*>())
        for (int i = 0; i < bar->count(); ++i)
            for (QChar c : mnemonics(bar->tabText(i))) windowLevel[c] << bar->tabText(i);
    for (auto it = windowLevel.cbegin(); it != windowLevel.cend(); ++it)
        EXPECT_EQ(it.value().size(), 1) << "Alt+" << QString(it.key()).toStdString() << ": "
                                        << it.value().join(QStringLiteral(" | ")).toStdString();
}

// The demo in Russian with a pair chosen: screenshots/ru.png (and the menus
// and the probe dialog next to it) for a look at the layout.
TEST_F(RussianWindowTest, ScreenshotOfTheRussianWindowWithTheDemo) {
    if (!gs::ui::findDemoAssets().found()) GTEST_SKIP() << "the built-in demo is not there";
    ASSERT_TRUE(window->openDemo()) << window->statusMessage().toStdString();
    gs::ui::DatasetBrowser* browser = window->datasetBrowser();
    ASSERT_TRUE(QTest::qWaitFor([&] {
        return window->hasModel() && !window->isBusy() && browser->currentDataset() && window->heatmapWidget()->hasData();
    }, kTimeoutMs)) << window->statusMessage().toStdString();
    browser->selectNext(1);
    browser->setShowsBadSentence(true);
    ASSERT_TRUE(QTest::qWaitFor([&] { return !window->isBusy() && window->heatmapWidget()->hasData(); }, kTimeoutMs));
    QTest::qWait(200);  // the queued relayout of the plot

    const auto* model = browser->findChild<gs::ui::DatasetModel*>();
    if (model) {
        EXPECT_EQ(model->headerData(gs::ui::DatasetModel::BadColumn, Qt::Horizontal).toString(),
                  QStringLiteral("Неграмматичное"));
    }
    EXPECT_EQ(window->viewTabs()->tabText(0), QStringLiteral("Пос&лойные величины"));

    const QDir shots(screenshotDir());
    ASSERT_TRUE(QDir().mkpath(shots.path()));
    EXPECT_TRUE(window->grab().toImage().save(shots.filePath(QStringLiteral("ru.png"))));
    int index = 0;
    for (QAction* action : window->menuBar()->actions()) {
        if (!action->menu()) continue;
        action->menu()->adjustSize();
        EXPECT_TRUE(action->menu()->grab().toImage().save(
            shots.filePath(QStringLiteral("ru_menu_%1.png").arg(index++))));
    }
    gs::ui::ProbeDialog* dialog = window->showProbeDialog();
    ASSERT_NE(dialog, nullptr);
    QTest::qWait(50);
    EXPECT_TRUE(dialog->grab().toImage().save(shots.filePath(QStringLiteral("ru_probe_dialog.png"))));
    dialog->reject();
}

} // namespace
