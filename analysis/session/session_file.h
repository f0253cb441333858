#pragma once
// Versioned, atomic reading and writing of .unitscope session files (HDF5).

#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "analysis/session/session.h"

namespace us::analysis {

inline constexpr const char* kSessionFormatName = "unitscope-session";
inline constexpr int kSessionFormatMajor = 1;
// 1.1: sources may carry "sha256"; 1.2: "selection" (unit, stimulus, cluster, graph nodes,
// brain position) and "brain_layers" (each overlay's style); 1.3: "graphs" and /graphs/N;
// 1.4: "visualisations" and their images in /visualisations/N; 1.5: a visualisation's
// "cluster_share" and "rival_activation" (discriminative images of a treemap's clusters),
// and "clustering" (the treemap's layer, items and linkage)
inline constexpr int kSessionFormatMinor = 5;

// Every failure to read or write a session, with a message fit for a dialog.
class SessionError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

// Points inside saveSession() at which a test can inject a failure by throwing.
enum class SaveStage { TempFileCreated, ContentWritten, BeforeRename };
using SaveStageHook = std::function<void(SaveStage)>;

// Writes to a temporary file beside `path`, flushes it to disk, then renames it over `path`.
// On any failure the temporary file is removed and an existing `path` is left untouched.
void saveSession(const std::filesystem::path& path, const Session& session,
                 const SaveStageHook& hook = {});

// The session's small structured state (everything but the layout blobs) as stored in the
// file's /manifest; also what `unitscope-cli session-info` prints.
nlohmann::json sessionManifest(const Session& session);

// Throws SessionError for missing, truncated, corrupt or newer-major files.
Session loadSession(const std::filesystem::path& path);

}  // namespace us::analysis
