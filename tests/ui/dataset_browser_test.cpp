// The dataset browser: the item models under QAbstractItemModelTester, the
// phenomenon filter, search and sorting with their counts, the pair view's
// highlighted words (and UD tooltips), the issues dialog, the column-mapping
// step, two datasets open at once in the main window, drag and drop, the
// polypersonal generator dialog, a RuBLiMP-size file read without freezing
// the window, and a screenshot of the whole window with a pair chosen.

#include "qt_test_app.h"

#include "column_mapping_dialog.h"
#include "dataset_browser.h"
#include "dataset_issues_dialog.h"
#include "dataset_model.h"
#include "dataset_opener.h"
#include "heatmap_widget.h"
#include "main_window.h"
#include "pair_view.h"
#include "polypersonal_dialog.h"
#include "polypersonal_rules_editor.h"
#include "settings.h"

#include "grammascope/pairs.h"

#include <gtest/gtest.h>

#include <QAbstractItemModelTester>
#include <QDir>
#include <QDropEvent>
#include <QElapsedTimer>
#include <QFile>
#include <QLineEdit>
#include <QMimeData>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUrl>

#include <algorithm>
#include <cmath>
#include <iostream>

namespace {

using gs::ui::DatasetBrowser;
using gs::ui::DatasetFilterModel;
using gs::ui::DatasetModel;
using gs::ui::OpenDatasetPtr;

constexpr int kTimeoutMs = 60000;
const QString kUiData = QStringLiteral(GRAMMASCOPE_TEST_DATA_DIR "/ui");

QString fixture(const char* name) { return kUiData + QLatin1Char('/') + QLatin1String(name); }

OpenDatasetPtr readFixture(const char* name, const gs::DatasetReadOptions& options = {}) {
    gs::Dataset dataset;
    const gs::Status status = gs::readDataset(fixture(name).toStdString(), options, dataset);
    EXPECT_TRUE(status.isOk()) << status.message();
    return gs::ui::buildOpenDataset(std::move(dataset), fixture(name));
}

QStringList column(const QAbstractItemModel& model, int col) {
    QStringList out;
    for (int r = 0; r < model.rowCount(); ++r) out << model.index(r, col).data().toString();
    return out;
}

// WCAG contrast ratio of two colours.
double contrast(const QColor& a, const QColor& b) {
    auto lum = [](const QColor& c) {
        auto ch = [](double v) { return v <= 0.03928 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); };
        return 0.2126 * ch(c.redF()) + 0.7152 * ch(c.greenF()) + 0.0722 * ch(c.blueF());
    };
    const double la = lum(a), lb = lum(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

QString screenshotDir() {
    return qEnvironmentVariableIsSet("GRAMMASCOPE_SCREENSHOT_DIR") ? qEnvironmentVariable("GRAMMASCOPE_SCREENSHOT_DIR")
                                                                   : QStringLiteral(GRAMMASCOPE_SCREENSHOT_DIR);
}

// Saves a widget's image next to the other screenshots (for review and docs).
void saveShot(QWidget* widget, const char* name) {
    QDir().mkpath(screenshotDir());
    EXPECT_TRUE(widget->grab().toImage().save(QDir(screenshotDir()).filePath(QLatin1String(name))));
}

class DatasetBrowserTest : public ::testing::Test {
protected:
    void SetUp() override { gs::testing::testApplication(); }
};

TEST_F(DatasetBrowserTest, ModelsPassTheTesterAndFilterSearchAndSortWithCounts) {
    const OpenDatasetPtr data = readFixture("pairs.csv");
    ASSERT_EQ(data->size(), 8);
    EXPECT_EQ(data->pairCount, 8);
    DatasetModel model(data);
    DatasetFilterModel proxy;
    proxy.setSourceModel(&model);
    QAbstractItemModelTester modelTester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QAbstractItemModelTester proxyTester(&proxy, QAbstractItemModelTester::FailureReportingMode::Fatal);
    QSignalSpy counts(&proxy, &DatasetFilterModel::countsChanged);

    EXPECT_EQ(model.headerData(DatasetModel::GoodColumn, Qt::Horizontal).toString(), QStringLiteral("Grammatical"));
    EXPECT_EQ(model.index(0, DatasetModel::ChangedColumn).data().toString(), QStringLiteral("мыла → мыли"));
    EXPECT_EQ(model.index(0, DatasetModel::IdColumn).data(DatasetModel::ItemIndexRole).toInt(), 0);
    EXPECT_FALSE(model.index(0, DatasetModel::IdColumn).data(DatasetModel::HasUdRole).toBool());
    EXPECT_TRUE(model.index(2, 0).data(Qt::ToolTipRole).toString().contains(QStringLiteral("Дети читают книгу.")));
    EXPECT_EQ(data->phenomena.size(), 3u);

    EXPECT_EQ(proxy.visibleCount(), 8);
    EXPECT_EQ(proxy.totalCount(), 8);
    proxy.setPhenomenon(QStringLiteral("case"));
    EXPECT_EQ(proxy.visibleCount(), 3);
    ASSERT_FALSE(counts.isEmpty());
    EXPECT_EQ(counts.last().at(0).toInt(), 3);
    EXPECT_EQ(counts.last().at(1).toInt(), 8);
    proxy.setSearchText(QStringLiteral("ПАРК"));  // case-insensitive, within the phenomenon
    EXPECT_EQ(column(proxy, DatasetModel::IdColumn), QStringList{QStringLiteral("case-3")});
    proxy.setPhenomenon(QString());
    EXPECT_EQ(proxy.visibleCount(), 1);
    proxy.setSearchText(QStringLiteral("ЕЖ"));  // ё is found by е
    EXPECT_EQ(column(proxy, DatasetModel::IdColumn), QStringList{QStringLiteral("agr-1")});
    proxy.setSearchText(QStringLiteral("gov"));  // ids are searched too
    EXPECT_EQ(proxy.visibleCount(), 2);
    proxy.setSearchText(QStringLiteral("нет такого"));
    EXPECT_EQ(proxy.visibleCount(), 0);
    EXPECT_EQ(proxy.itemIndex(0), -1);
    proxy.setSearchText(QString());
    EXPECT_EQ(proxy.visibleCount(), 8);

    // Ids in natural order (the file has agr-10 before agr-2), ties keep the file order.
    proxy.sort(DatasetModel::IdColumn, Qt::AscendingOrder);
    EXPECT_EQ(column(proxy, DatasetModel::IdColumn).mid(0, 3),
              (QStringList{QStringLiteral("agr-1"), QStringLiteral("agr-2"), QStringLiteral("agr-10")}));
    EXPECT_EQ(proxy.itemIndex(1), 2);
    EXPECT_EQ(proxy.proxyRow(2), 1);
    proxy.sort(DatasetModel::IdColumn, Qt::DescendingOrder);
    EXPECT_EQ(column(proxy, DatasetModel::IdColumn).front(), QStringLiteral("gov-2"));
    proxy.sort(DatasetModel::PhenomenonColumn, Qt::AscendingOrder);
    EXPECT_EQ(column(proxy, DatasetModel::IdColumn).mid(0, 3),
              (QStringList{QStringLiteral("agr-1"), QStringLiteral("agr-10"), QStringLiteral("agr-2")}));
    proxy.sort(-1);  // back to the file order
    EXPECT_EQ(column(proxy, DatasetModel::IdColumn).at(1), QStringLiteral("agr-10"));
    EXPECT_LT(gs::ui::compareNatural(QStringLiteral("p2"), QStringLiteral("p10")), 0);
    EXPECT_EQ(gs::ui::compareNatural(QStringLiteral("P007"), QStringLiteral("p7")), 0);
}

TEST_F(DatasetBrowserTest, BrowserFiltersSearchesStepsAndDrivesTheChosenSide) {
    DatasetBrowser browser;
    browser.resize(1000, 420);
    browser.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&browser));
    QSignalSpy chosen(&browser, &DatasetBrowser::sentenceChosen);
    EXPECT_TRUE(browser.statusText().isEmpty());

