#include "render/common/colour_bar.h"

#include <vtkLookupTable.h>
#include <vtkNew.h>
#include <vtkTextProperty.h>

#include <algorithm>

namespace us::render {

vtkSmartPointer<vtkScalarBarActor> makeColourBar(const OverlayStyle& style,
                                                 const std::string& title, bool darkText) {
    vtkNew<vtkLookupTable> table;
    fillColourBarTable(table, style);
    auto bar = vtkSmartPointer<vtkScalarBarActor>::New();
    bar->SetLookupTable(table);
    bar->SetTitle(title.c_str());
    bar->SetNumberOfLabels(5);
    bar->SetOrientationToHorizontal();
    const double grey = darkText ? 0.1 : 0.9;
    for (auto* text : {bar->GetTitleTextProperty(), bar->GetLabelTextProperty()}) {
        text->SetColor(grey, grey, grey);
        text->ItalicOff();
        if (darkText) text->ShadowOff();
    }
    return bar;
}

void layOutColourBars(const std::vector<vtkSmartPointer<vtkScalarBarActor>>& bars) {
    if (bars.empty()) return;
    constexpr double kGap = 0.03;
    const double n = double(bars.size());
    const double width = std::min(0.5, (0.9 - (n - 1) * kGap) / n);
    double left = 0.5 - (n * width + (n - 1) * kGap) / 2;
    for (const auto& bar : bars) {
        bar->SetPosition(left, 0.02);
        bar->SetWidth(width);
        bar->SetHeight(0.11);
        left += width + kGap;
    }
}

}  // namespace us::render
