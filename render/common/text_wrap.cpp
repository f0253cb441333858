#include "render/common/text_wrap.h"

#include <vtkStdString.h>
#include <vtkTextProperty.h>
#include <vtkTextRenderer.h>

#include <sstream>

namespace us::render {
namespace {

int widthOf(vtkTextRenderer* renderer, vtkTextProperty* property, const std::string& line,
            int dpi) {
    int box[4] = {0, 0, 0, 0};
    if (!renderer->GetBoundingBox(property, vtkStdString(line), box, dpi)) return 0;
    return box[1] - box[0];
}

}  // namespace

std::string wrapText(const std::string& text, vtkTextProperty* property, int maxWidth, int dpi) {
    vtkTextRenderer* renderer = vtkTextRenderer::GetInstance();
    if (!renderer || maxWidth <= 0) return text;
    std::string wrapped;
    std::istringstream paragraphs(text);
    std::string paragraph;
    bool firstParagraph = true;
    while (std::getline(paragraphs, paragraph)) {
        if (!firstParagraph) wrapped += '\n';
        firstParagraph = false;
        std::istringstream words(paragraph);
        std::string word, line;
        while (words >> word) {
            const std::string candidate = line.empty() ? word : line + " " + word;
            if (!line.empty() && widthOf(renderer, property, candidate, dpi) > maxWidth) {
                wrapped += line + '\n';
                line = word;
            } else {
                line = candidate;
            }
        }
        wrapped += line;
    }
    return wrapped;
}

}  // namespace us::render