    browser.addDataset(readFixture("pairs.csv"), true);
    EXPECT_EQ(browser.datasetCount(), 1);
    EXPECT_EQ(browser.pairCount(), 8);
    EXPECT_EQ(browser.currentPair(), 0);
    ASSERT_FALSE(chosen.isEmpty());
    EXPECT_EQ(chosen.last().at(0).toString(), QStringLiteral("Мама мыла раму, а ёж спал."));
    EXPECT_EQ(browser.statusText(), QStringLiteral("8 of 8 pairs"));
    EXPECT_EQ(browser.phenomenonChoices(),
              (QStringList{QStringLiteral("All phenomena (8)"), QStringLiteral("agreement (3)"),
                           QStringLiteral("case (3)"), QStringLiteral("government (2)")}));

    browser.setPhenomenonFilter(QStringLiteral("case"));
    EXPECT_EQ(browser.visibleCount(), 3);
    EXPECT_EQ(browser.statusText(), QStringLiteral("3 of 8 pairs"));
    EXPECT_EQ(browser.currentPair(), -1);  // the chosen pair is filtered out
    browser.selectNext(1);
    EXPECT_EQ(browser.currentPair(), 3);
    EXPECT_EQ(chosen.last().at(0).toString(), QStringLiteral("Кот видит мышь."));
    browser.setShowsBadSentence(true);
    EXPECT_EQ(chosen.last().at(0).toString(), QStringLiteral("Кот видит мыши."));
    browser.selectNext(1);
    EXPECT_EQ(chosen.last().at(0).toString(), QStringLiteral("Я пишу письмо ручка."));  // the side stays

