#pragma once
// Unit captions in the window: Analysis > Caption units runs caption-units on a stored layer
// (optionally against a random-weight control's store) as a job, keeps the result as a JSON
// file in the cache (the session lists it), and shows the selection's unit's caption with its
// null-model evidence in the inspector, greyed when it could be chance.

#include <QObject>
#include <QString>

#include <filesystem>
#include <map>
#include <vector>

#include "analysis/session/session.h"
#include "app/core/job_runner.h"

class QWidget;

namespace us::widgets {
class NeuronInspector;
}

namespace us::app {

class ModelController;
class Selection;

class CaptionController : public QObject {
    Q_OBJECT
  public:
    CaptionController(JobRunner& jobs, Selection& selection, ModelController& models,
                      widgets::NeuronInspector* inspector, const std::filesystem::path& cacheDir,
                      QWidget* dialogParent);

    // Captions a layer of the open store; control: another store over the same stimuli with
    // the same layer (a random-weight copy of the network), or empty.
    void captionLayer(const QString& layer, const QString& control = {});
    void captionDialog();
    bool hasCaptions(const QString& layer) const;
    std::vector<analysis::DataSource> sources() const;
    void restore(const std::vector<analysis::DataSource>& sources);
    void setInteractive(bool interactive) { interactive_ = interactive; }

    // One unit's caption as the inspector shows it, and in one plain line (hover cards).
    struct Shown {
        QString html;
        bool chance = false;
        QString plain;
    };
    // The unit's caption, if its layer has been captioned.
    const Shown* captionOf(const analysis::UnitRef& unit) const;

  Q_SIGNALS:
    void captioned(const QString& layer);
    void failed(const QString& what, const QString& error);

  private:
    void open(const QString& path);
    void keep(const QString& layer, const QString& path, std::vector<Shown> units);
    void showSelectedUnit();
    void reportError(const QString& what, const QString& error);

    JobRunner& jobs_;
    Selection& selection_;
    ModelController& models_;
    widgets::NeuronInspector* inspector_;
    std::filesystem::path cacheDir_;
    QWidget* dialogParent_;
    bool interactive_ = true;
    // Per layer: its captions file and each unit's caption.
    struct Layer {
        QString path;
        std::vector<Shown> units;
    };
    std::map<QString, Layer> layers_;
};

}  // namespace us::app
