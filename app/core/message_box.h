#pragma once

#include <QMessageBox>

namespace us::app {

// A non-modal message box that deletes itself when closed: the GUI (and the worker's results)
// keep running while it is shown.
void showMessageLater(QWidget* parent, QMessageBox::Icon icon, const QString& title,
                      const QString& text);

}  // namespace us::app