    // Keyboard: Alt+Down steps, Alt+G goes back to the grammatical side, Ctrl+F focuses the search.
    browser.activateWindow();
    ASSERT_TRUE(QTest::qWaitForWindowActive(&browser));
    browser.tableView()->setFocus();
    QTest::keyClick(browser.tableView(), Qt::Key_Down, Qt::AltModifier);
    EXPECT_EQ(browser.currentPair(), 5);
    QTest::keyClick(browser.tableView(), Qt::Key_G, Qt::AltModifier);
    ASSERT_TRUE(QTest::qWaitFor([&] { return !browser.showsBadSentence(); }, kTimeoutMs));  // mnemonics click animated
    EXPECT_EQ(chosen.last().at(0).toString(), QStringLiteral("Мы гуляем в парке."));
    QTest::keyClick(browser.tableView(), Qt::Key_F, Qt::ControlModifier);
    auto* search = browser.findChild<QLineEdit*>(QStringLiteral("datasetSearch"));
    ASSERT_NE(search, nullptr);
    EXPECT_TRUE(search->hasFocus());
    QTest::keyClicks(search, QStringLiteral("park"));  // nothing: the sentences are Russian
    EXPECT_EQ(browser.visibleCount(), 0);
    EXPECT_EQ(browser.statusText(), QStringLiteral("0 of 8 pairs"));
    browser.setSearchText(QStringLiteral("мыш"));
    EXPECT_EQ(browser.visibleCount(), 1);
    browser.setPhenomenonFilter(QString());
    browser.setSearchText(QString());
    EXPECT_EQ(browser.visibleCount(), 8);

    // Sorting from the header: a click sorts by id in natural order.
    auto* table = browser.tableView();
    EXPECT_TRUE(table->isSortingEnabled());
    table->sortByColumn(DatasetModel::IdColumn, Qt::AscendingOrder);
    EXPECT_EQ(table->model()->index(2, DatasetModel::IdColumn).data().toString(), QStringLiteral("agr-10"));
    browser.selectPair(1);  // agr-10 is item 1 of the file
    EXPECT_EQ(table->currentIndex().row(), 2);
}

TEST_F(DatasetBrowserTest, PairViewHighlightsTheChangedWordsReadablyInLightAndDarkPalettes) {
    const OpenDatasetPtr data = readFixture("pairs.csv");
    gs::ui::PairView view;
    view.resize(640, 150);
    view.show();
    ASSERT_TRUE(QTest::qWaitForWindowExposed(&view));
    view.setItem(data, 0);
    EXPECT_EQ(view.highlightedWords(false), QStringList{QStringLiteral("мыла")});
    EXPECT_EQ(view.highlightedWords(true), QStringList{QStringLiteral("мыли")});
    EXPECT_TRUE(view.infoText().contains(QStringLiteral("agr-1")));
    EXPECT_TRUE(view.infoText().contains(QStringLiteral("мыла → мыли")));
    gs::ui::SentenceView* good = view.sentenceView(false);
    EXPECT_EQ(good->text(), QStringLiteral("Мама мыла раму, а ёж спал."));
    const QRect box = good->wordRect(1);
    ASSERT_FALSE(box.isEmpty());
    EXPECT_EQ(good->wordAt(box.center()), 1);
    EXPECT_EQ(good->wordAt(good->wordRect(0).center()), 0);
    EXPECT_TRUE(good->wordToolTip(1).contains(QStringLiteral("мыли"))) << good->wordToolTip(1).toStdString();
    EXPECT_TRUE(good->wordToolTip(0).isEmpty());  // an unchanged word without UD has none

    // The highlight under the text contrasts with the text in both palettes.
    for (const bool dark : {false, true}) {
        QPalette palette = view.palette();
        palette.setColor(QPalette::Window, dark ? QColor(0x2b, 0x2b, 0x2b) : QColor(0xf4, 0xf4, 0xf4));
        palette.setColor(QPalette::WindowText, dark ? QColor(0xee, 0xee, 0xee) : QColor(0x10, 0x10, 0x10));
        view.setPalette(palette);
        const QImage image = good->grab().toImage();
        const QColor fill = image.pixelColor(good->wordRect(1).left() - 1, good->wordRect(1).center().y());
        EXPECT_NE(fill, palette.color(QPalette::Window)) << "dark " << dark;
        EXPECT_GE(contrast(fill, palette.color(QPalette::WindowText)), 4.5) << "dark " << dark;
    }

    // Clicking the ungrammatical sentence chooses that side.
    QSignalSpy side(&view, &gs::ui::PairView::sideChanged);
    QTest::mouseClick(view.sentenceView(true), Qt::LeftButton, {}, view.sentenceView(true)->wordRect(0).center());
    EXPECT_TRUE(view.showsBadSentence());
    EXPECT_EQ(view.chosenSentence(), QStringLiteral("Мама мыли раму, а ёж спал."));
    EXPECT_EQ(side.count(), 1);
}

