#pragma once
// The list of stored sets (probe sets, SAE sets) in a panel: one item per
// set, its title and subtitle on two lines, its name kept in Qt::UserRole.
// Shared by the Probes and Sparse autoencoders panels.

#include <QListWidget>
#include <QSignalBlocker>
#include <QString>

#include <cstddef>
#include <vector>

namespace gs::ui::setlist {

// Refills `list` without emitting selection signals. Texts come from
// `title(set)`, `subtitle(set)` and `details(set)` (the tooltip).
template <class Set, class Title, class Subtitle, class Details>
void fill(QListWidget* list, const std::vector<Set>& sets, Title title, Subtitle subtitle, Details details) {
    const QSignalBlocker block(list);
    list->clear();
    for (const Set& set : sets) {
        auto* item = new QListWidgetItem(title(set) + QLatin1Char('\n') + subtitle(set), list);
        item->setData(Qt::UserRole, QString::fromStdString(set.name));
        item->setToolTip(details(set));
    }
}

// Selects the set called `name` (nothing when there is none), without signals.
inline void select(QListWidget* list, const QString& name) {
    int row = -1;
    for (int i = 0; i < list->count(); ++i)
        if (list->item(i)->data(Qt::UserRole).toString() == name) row = i;
    const QSignalBlocker block(list);
    list->setCurrentRow(row);
}

inline QString currentName(const QListWidget* list) {
    const QListWidgetItem* item = list->currentItem();
    return item ? item->data(Qt::UserRole).toString() : QString();
}

template <class Set>
const Set* current(const QListWidget* list, const std::vector<Set>& sets) {
    const int row = list->currentRow();
    return row >= 0 && row < int(sets.size()) ? &sets[std::size_t(row)] : nullptr;
}

}  // namespace gs::ui::setlist
