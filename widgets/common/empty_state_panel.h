#pragma once
// A panel whose feature has nothing to show yet: says why, and what the user can do.

#include <QWidget>

class QLabel;
class QPushButton;

namespace us::widgets {

class EmptyStatePanel : public QWidget {
    Q_OBJECT
  public:
    EmptyStatePanel(const QString& title, const QString& explanation, QWidget* parent = nullptr);
    void setExplanation(const QString& text);
    QString explanation() const;
    // Hides the action button once it cannot help any more (e.g. the demo is already open).
    void setActionVisible(bool visible);

  Q_SIGNALS:
    void openDemoRequested();

  private:
    QLabel* explanation_;
    QPushButton* action_;
};

}  // namespace us::widgets