TEST_F(DatasetBrowserTest, MalformedRowsAreListedWithFileAndLineAndTheValidRestLoadsOnAccept) {
    QWidget parent;
    parent.resize(600, 400);
    parent.show();
    gs::ui::DatasetOpener opener(&parent);
    QSignalSpy opened(&opener, &gs::ui::DatasetOpener::opened);
    QSignalSpy declined(&opener, &gs::ui::DatasetOpener::declined);
    ASSERT_TRUE(opener.open(fixture("malformed.csv")));
    ASSERT_TRUE(QTest::qWaitFor([&] { return opener.issuesDialog() && opener.issuesDialog()->isVisible(); }, kTimeoutMs));
    gs::ui::DatasetIssuesDialog* dialog = opener.issuesDialog();
    const QStringList lines = dialog->lines();
    ASSERT_GE(lines.size(), 2);
    EXPECT_TRUE(lines[0].startsWith(QStringLiteral("malformed.csv:3: error:"))) << lines[0].toStdString();
    EXPECT_TRUE(lines[1].startsWith(QStringLiteral("malformed.csv:4: error:"))) << lines[1].toStdString();
    EXPECT_TRUE(lines.join(QLatin1Char('\n')).contains(QStringLiteral("warning"))) << lines.join(QLatin1Char('\n')).toStdString();
    const QString loadText = dialog->loadButton()->text();
    saveShot(dialog, "dataset_issues.png");
    EXPECT_EQ(opened.count(), 0);
    dialog->loadButton()->click();
    ASSERT_EQ(opened.count(), 1);
    const auto data = opened.at(0).at(0).value<OpenDatasetPtr>();
    ASSERT_TRUE(data);
    EXPECT_EQ(data->dataset.errorCount(), 2u);
    EXPECT_TRUE(loadText.contains(QString::number(data->size()))) << loadText.toStdString();
    EXPECT_FALSE(data->warnings.isEmpty());  // the duplicate id and the identical pair

    DatasetBrowser browser;
    browser.addDataset(data);
    EXPECT_TRUE(browser.statusText().contains(QStringLiteral("2 record(s) skipped"))) << browser.statusText().toStdString();
    EXPECT_TRUE(browser.statusText().contains(QStringLiteral("warning"))) << browser.statusText().toStdString();
    EXPECT_TRUE(browser.warningsToolTip().contains(QStringLiteral("malformed.csv:3: error:")));

    // Cancel loads nothing.
    ASSERT_TRUE(opener.open(fixture("malformed.csv")));
    ASSERT_TRUE(QTest::qWaitFor([&] { return opener.issuesDialog() && opener.issuesDialog()->isVisible(); }, kTimeoutMs));
    opener.issuesDialog()->cancelButton()->click();
    EXPECT_EQ(opened.count(), 1);
    EXPECT_EQ(declined.count(), 1);
}

