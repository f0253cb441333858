#include "app/core/message_box.h"

namespace us::app {

void showMessageLater(QWidget* parent, QMessageBox::Icon icon, const QString& title,
                      const QString& text) {
    auto* box = new QMessageBox(icon, title, text, QMessageBox::Ok, parent);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

}  // namespace us::app
