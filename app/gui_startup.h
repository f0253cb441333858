#pragma once
// Process set-up shared by the GUI executable and the GUI tests: runtime tuning, the OpenGL
// format VTK needs, and application identity (QSettings, cache directory).

namespace us::app {

// Call before constructing QApplication.
void prepareGuiProcess();
// Call right after constructing QApplication.
void identifyApplication();

}  // namespace us::app