TEST_F(DatasetBrowserTest, ColumnMappingDialogReturnsTheChosenColumns) {
    using Role = gs::ui::ColumnMappingDialog::Role;
    gs::ui::ColumnMappingDialog dialog(fixture("custom.tsv"));
    EXPECT_EQ(dialog.columnNames(), (QStringList{QStringLiteral("key"), QStringLiteral("category"),
                                                 QStringLiteral("sent_ok"), QStringLiteral("sent_wrong")}));
    EXPECT_EQ(dialog.preview()->rowCount(), 3);
    // Guessed from the names: sent_ok / sent_wrong are the two sides, key the id.
    EXPECT_EQ(dialog.mapping().good, "sent_ok");
    EXPECT_EQ(dialog.mapping().bad, "sent_wrong");
    EXPECT_EQ(dialog.mapping().id, "key");
    EXPECT_EQ(dialog.mapping().phenomenon, "category");
    ASSERT_TRUE(dialog.setColumn(Role::Good, QStringLiteral("sent_ok")));
    ASSERT_TRUE(dialog.setColumn(Role::Bad, QStringLiteral("sent_ok")));
    EXPECT_FALSE(dialog.isValid());  // one column for both sentences
    ASSERT_TRUE(dialog.setColumn(Role::Bad, QStringLiteral("sent_wrong")));
    ASSERT_TRUE(dialog.setColumn(Role::Id, QStringLiteral("key")));
    ASSERT_TRUE(dialog.setColumn(Role::Phenomenon, QStringLiteral("category")));
    EXPECT_FALSE(dialog.setColumn(Role::Id, QStringLiteral("no such column")));
    ASSERT_TRUE(dialog.isValid()) << dialog.problem().toStdString();
    const gs::ColumnMapping mapping = dialog.mapping();
    EXPECT_EQ(mapping.good, "sent_ok");
    EXPECT_EQ(mapping.bad, "sent_wrong");
    EXPECT_EQ(mapping.id, "key");
    EXPECT_EQ(mapping.phenomenon, "category");
    EXPECT_TRUE(mapping.hasHeader);

    gs::DatasetReadOptions options;
    options.format = gs::DatasetFormat::Delimited;
    options.mapping = mapping;
    const OpenDatasetPtr data = readFixture("custom.tsv", options);
    ASSERT_EQ(data->size(), 3);
    EXPECT_EQ(data->rows[1].id, QStringLiteral("k2"));
    EXPECT_EQ(data->rows[1].phenomenon, QStringLiteral("case"));
    EXPECT_EQ(data->rows[1].changed, QStringLiteral("мышь → мыши"));

    // Without a header the columns are numbered and the first row is data.
    dialog.setHasHeader(false);
    EXPECT_EQ(dialog.columnNames(), (QStringList{QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3"),
                                                 QStringLiteral("4")}));
    EXPECT_EQ(dialog.preview()->rowCount(), 4);
    EXPECT_FALSE(dialog.mapping().hasHeader);
    dialog.setDelimiter(',');
    EXPECT_EQ(dialog.mapping().delimiter, ',');

    // The opener asks for the mapping first, then reads with it.
    QWidget parent;
    parent.show();
    gs::ui::DatasetOpener opener(&parent);
    EXPECT_TRUE(gs::ui::DatasetOpener::needsColumnMapping(fixture("custom.tsv")));
    EXPECT_FALSE(gs::ui::DatasetOpener::needsColumnMapping(fixture("pairs.csv")));
    QSignalSpy opened(&opener, &gs::ui::DatasetOpener::opened);
    ASSERT_TRUE(opener.open(fixture("custom.tsv")));
    ASSERT_TRUE(QTest::qWaitFor([&] { return opener.mappingDialog() && opener.mappingDialog()->isVisible(); }, kTimeoutMs));
    gs::ui::ColumnMappingDialog* asked = opener.mappingDialog();
    asked->setColumn(Role::Good, QStringLiteral("sent_ok"));
    asked->setColumn(Role::Bad, QStringLiteral("sent_wrong"));
    saveShot(asked, "column_mapping.png");
    asked->accept();
    ASSERT_TRUE(QTest::qWaitFor([&] { return opened.count() == 1; }, kTimeoutMs));
    EXPECT_EQ(opened.at(0).at(0).value<OpenDatasetPtr>()->pairCount, 3);
}

class DatasetWindowTest : public ::testing::Test {
protected:
    void SetUp() override {
        gs::testing::testApplication();
        ASSERT_TRUE(dir.isValid());
        settings = std::make_unique<gs::ui::Settings>(dir.filePath(QStringLiteral("settings.ini")));
        settings->setCacheLocation(dir.filePath(QStringLiteral("cache.sqlite")));  // never the user's cache
        window = std::make_unique<gs::ui::MainWindow>(*settings);
        window->resize(1200, 760);
        window->show();
        ASSERT_TRUE(QTest::qWaitForWindowExposed(window.get()));
    }
    DatasetBrowser* browser() const { return window->datasetBrowser(); }
    bool waitForDatasets(int count) {
        return QTest::qWaitFor([&] { return browser()->datasetCount() == count; }, kTimeoutMs);
    }

    QTemporaryDir dir;
    std::unique_ptr<gs::ui::Settings> settings;
    std::unique_ptr<gs::ui::MainWindow> window;
};

