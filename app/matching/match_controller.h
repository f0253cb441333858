#pragma once
// Units matched across two networks in the window: Analysis > Match units with another network
// runs match-units between a layer of the open store and another network's layer over the same
// stimuli, optionally against a random-weight control (a store the user has, or a random-weight
// copy of the open network made and extracted here, both cached), as a job. The matches JSON is
// kept in the cache and listed in the session; the inspector shows the selected unit's partner
// with its r against the control's and both units' top exemplars side by side.

#include <QObject>
#include <QString>

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "analysis/models/model_workspace.h"
#include "analysis/session/session.h"
#include "app/core/job_runner.h"
#include "widgets/models/match_dialog.h"

class QWidget;

namespace us::widgets {
class NeuronInspector;
}

namespace us::app {

class ModelController;
class Selection;

// A matches file as the window uses it.
struct UnitMatches {
    QString path;  // the JSON
    QString layer;
    QString otherStore, otherLayer;  // the other network's
    QString method;                  // as shown: "one to one" or "best match"
    analysis::Pooling pooling = analysis::Pooling::Mean;
    std::vector<std::pair<qint64, double>> partnerOf;  // per unit of layer: (unit, r), or -1
    std::vector<double> matched, control;              // every pair's r, and the control's
    std::optional<double> threshold, beyondFraction;
};

class MatchController : public QObject {
    Q_OBJECT
  public:
    MatchController(JobRunner& jobs, Selection& selection,
                    std::shared_ptr<analysis::ModelWorkspace> workspace, ModelController& models,
                    widgets::NeuronInspector* inspector, const std::filesystem::path& cacheDir,
                    QWidget* dialogParent);

    void match(const widgets::MatchSetup& setup);
    void matchDialog();
    const UnitMatches* matchesOf(const QString& layer) const;
    std::vector<analysis::DataSource> sources() const;
    void restore(const std::vector<analysis::DataSource>& sources);
    void setInteractive(bool interactive) { interactive_ = interactive; }

  Q_SIGNALS:
    void matched(const QString& layer);
    // The inspector shows unit's partner (-1: none).
    void partnerShown(const QString& layer, qint64 unit, qint64 partner);
    void failed(const QString& what, const QString& error);

  private:
    void open(const QString& path);
    // Keeps matches whose layer is open, else holds them until it is.
    void keep(UnitMatches matches);
    void keepPending();
    void showSelectedUnit();
    void reportError(const QString& what, const QString& error);

    JobRunner& jobs_;
    Selection& selection_;
    std::shared_ptr<analysis::ModelWorkspace> workspace_;
    ModelController& models_;
    widgets::NeuronInspector* inspector_;
    std::filesystem::path cacheDir_;
    QWidget* dialogParent_;
    bool interactive_ = true;
    std::map<QString, UnitMatches> layers_;  // by the open store's layer
    std::vector<UnitMatches> pending_;       // of layers not open yet
    JobId partnerJob_ = 0;
};

}  // namespace us::app
