// The main window's File > Export actions: a screenshot of the current panel as it is, or a
// figure of it at any size (the brain view rendered again, other panels drawn scaled).

#include <QDockWidget>
#include <QFileDialog>
#include <QMessageBox>
#include <QStatusBar>

#include "app/brain/brain_controller.h"
#include "app/core/figure_export.h"
#include "app/main_window.h"

namespace us::app {

void MainWindow::exportScreenshot() {
    const QString name = lastFocusedPanel_;
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export screenshot of %1").arg(docks_[name]->windowTitle()),
        QString("unitscope-%1.png").arg(name), tr("PNG images (*.png)"));
    if (path.isEmpty()) return;
    if (!grabPanel(name).save(path, "PNG"))
        QMessageBox::critical(this, tr("Export screenshot"), tr("Could not write %1").arg(path));
}

void MainWindow::exportFigure(const QString& panelName, const QString& path, int width, int height,
                              bool whiteBackground) {
    if (panelName == "brain") {
        brain_->exportFigure(path, width, height, whiteBackground);
        return;
    }
    QWidget* widget = panel(panelName);
    if (!widget) throw std::runtime_error("no panel named " + panelName.toStdString());
    saveImageAtomically(renderWidgetAt(widget, QSize(width, height)), path);
}

void MainWindow::exportFigureDialog() {
    const QString name = lastFocusedPanel_;
    QWidget* widget = panel(name);
    if (!widget) return;
    FigureExportDialog dialog(docks_[name]->windowTitle(), widget->size(), name == "brain", this);
    if (dialog.exec() != QDialog::Accepted) return;
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Export figure of %1").arg(docks_[name]->windowTitle()),
        QString("unitscope-%1-%2px.png").arg(name).arg(dialog.size().width()),
        tr("PNG images (*.png)"));
    if (path.isEmpty()) return;
    try {
        exportFigure(name, path, dialog.size().width(), dialog.size().height(),
                     dialog.whiteBackground());
        statusBar()->showMessage(tr("Wrote %1").arg(path), 6000);
    } catch (const std::exception& error) {
        QMessageBox::critical(this, tr("Export figure"), error.what());
    }
}

}  // namespace us::app