TEST_F(DatasetWindowTest, TwoDatasetsOpenAtOnceEachKeepingItsFilterAndChoice) {
    ASSERT_TRUE(window->openDataset(fixture("pairs.csv"), true));
    ASSERT_TRUE(waitForDatasets(1)) << window->statusMessage().toStdString();
    EXPECT_EQ(browser()->currentPair(), 0);
    browser()->setPhenomenonFilter(QStringLiteral("government"));
    browser()->selectNext(1);
    EXPECT_EQ(browser()->currentPair(), 6);

    ASSERT_TRUE(window->openDataset(fixture("sentences.txt")));
    ASSERT_TRUE(waitForDatasets(2));
    EXPECT_EQ(browser()->currentDatasetIndex(), 1);
    EXPECT_EQ(browser()->statusText(), QStringLiteral("3 of 3 sentences"));
    EXPECT_TRUE(browser()->tableView()->isColumnHidden(DatasetModel::BadColumn));
    EXPECT_TRUE(window->statusMessage().contains(QStringLiteral("3 sentence(s) read"))) << window->statusMessage().toStdString();

    browser()->setCurrentDataset(0);
    EXPECT_EQ(browser()->phenomenonFilter(), QStringLiteral("government"));
    EXPECT_EQ(browser()->currentPair(), 6);
    EXPECT_EQ(browser()->statusText(), QStringLiteral("2 of 8 pairs"));
    EXPECT_FALSE(browser()->tableView()->isColumnHidden(DatasetModel::BadColumn));

    // The same file again shows the open one instead of a copy.
    ASSERT_TRUE(window->openDataset(fixture("sentences.txt")));
    EXPECT_EQ(browser()->datasetCount(), 2);
    EXPECT_EQ(browser()->currentDatasetIndex(), 1);
    const QStringList recent = settings->recentDatasets();
    EXPECT_EQ(recent.size(), 2);
    EXPECT_EQ(recent.value(0), QDir::cleanPath(fixture("sentences.txt")));

    browser()->closeDataset(1);
    EXPECT_EQ(browser()->datasetCount(), 1);
    EXPECT_EQ(browser()->pairCount(), 8);
    EXPECT_EQ(browser()->pairView()->itemIndex(), 6);
    browser()->closeDataset(0);
    EXPECT_EQ(browser()->datasetCount(), 0);
    EXPECT_EQ(browser()->currentPair(), -1);
    EXPECT_EQ(browser()->pairView()->itemIndex(), -1);

    // A missing file fails at once and names itself.
    EXPECT_FALSE(window->openDataset(dir.filePath(QStringLiteral("missing.csv"))));
    EXPECT_TRUE(window->statusMessage().contains(QStringLiteral("missing.csv")));
}

