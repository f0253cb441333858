#pragma once
// The session document: what the window shows (layout, panels, cameras), what is open (sources,
// brain layers with their styles) and the shared selection, captured into an
// analysis::Session, saved atomically, and reopened exactly; plus the recent-sessions menu.

#include <QObject>
#include <QString>

#include "analysis/session/session.h"

class QMenu;

namespace us::app {

class MainWindow;

class SessionController : public QObject {
    Q_OBJECT
  public:
    explicit SessionController(MainWindow& window);

    analysis::Session captureSession() const;
    // Returns false (after telling the user) when the file cannot be opened; the current
    // session is then left exactly as it was.
    bool openSession(const QString& path, bool interactive = true);
    bool saveSessionTo(const QString& path, bool interactive = true);
    // The menu to list recent sessions in (File > Recent sessions).
    void setRecentMenu(QMenu* menu);

    // Dialogs.
    void saveSession();
    void saveSessionAs();
    void openSessionDialog();

  private:
    void rememberRecent(const QString& path);
    void rebuildRecentMenu();
    void setSessionPath(const QString& path);

    MainWindow& window_;
    QMenu* recentMenu_ = nullptr;
    QString sessionPath_;
};

}  // namespace us::app
