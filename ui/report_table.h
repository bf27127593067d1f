#pragma once
// A read-only table of per-layer numbers that copies as tab-separated text
// (Ctrl+C or its context menu; "—" cells paste as empty): the tables of the
// Probes and Sparse autoencoders panels.
//
// Thread affinity: GUI thread only.

#include <QString>
#include <QStringList>

class QTableWidget;
class QWidget;

namespace gs::ui {

// Columns from `titles` (with `columnToolTips`, same length), rows selected
// whole, no editing, compact rows, the copy action installed.
QTableWidget* makeReportTable(QWidget* parent, const QString& objectName, const QStringList& titles,
                              const QStringList& columnToolTips, const QString& toolTip);
// The header and every row, tab-separated, one line each.
QString reportTableText(const QTableWidget* table);

} // namespace gs::ui