TEST_F(DatasetWindowTest, DroppedDatasetFilesOpenAsDatasets) {
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(fixture("pairs.csv")), QUrl::fromLocalFile(fixture("sentences.txt"))});
    const QPoint pos(300, 300);
    QDragEnterEvent enter(pos, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(window.get(), &enter);
    EXPECT_TRUE(enter.isAccepted());
    QDropEvent drop(QPointF(pos), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(window.get(), &drop);
    ASSERT_TRUE(waitForDatasets(2));
    EXPECT_FALSE(window->isBusy());  // no model load was started
    EXPECT_TRUE(window->modelDirectory().isEmpty());
}

// A file of RuBLiMP's size is read on a pool thread: the event loop keeps
// running while it loads, and filtering and sorting stay quick.
TEST_F(DatasetWindowTest, LargeFileLoadsWithoutFreezingTheWindow) {
    const QString file = dir.filePath(QStringLiteral("large.csv"));
    {
        QFile out(file);
        ASSERT_TRUE(out.open(QIODevice::WriteOnly));
        out.write("id,phenomenon,good,bad,good_word,bad_word,word_index\n");
        const char* phenomena[] = {"number", "gender", "case", "person", "tense"};
        for (int i = 0; i < 45000; ++i)
            out.write(QStringLiteral("p%1,%2,Мальчики быстро читают новую книгу номер %1.,Мальчики быстро читает "
                                     "новую книгу номер %1.,читают,читает,2\n")
                          .arg(i)
                          .arg(QLatin1String(phenomena[i % 5]))
                          .toUtf8());
    }
    QElapsedTimer clock;
    qint64 longestGap = 0, last = 0;
    int ticks = 0;
    QTimer ticker;
    QObject::connect(&ticker, &QTimer::timeout, [&] {
        longestGap = std::max(longestGap, clock.elapsed() - last);
        last = clock.elapsed();
        ++ticks;
    });
    clock.start();
    ticker.start(10);
    ASSERT_TRUE(window->openDataset(file, true));
    const qint64 callTime = clock.elapsed();
    EXPECT_LT(callTime, 500) << "openDataset blocked the GUI thread";
    EXPECT_TRUE(window->datasetOpener()->isBusy());
    ASSERT_TRUE(waitForDatasets(1));
    ticker.stop();
    EXPECT_EQ(browser()->pairCount(), 45000);
    std::cout << "45,000 rows: read in " << clock.elapsed() << " ms, " << ticks << " event-loop ticks, longest gap "
              << longestGap << " ms\n";

    clock.restart();
    browser()->setSearchText(QStringLiteral("номер 4499"));
    EXPECT_EQ(browser()->visibleCount(), 11);  // 4499 and 44990..44999
    browser()->setPhenomenonFilter(QStringLiteral("case"));
    browser()->setSearchText(QString());
    EXPECT_EQ(browser()->visibleCount(), 9000);
    browser()->tableView()->sortByColumn(DatasetModel::IdColumn, Qt::DescendingOrder);
    EXPECT_EQ(browser()->tableView()->model()->index(0, 0).data().toString(), QStringLiteral("p44997"));
    const qint64 filterTime = clock.elapsed();
    std::cout << "search, filter and sort of 45,000 rows: " << filterTime << " ms\n";
    EXPECT_LT(filterTime, 5000);
}

TEST_F(DatasetWindowTest, PolypersonalDialogGeneratesFromConlluWithEditedRulesAndOpensTheResult) {
    gs::ui::PolypersonalDialog* dialog = window->showPolypersonalDialog();
    ASSERT_NE(dialog, nullptr);
    gs::ui::PolypersonalRulesEditor* rules = dialog->rulesEditor();
    ASSERT_TRUE(rules->isValid()) << rules->problem().toStdString();
    ASSERT_GE(rules->ruleCount(), 1);
    auto* generate = dialog->findChild<QPushButton*>(QStringLiteral("generateButton"));
    ASSERT_NE(generate, nullptr);
    EXPECT_FALSE(generate->isEnabled());  // no file yet
    dialog->setConlluFiles({fixture("ud.conllu")});
    EXPECT_TRUE(generate->isEnabled());

    QSignalSpy generated(dialog, &gs::ui::PolypersonalDialog::generated);
    dialog->generate();
    ASSERT_TRUE(QTest::qWaitFor([&] { return generated.count() == 1; }, kTimeoutMs)) << dialog->summary().toStdString();
    ASSERT_TRUE(waitForDatasets(1));
    const OpenDatasetPtr data = browser()->currentDataset();
    ASSERT_TRUE(data);
    ASSERT_EQ(data->size(), 2);
    EXPECT_TRUE(data->filePath.isEmpty());
    EXPECT_EQ(data->rows[0].good, QStringLiteral("Мама любит меня."));
    EXPECT_EQ(data->rows[0].bad, QStringLiteral("Мама любитю меня."));
    EXPECT_TRUE(data->rows[0].hasUd);
    EXPECT_EQ(browser()->currentPair(), 0);
    EXPECT_TRUE(dialog->summary().contains(QStringLiteral("2 pairs"))) << dialog->summary().toStdString();
    saveShot(dialog, "polypersonal.png");

    // The pair view highlights the changed verb and shows its UD features.
    gs::ui::PairView* view = browser()->pairView();
    EXPECT_EQ(view->highlightedWords(true), QStringList{QStringLiteral("любитю")});
    const QString tip = view->wordToolTip(true, 1);
    EXPECT_TRUE(tip.contains(QStringLiteral("любить"))) << tip.toStdString();
    EXPECT_TRUE(tip.contains(QStringLiteral("VerbForm=Fin"))) << tip.toStdString();
    EXPECT_TRUE(tip.contains(QStringLiteral("любит"))) << tip.toStdString();

    // Saved as CSV, read back by the pairs reader.
    const QString csv = dir.filePath(QStringLiteral("poly.csv"));
    QString error;
    ASSERT_TRUE(dialog->saveResult(csv, &error)) << error.toStdString();
    gs::PairsFile pairs;
    ASSERT_TRUE(gs::readPairsCsv(csv.toStdString(), pairs).isOk());
    ASSERT_EQ(pairs.pairs.size(), 2u);
    EXPECT_EQ(pairs.pairs[0].bad, "Мама любитю меня.");

    // An edited rule table: an empty marker is refused, a new one is used.
    rules->setRule(0, QStringLiteral("я"), QString(), QString());
    EXPECT_FALSE(rules->isValid());
    EXPECT_FALSE(generate->isEnabled());
    rules->setRule(0, QStringLiteral("я"), QString(), QStringLiteral("ЮЮ"));
    ASSERT_TRUE(rules->isValid()) << rules->problem().toStdString();
    EXPECT_TRUE(rules->toJson().contains(QStringLiteral("ЮЮ")));
    dialog->generate();
    ASSERT_TRUE(QTest::qWaitFor([&] { return generated.count() == 2; }, kTimeoutMs)) << dialog->summary().toStdString();
    ASSERT_TRUE(waitForDatasets(2));
    EXPECT_EQ(browser()->currentDataset()->rows[0].bad, QStringLiteral("Мама любитЮЮ меня."));

    // Cancelling right after the start leaves the dialog idle either way.
    dialog->generate();
    dialog->cancelGeneration();
    ASSERT_TRUE(QTest::qWaitFor([&] { return !dialog->isRunning(); }, kTimeoutMs));
}

// The shared real data, when present: every RuBLiMP dev file open at once,
// and the polypersonal generator over every UD treebank (cancelled, then run).
TEST_F(DatasetWindowTest, RealRublimpFilesAndUdTreebanks) {
    const QDir rublimp(QStringLiteral(GRAMMASCOPE_SHARED_DIR "/data/rublimp-dev"));
    const QDir ud(QStringLiteral(GRAMMASCOPE_SHARED_DIR "/data/ud"));
    if (!rublimp.exists() || !ud.exists()) GTEST_SKIP() << "no shared data";
    const QStringList csvs = rublimp.entryList({QStringLiteral("*.csv")}, QDir::Files, QDir::Name);
    ASSERT_FALSE(csvs.isEmpty());
    for (const QString& csv : csvs) ASSERT_TRUE(window->openDataset(rublimp.filePath(csv)));
    ASSERT_TRUE(waitForDatasets(int(csvs.size()))) << window->statusMessage().toStdString();
    for (int i = 0; i < browser()->datasetCount(); ++i) {
        const OpenDatasetPtr data = browser()->dataset(i);
        EXPECT_EQ(data->dataset.errorCount(), 0u) << data->displayName.toStdString();
        EXPECT_GT(data->pairCount, 500) << data->displayName.toStdString();
        const auto changed = std::count_if(data->rows.begin(), data->rows.end(),
                                           [](const gs::ui::DatasetRow& r) { return r.changed != QStringLiteral("="); });
        EXPECT_GT(changed, data->size() * 9 / 10) << data->displayName.toStdString();
    }

    gs::ui::PolypersonalDialog* dialog = window->showPolypersonalDialog();
    QStringList treebanks;
    for (const QString& f : ud.entryList({QStringLiteral("*.conllu")}, QDir::Files, QDir::Name)) treebanks << ud.filePath(f);
    dialog->setConlluFiles(treebanks);
    QSignalSpy generated(dialog, &gs::ui::PolypersonalDialog::generated);
    dialog->generate();
    dialog->cancelGeneration();
    ASSERT_TRUE(QTest::qWaitFor([&] { return !dialog->isRunning(); }, kTimeoutMs));
    EXPECT_EQ(generated.count(), 0);
    EXPECT_EQ(browser()->datasetCount(), int(csvs.size()));
    dialog->generate();
    ASSERT_TRUE(QTest::qWaitFor([&] { return generated.count() == 1; }, 4 * kTimeoutMs)) << dialog->summary().toStdString();
    const OpenDatasetPtr poly = generated.at(0).at(0).value<OpenDatasetPtr>();
    ASSERT_TRUE(poly);
    EXPECT_GT(poly->pairCount, 500);
    std::cout << dialog->summary().toStdString() << '\n';
}

// The main window with the demo model, the browser and a pair chosen: saved
// for the README (resources/screenshots/datasets.png comes from this image).
TEST_F(DatasetWindowTest, ScreenshotOfTheBrowserWithAPairChosen) {
    ASSERT_TRUE(window->openDemo()) << window->statusMessage().toStdString();
    ASSERT_TRUE(waitForDatasets(1));
    ASSERT_TRUE(window->openDataset(fixture("pairs.csv")));
    ASSERT_TRUE(waitForDatasets(2));
    browser()->setCurrentDataset(0);
    browser()->setPhenomenonFilter(QStringLiteral("adjective_noun_case"));
    browser()->selectNext(1);
    browser()->selectNext(1);
    browser()->setShowsBadSentence(true);
    const gs::DatasetItem* item = browser()->item(browser()->currentPair());
    ASSERT_NE(item, nullptr);
    const QString bad = QString::fromStdString(item->bad.text);
    ASSERT_TRUE(QTest::qWaitFor([&] {
        return !window->isBusy() && window->heatmapWidget()->hasData() && window->heatmapWidget()->title() == bad;
    }, kTimeoutMs)) << window->statusMessage().toStdString();
    EXPECT_FALSE(browser()->pairView()->highlightedWords(true).isEmpty());
    QTest::qWait(100);  // the queued relayout of the plot
    ASSERT_TRUE(QDir().mkpath(screenshotDir()));
    EXPECT_TRUE(window->grab().toImage().save(QDir(screenshotDir()).filePath(QStringLiteral("datasets.png"))));

    // The same under a dark palette: the highlights and the secondary text must stay readable.
    const QPalette light = QApplication::palette();
    QPalette dark(QColor(0x35, 0x35, 0x35), QColor(0x2a, 0x2a, 0x2a));
    dark.setColor(QPalette::WindowText, QColor(0xe8, 0xe8, 0xe8));
    dark.setColor(QPalette::Text, QColor(0xe8, 0xe8, 0xe8));
    dark.setColor(QPalette::ButtonText, QColor(0xe8, 0xe8, 0xe8));
    dark.setColor(QPalette::Base, QColor(0x24, 0x24, 0x24));
    dark.setColor(QPalette::AlternateBase, QColor(0x2e, 0x2e, 0x2e));
    dark.setColor(QPalette::Highlight, QColor(0x2a, 0x82, 0xda));
    dark.setColor(QPalette::HighlightedText, Qt::white);
    dark.setColor(QPalette::Link, QColor(0x6a, 0xb0, 0xf3));
    QApplication::setPalette(dark);
    QTest::qWait(50);
    EXPECT_TRUE(window->grab().toImage().save(QDir(screenshotDir()).filePath(QStringLiteral("datasets_dark.png"))));
    QApplication::setPalette(light);
}

} // namespace
