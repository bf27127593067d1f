// Read-only, copyable tables of per-layer numbers (see the header).

#include "report_table.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCoreApplication>
#include <QFontMetrics>
#include <QHeaderView>
#include <QTableWidget>

namespace gs::ui {

QTableWidget* makeReportTable(QWidget* parent, const QString& objectName, const QStringList& titles,
                              const QStringList& columnToolTips, const QString& toolTip) {
    auto* table = new QTableWidget(0, int(titles.size()), parent);
    table->setObjectName(objectName);
    for (int c = 0; c < int(titles.size()); ++c) {
        auto* header = new QTableWidgetItem(titles[c]);
        header->setToolTip(columnToolTips.value(c));
        table->setHorizontalHeaderItem(c, header);
    }
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->verticalHeader()->hide();
    table->verticalHeader()->setDefaultSectionSize(QFontMetrics(table->font()).height() + 6);
    table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table->setContextMenuPolicy(Qt::ActionsContextMenu);
    auto* copy = new QAction(QCoreApplication::translate("gs::ui::ReportTable", "&Copy table"), table);
    copy->setShortcut(QKeySequence::Copy);
    copy->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    copy->setToolTip(QCoreApplication::translate("gs::ui::ReportTable",
                                                 "Copy every row as tab-separated text (pastes into a spreadsheet)"));
    QObject::connect(copy, &QAction::triggered, table,
                     [table] { QApplication::clipboard()->setText(reportTableText(table)); });
    table->addAction(copy);
    table->setToolTip(toolTip);
    return table;
}

QString reportTableText(const QTableWidget* table) {
    QStringList lines;
    QStringList header;
    for (int c = 0; c < table->columnCount(); ++c) header << table->horizontalHeaderItem(c)->text();
    lines << header.join(QLatin1Char('\t'));
    for (int r = 0; r < table->rowCount(); ++r) {
        QStringList row;
        for (int c = 0; c < table->columnCount(); ++c) {
            const QTableWidgetItem* item = table->item(r, c);
            const QString text = item ? item->text() : QString();
            row << (text == QStringLiteral("—") ? QString() : text);  // empty cells paste as empty
        }
        lines << row.join(QLatin1Char('\t'));
    }
    return lines.join(QLatin1Char('\n')) + QLatin1Char('\n');
}

} // namespace gs::ui
