#include "app/gui_startup.h"

#include <QCoreApplication>
#include <QSurfaceFormat>

#include "analysis/core/runtime_setup.h"
#include "analysis/core/versions.h"

namespace us::app {

void prepareGuiProcess() {
    us::analysis::configureRuntime();
    // Under EGL, VTK 9.1 cannot initialise GLEW; GLX works (on X11; ignored elsewhere).
    if (qEnvironmentVariableIsEmpty("QT_XCB_GL_INTEGRATION"))
        qputenv("QT_XCB_GL_INTEGRATION", "xcb_glx");
    QSurfaceFormat format;
    format.setRenderableType(QSurfaceFormat::OpenGL);
    format.setVersion(3, 2);  // VTK's OpenGL2 backend needs a 3.2 core context
    format.setProfile(QSurfaceFormat::CoreProfile);
    format.setDepthBufferSize(24);
    format.setStencilBufferSize(8);
    format.setSamples(0);
    format.setSwapInterval(0);
    QSurfaceFormat::setDefaultFormat(format);
}

void identifyApplication() {
    QCoreApplication::setOrganizationName("Unitscope");
    QCoreApplication::setApplicationName("unitscope");
    QCoreApplication::setApplicationVersion(
        QString::fromStdString(us::analysis::unitscopeVersion()));
}

}  // namespace us::app
