#pragma once
// The Jobs panel: running and finished jobs with progress, elapsed time, Cancel, and errors.
// It only displays what it is told (slots) and asks for cancellation (signal); the job system
// itself lives in app/.

#include <QElapsedTimer>
#include <QHash>
#include <QWidget>

class QTreeWidget;
class QTreeWidgetItem;
class QProgressBar;
class QPushButton;
class QLabel;
class QTimer;

namespace us::widgets {

class JobsPanel : public QWidget {
    Q_OBJECT
  public:
    explicit JobsPanel(QWidget* parent = nullptr);
    int rowCount() const;
    // For tests and status read-outs: "queued", "running", "done", "failed", "cancelled".
    QString stateOf(quint64 id) const;
    QString messageOf(quint64 id) const;

  public Q_SLOTS:
    void jobQueued(quint64 id, const QString& name);
    void jobStarted(quint64 id);
    void jobProgress(quint64 id, double fraction, const QString& message);
    void jobSucceeded(quint64 id);
    void jobFailed(quint64 id, const QString& error);
    void jobCancelled(quint64 id);
    void clearFinished();

  Q_SIGNALS:
    void cancelRequested(quint64 id);

  private:
    struct Row {
        QTreeWidgetItem* item = nullptr;
        QProgressBar* progress = nullptr;
        QPushButton* cancel = nullptr;
        QElapsedTimer clock;
        bool running = false;
        bool finished = false;
    };
    void finish(quint64 id, const QString& state, const QString& message);
    void refreshElapsed();

    QTreeWidget* tree_;
    QLabel* emptyLabel_;
    QTimer* elapsedTimer_;
    QHash<quint64, Row> rows_;
};

}  // namespace us::widgets
