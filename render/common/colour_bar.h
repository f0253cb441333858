#pragma once
// Colour bars for overlay layers: one per layer, titled with its name (and units), side by
// side along the bottom of a view. Shared by the brain view, its figures and the CLI figure.

#include <vtkScalarBarActor.h>
#include <vtkSmartPointer.h>

#include <string>
#include <vector>

#include "render/common/colour_map.h"

namespace us::render {

vtkSmartPointer<vtkScalarBarActor> makeColourBar(const OverlayStyle& style,
                                                 const std::string& title, bool darkText);

// Positions `bars` side by side, centred along the bottom of the viewport.
void layOutColourBars(const std::vector<vtkSmartPointer<vtkScalarBarActor>>& bars);

}  // namespace us::render
