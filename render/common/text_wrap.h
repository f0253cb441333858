#pragma once
// Word wrapping for VTK text: messages centred over a view (loading, errors, empty states)
// must fit the view however narrow the panel is.

#include <string>

class vtkTextProperty;

namespace us::render {

// `text` with line breaks added at spaces so that no line is wider than maxWidth pixels as
// `property` renders it (existing line breaks are kept; a single word wider than that stays
// on its own line).
std::string wrapText(const std::string& text, vtkTextProperty* property, int maxWidth,
                     int dpi = 72);

}  // namespace us::render
