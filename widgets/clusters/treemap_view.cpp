#include "widgets/clusters/treemap_view.h"

#include <QContextMenuEvent>
#include <QMenu>

#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace us::widgets {
namespace {

constexpr int kMaxHighlights = 2000;
// The frame of a cell's own (discriminative) image, to tell it from members' thumbnails.
const QColor kCellImageFrame(240, 190, 40);

// Tableau-10: distinct, print-safe class colours.
QColor classColour(int label) {
    static const QColor colours[] = {
        {78, 121, 167}, {242, 142, 43},  {225, 87, 89},   {118, 183, 178}, {89, 161, 79},
        {237, 201, 72}, {176, 122, 161}, {255, 157, 167}, {156, 117, 95},  {186, 176, 172}};
    if (label < 0) return QColor(150, 150, 150);
    return colours[label % 10];
}

QColor lerp(const QColor& a, const QColor& b, double t) {
    t = std::clamp(t, 0.0, 1.0);
    return QColor::fromRgbF(float(a.redF() + (b.redF() - a.redF()) * t),
                            float(a.greenF() + (b.greenF() - a.greenF()) * t),
                            float(a.blueF() + (b.blueF() - a.blueF()) * t));
}

// A sequential dark-blue -> teal -> yellow ramp for continuous values.
QColor ramp(double t) {
    return t < 0.5 ? lerp(QColor(40, 30, 110), QColor(30, 150, 140), t * 2)
                   : lerp(QColor(30, 150, 140), QColor(250, 225, 60), t * 2 - 1);
}

QRectF lerpRect(const QRectF& a, const QRectF& b, double t) {
    return QRectF(a.x() + (b.x() - a.x()) * t, a.y() + (b.y() - a.y()) * t,
                  a.width() + (b.width() - a.width()) * t,
                  a.height() + (b.height() - a.height()) * t);
}

QString percent(float share) {
    return QString::number(std::lround(share * 100)) + "%";
}

QString pValue(double p) {
    return p < 1e-16 ? QStringLiteral("< 1e-16") : QString::number(p, 'g', 2);
}

// A cell's claims are chance when either adjusted p is above 5%.
constexpr double kChanceLevel = 0.05;

bool couldBeChance(const analysis::ClusterLabelNulls& nulls, std::size_t node) {
    return nulls.purityQ[node] > kChanceLevel || nulls.majorityQ[node] > kChanceLevel;
}

}  // namespace

TreemapView::TreemapView(QWidget* parent) : QWidget(parent) {
    setMouseTracking(true);
    setFocusPolicy(Qt::ClickFocus);
    setMinimumSize(200, 150);
    animation_.setDuration(250);
    animation_.setStartValue(0.0);
    animation_.setEndValue(1.0);
    animation_.setEasingCurve(QEasingCurve::InOutQuad);
    connect(&animation_, &QVariantAnimation::valueChanged, this, [this] { update(); });
}

void TreemapView::setTree(std::shared_ptr<const analysis::ClusterTree> tree,
                          std::map<std::int64_t, QImage> thumbnails,
                          std::vector<std::string> itemNames) {
    tree_ = std::move(tree);
    thumbnails_ = std::move(thumbnails);
    itemNames_ = std::move(itemNames);
    cellImages_.clear();  // node ids of another tree
    nodeValues_.clear();
    highlighted_.clear();
    history_.clear();
    zoomRoot_ = tree_ ? tree_->root() : -1;
    relayout();
    Q_EMIT zoomed(zoomRoot_);
}

void TreemapView::setTiling(analysis::TreemapTiling tiling) {
    tiling_ = tiling;
    relayout();
}

void TreemapView::setLevels(int levels) {
    levels_ = std::clamp(levels, 1, 12);
    relayout();
}

void TreemapView::setColour(TreemapColour colour) {
    colour_ = colour;
    update();
}

void TreemapView::setNodeValues(std::vector<float> values, const QString& label) {
    nodeValues_ = std::move(values);
    valueLabel_ = label;
    valueMin_ = std::numeric_limits<float>::infinity();
    valueMax_ = -valueMin_;
    for (float v : nodeValues_)
        if (std::isfinite(v)) {
            valueMin_ = std::min(valueMin_, v);
            valueMax_ = std::max(valueMax_, v);
        }
    if (!(valueMax_ > valueMin_)) valueMax_ = valueMin_ + 1;
    update();
}

int TreemapView::setSearch(const QString& text) {
    highlighted_.clear();
    if (!tree_ || text.trimmed().isEmpty()) {
        update();
        return 0;
    }
    const QString needle = text.trimmed();
    // A class name: the clusters whose majority it is.
    for (std::size_t c = 0; c < tree_->classNames.size(); ++c)
        if (QString::fromStdString(tree_->classNames[c]).compare(needle, Qt::CaseInsensitive) ==
            0) {
            for (std::int64_t node = 0; node < tree_->nodeCount(); ++node)
                if (tree_->majority[std::size_t(node)] == std::int32_t(c))
                    highlighted_.insert(node);
            update();
            return int(highlighted_.size());
        }
    // Stimuli by name: every cluster on the way from their leaf to the root.
    std::vector<std::int64_t> parent(std::size_t(tree_->nodeCount()), -1);
    for (std::int64_t id = tree_->linkage.leaves; id < tree_->nodeCount(); ++id)
        parent[std::size_t(tree_->left(id))] = parent[std::size_t(tree_->right(id))] = id;
    int matches = 0;
    for (std::size_t item = 0; item < itemNames_.size() && matches < kMaxHighlights; ++item) {
        if (!QString::fromStdString(itemNames_[item]).contains(needle, Qt::CaseInsensitive))
            continue;
        ++matches;
        for (auto node = std::int64_t(tree_->leafOfItem[item]); node >= 0;
             node = parent[std::size_t(node)])
            if (!highlighted_.insert(node).second) break;
    }
    update();
    return matches;
}

void TreemapView::relayout() {
    cells_.clear();
    cellIndex_.clear();
    parents_.clear();
    if (!tree_ || width() < 2 || height() < 2) {
        update();
        return;
    }
    const bool squarify = tiling_ == analysis::TreemapTiling::Squarify;
    // The slider's levels: binary levels for slice-dice; for squarify the dendrogram is cut
    // `levels` merges down into one level of up to 2^levels cells.
    cells_ = analysis::layoutTreemap(tree_->linkage, tree_->leafSizes, width(), height(), tiling_,
                                     squarify ? levels_ : 1, zoomRoot_, squarify ? 1 : levels_);
    for (std::size_t i = 0; i < cells_.size(); ++i) {
        cellIndex_[cells_[i].id] = i;
        if (cells_[i].parent >= 0) parents_.insert(cells_[i].parent);
    }
    update();
}

void TreemapView::resizeEvent(QResizeEvent*) {
    relayout();
}

std::vector<std::int64_t> TreemapView::breadcrumbs() const {
    std::vector<std::int64_t> path = history_;
    if (zoomRoot_ >= 0) path.push_back(zoomRoot_);
    return path;
}

void TreemapView::zoomTo(std::int64_t node, bool animate) {
    if (!tree_ || node < 0 || node >= tree_->nodeCount() || node == zoomRoot_) return;
    const QRectF from = cellRect(node);
    history_.push_back(zoomRoot_);
    animationCells_ = cells_;
    zoomRoot_ = node;
    relayout();
    if (animate && !from.isEmpty()) {
        animationFrom_ = from;
        animation_.stop();
        animation_.start();
    }
    Q_EMIT zoomed(node);
}

bool TreemapView::back() {
    if (history_.empty()) return false;
    zoomRoot_ = history_.back();
    history_.pop_back();
    animation_.stop();
    relayout();
    Q_EMIT zoomed(zoomRoot_);
    return true;
}

QRectF TreemapView::cellRect(std::int64_t node) const {
    const auto found = cellIndex_.find(node);
    if (found == cellIndex_.end()) return {};
    const auto& c = cells_[found->second];
    return QRectF(c.x, c.y, c.w, c.h);
}

std::int64_t TreemapView::cellAt(QPointF position) const {
    std::int64_t best = -1;
    int bestDepth = -1;
    for (const auto& c : cells_)
        if (c.depth > bestDepth && QRectF(c.x, c.y, c.w, c.h).contains(position)) {
            best = c.id;
            bestDepth = c.depth;
        }
    return best;
}

QString TreemapView::describe(std::int64_t node) const {
    if (!tree_) return {};
    const auto s = std::size_t(node);
    QString text = tr("Cluster %1: %2 %3")
                       .arg(node)
                       .arg(tree_->size[s])
                       .arg(tree_->size[s] == 1 ? tr("item") : tr("items"));
    if (tree_->majority[s] >= 0)
        text += tr(", majority %1 (%2)")
                    .arg(QString::fromStdString(tree_->classNames[std::size_t(tree_->majority[s])]),
                         percent(tree_->purity[s]));
    if (const auto& nulls = tree_->labelNulls; !nulls.empty())
        text += tr(" vs shuffled labels: purity q %1, majority q %2%3")
                    .arg(pValue(nulls.purityQ[s]), pValue(nulls.majorityQ[s]),
                         couldBeChance(nulls, s) ? tr(" (could be chance)") : QString());
    if (std::isfinite(tree_->accuracy[s]))
        text += tr(", %1 accuracy").arg(percent(tree_->accuracy[s]));
    if (!nodeValues_.empty() && std::isfinite(nodeValues_[s]))
        text += tr(", mean %1 %2").arg(valueLabel_).arg(nodeValues_[s], 0, 'g', 4);
    if (const auto own = cellImages_.find(node); own != cellImages_.end())
        text += ", " + own->second.note;
    return text;
}

QColor TreemapView::colourOf(std::int64_t node) const {
    const auto s = std::size_t(node);
    switch (colour_) {
        case TreemapColour::MajorityClass: {
            if (tree_->majority[s] < 0) return QColor(120, 130, 140);
            // Mixed clusters fade towards grey.
            return lerp(QColor(160, 160, 160), classColour(tree_->majority[s]),
                        0.35 + 0.65 * tree_->purity[s]);
        }
        case TreemapColour::Purity:
            return std::isfinite(tree_->purity[s]) ? ramp(tree_->purity[s]) : QColor(120, 130, 140);
        case TreemapColour::Accuracy:
            return std::isfinite(tree_->accuracy[s])
                       ? lerp(QColor(200, 50, 50), QColor(60, 170, 80), tree_->accuracy[s])
                       : QColor(120, 130, 140);
        case TreemapColour::UnitActivation:
            if (nodeValues_.empty() || !std::isfinite(nodeValues_[s])) return QColor(120, 130, 140);
            return ramp((nodeValues_[s] - valueMin_) / (valueMax_ - valueMin_));
    }
    return Qt::gray;
}

void TreemapView::paintCellLabel(QPainter& painter, std::int64_t node, const QRectF& rect,
                                 const QColor& fill) const {
    const auto s = std::size_t(node);
    QString label = QString::number(tree_->size[s]);
    if (tree_->majority[s] >= 0)
        label += " " + QString::fromStdString(tree_->classNames[std::size_t(tree_->majority[s])]) +
                 " " + percent(tree_->purity[s]);
    if (std::isfinite(tree_->accuracy[s]))
        label += tr(" \u00b7 acc %1").arg(percent(tree_->accuracy[s]));
    const QFontMetrics metrics(font());
    painter.setPen(fill.lightnessF() > 0.6 ? QColor(20, 20, 20) : QColor(245, 245, 245));
    const QRectF textRect = rect.adjusted(4, 2, -4, 0);
    painter.drawText(textRect, Qt::AlignLeft | Qt::AlignTop,
                     metrics.elidedText(label, Qt::ElideRight, int(textRect.width())));
}

// A cell's own image: a square centred under its label, two thirds of the room (at most
// 256 px, the image is only 128); the whole cell less a margin when there is no label.
QRectF TreemapView::imageRectIn(const QRectF& cell) const {
    if (cell.width() < 12 || cell.height() < 12) return {};
    const bool labelled = cell.width() >= 30 && cell.height() >= 22;
    const double top = cell.top() + (labelled ? fontMetrics().height() + 4 : 2);
    const double room = std::min(cell.bottom() - top - 3, cell.width() - 8);
    const double side = std::min(256.0, room < 48 ? room : std::max(48.0, room * 2 / 3));
    if (side < 8) return {};
    const double y = top + (cell.bottom() - 3 - top - side) / 2;
    return QRectF(cell.center().x() - side / 2, y, side, side);
}

QRectF TreemapView::cellImageRect(std::int64_t node) const {
    if (!cellImages_.contains(node) || parents_.contains(node) || !cellIndex_.contains(node))
        return {};
    return imageRectIn(cellRect(node));
}

void TreemapView::setCellImages(std::map<std::int64_t, TreemapCellImage> images) {
    cellImages_ = std::move(images);
    update();
}

std::vector<std::int64_t> TreemapView::shownLeafCells() const {
    std::vector<std::int64_t> leaves;
    for (const auto& cell : cells_)
        if (!parents_.contains(cell.id)) leaves.push_back(cell.id);
    return leaves;
}

void TreemapView::paintCell(QPainter& painter, const analysis::TreemapCell& cell,
                            const QRectF& rect, bool deepest) {
    const QColor fill = colourOf(cell.id);
    if (deepest) painter.fillRect(rect, fill);
    const bool lit = highlighted_.contains(cell.id);
    painter.setPen(lit ? QPen(QColor(255, 255, 255), 3)
                       : QPen(QColor(25, 25, 30), cell.depth <= 1 ? 2 : 1));
    painter.setBrush(Qt::NoBrush);
    painter.drawRect(rect.adjusted(0.5, 0.5, -0.5, -0.5));
    if (!deepest || rect.width() < 12 || rect.height() < 12) return;
    const auto s = std::size_t(cell.id);
    if (const auto own = cellImages_.find(cell.id); own != cellImages_.end()) {
        const QRectF target = imageRectIn(rect);
        if (rect.width() >= 30 && rect.height() >= 22) paintCellLabel(painter, cell.id, rect, fill);
        if (target.isEmpty()) return;
        painter.setRenderHint(QPainter::SmoothPixmapTransform, true);
        painter.drawImage(target, own->second.image);
        painter.setPen(QPen(kCellImageFrame, 2));
        painter.drawRect(target.adjusted(-1, -1, 1, 1));
        return;
    }
    if (rect.width() < 30 || rect.height() < 22) {  // too small for a label: one picture
        const auto found = thumbnails_.find(tree_->representatives[s][0]);
        if (found == thumbnails_.end()) return;
        const double side = std::min(rect.width(), rect.height()) - 2;
        painter.drawImage(
            QRectF(rect.center().x() - side / 2, rect.center().y() - side / 2, side, side),
            found->second);
        ++thumbnailsDrawn_;
        return;
    }

    // Label, then up to three thumbnails of the members nearest the centroid.
    paintCellLabel(painter, cell.id, rect, fill);
    const QFontMetrics metrics(font());
    const double top = rect.top() + metrics.height() + 4;
    const double side = std::min({64.0, rect.bottom() - top - 3, (rect.width() - 8) / 1.0});
    if (side < 14) return;
    double x = rect.left() + 4;
    for (auto item : tree_->representatives[s]) {
        if (item < 0 || x + side > rect.right() - 3) break;
        const auto found = thumbnails_.find(item);
        if (found == thumbnails_.end()) continue;
        painter.setRenderHint(QPainter::SmoothPixmapTransform, found->second.width() > side);
        painter.drawImage(QRectF(x, top, side, side), found->second);
        ++thumbnailsDrawn_;
        x += side + 3;
    }
}

void TreemapView::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.fillRect(rect(), palette().window());
    thumbnailsDrawn_ = 0;
    if (!tree_) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(rect(), Qt::AlignCenter, tr("No clusters yet"));
        return;
    }
    const QRectF full(0, 0, width(), height());
    if (animation_.state() == QAbstractAnimation::Running) {
        // The old layout, scaled so that the clicked cell grows to fill the view.
        const double t = animation_.currentValue().toDouble();
        const QRectF target = lerpRect(animationFrom_, full, t);
        const double sx = target.width() / animationFrom_.width();
        const double sy = target.height() / animationFrom_.height();
        std::set<std::int64_t> oldParents;
        for (const auto& c : animationCells_)
            if (c.parent >= 0) oldParents.insert(c.parent);
        for (const auto& c : animationCells_) {
            const QRectF r(target.x() + (c.x - animationFrom_.x()) * sx,
                           target.y() + (c.y - animationFrom_.y()) * sy, c.w * sx, c.h * sy);
            if (r.intersects(full)) paintCell(painter, c, r, !oldParents.contains(c.id));
        }
        return;
    }
    for (const auto& c : cells_) {
        const QRectF r(c.x, c.y, c.w, c.h);
        paintCell(painter, c, r, !parents_.contains(c.id));
    }
    paintLegend(painter);
    if (hovered_ >= 0) paintHoverCard(painter);
}

// A colour bar with its quantity and range for the continuous colourings.
void TreemapView::paintLegend(QPainter& painter) {
    QString title;
    double lo = 0, hi = 1;
    bool percentScale = true;
    switch (colour_) {
        case TreemapColour::MajorityClass: return;
        case TreemapColour::Purity: title = tr("purity"); break;
        case TreemapColour::Accuracy: title = tr("accuracy"); break;
        case TreemapColour::UnitActivation:
            if (nodeValues_.empty()) return;
            title = tr("mean %1").arg(valueLabel_);
            lo = valueMin_;
            hi = valueMax_;
            percentScale = false;
            break;
    }
    const QFontMetrics metrics(font());
    const QRectF box(width() - 230, height() - 2.6 * metrics.height() - 8, 222,
                     2.6 * metrics.height() + 4);
    painter.setPen(Qt::NoPen);
    painter.setBrush(QColor(255, 255, 255, 225));
    painter.drawRoundedRect(box, 4, 4);
    const QRectF bar(box.left() + 8, box.top() + metrics.height() + 4, box.width() - 16, 8);
    for (int i = 0; i < int(bar.width()); ++i) {
        const double t = i / bar.width();
        const QColor c = colour_ == TreemapColour::Accuracy
                             ? lerp(QColor(200, 50, 50), QColor(60, 170, 80), t)
                             : ramp(t);
        painter.fillRect(QRectF(bar.left() + i, bar.top(), 1.5, bar.height()), c);
    }
    painter.setPen(QColor(20, 20, 20));
    painter.drawText(QRectF(box.left() + 8, box.top() + 2, box.width() - 16, metrics.height()),
                     Qt::AlignLeft,
                     metrics.elidedText(title, Qt::ElideRight, int(box.width() - 16)));
    const auto text = [&](double v) {
        return percentScale ? percent(float(v)) : QString::number(v, 'g', 3);
    };
    painter.drawText(QRectF(bar.left(), bar.bottom() + 1, bar.width(), metrics.height()),
                     Qt::AlignLeft, text(lo));
    painter.drawText(QRectF(bar.left(), bar.bottom() + 1, bar.width(), metrics.height()),
                     Qt::AlignRight, text(hi));
}

void TreemapView::paintHoverCard(QPainter& painter) {
    const auto s = std::size_t(hovered_);
    const QFontMetrics metrics(font());
    const int width = 300, line = metrics.height();
    std::vector<std::pair<int, int>> classes;  // count, class
    for (std::size_t c = 0; c < tree_->classCounts[s].size(); ++c)
        if (tree_->classCounts[s][c] > 0) classes.emplace_back(tree_->classCounts[s][c], int(c));
    std::sort(classes.rbegin(), classes.rend());
    classes.resize(std::min<std::size_t>(classes.size(), 5));
    const auto& nulls = tree_->labelNulls;
    const int nullLines = (nulls.empty() ? 0 : 3) + (cellImages_.contains(hovered_) ? 1 : 0);
    const int preview = 96;
    const int height = 8 + line * (2 + nullLines) + int(classes.size()) * (line + 2) + preview + 12;
    QPointF origin = mouse_ + QPointF(16, 16);
    if (origin.x() + width > this->width()) origin.setX(mouse_.x() - width - 16);
    if (origin.y() + height > this->height())
        origin.setY(std::max(0.0, this->height() - height - 4.0));
    const QRectF card(origin, QSizeF(width, height));
    painter.setPen(QColor(60, 60, 70));
    painter.setBrush(QColor(250, 250, 252, 240));
    painter.drawRoundedRect(card, 6, 6);
    painter.setPen(QColor(20, 20, 20));
    double y = card.top() + 6;
    painter.drawText(QRectF(card.left() + 8, y, width - 16, line * 2), Qt::TextWordWrap,
                     tr("Cluster %1 \u00b7 %2 items").arg(hovered_).arg(tree_->size[s]));
    y += line + 4;
    if (!nulls.empty()) {
        // The evidence that the cell's purity and majority are not what shuffled labels give.
        const bool chance = couldBeChance(nulls, s);
        const QString lines[] = {tr("vs %1 label shuffles: purity p %2")
                                     .arg(nulls.permutations)
                                     .arg(pValue(nulls.purityP[s])),
                                 tr("majority class p %1 (exact)").arg(pValue(nulls.majorityP[s])),
                                 tr("q %1 / %2 over cells: %3")
                                     .arg(pValue(nulls.purityQ[s]), pValue(nulls.majorityQ[s]),
                                          chance ? tr("could be chance") : tr("beyond chance"))};
        for (const auto& text : lines) {
            if (&text == &lines[2])
                painter.setPen(chance ? QColor(120, 120, 120) : QColor(30, 120, 50));
            painter.drawText(QRectF(card.left() + 8, y, width - 16, line), Qt::AlignLeft,
                             metrics.elidedText(text, Qt::ElideRight, width - 16));
            y += line;
        }
        painter.setPen(QColor(20, 20, 20));
    }
    const auto own = cellImages_.find(hovered_);
    if (own != cellImages_.end()) {
        painter.drawText(QRectF(card.left() + 8, y, width - 16, line), Qt::AlignLeft,
                         metrics.elidedText(own->second.note, Qt::ElideRight, width - 16));
        y += line;
    }
    for (const auto& [count, c] : classes) {
        y += line + 2;
        const double share = double(count) / tree_->size[s];
        painter.fillRect(QRectF(card.left() + 100, y - line + 4, (width - 150) * share, line - 4),
                         classColour(c));
        painter.setPen(QColor(20, 20, 20));
        painter.drawText(
            QRectF(card.left() + 8, y - line, 90, line), Qt::AlignLeft | Qt::AlignVCenter,
            metrics.elidedText(QString::fromStdString(tree_->classNames[std::size_t(c)]),
                               Qt::ElideRight, 88));
        painter.drawText(QRectF(card.right() - 48, y - line, 44, line),
                         Qt::AlignRight | Qt::AlignVCenter, percent(float(share)));
    }
    y += 8;
    double x = card.left() + 8;
    if (own != cellImages_.end()) {
        const QRectF target(x, y, preview * 0.75, preview * 0.75);
        painter.drawImage(target, own->second.image);
        painter.setPen(QPen(kCellImageFrame, 2));
        painter.drawRect(target);
        x += preview * 0.75 + 4;
    }
    for (auto item : tree_->representatives[s]) {
        const auto found = thumbnails_.find(item);
        if (item < 0 || found == thumbnails_.end() || x + preview > card.right()) continue;
        painter.drawImage(QRectF(x, y, preview * 0.75, preview * 0.75), found->second);
        x += preview * 0.75 + 4;
    }
}

void TreemapView::mousePressEvent(QMouseEvent* event) {
    if (!tree_) return;
    const std::int64_t deepest = cellAt(event->position());
    if (deepest < 0) return;
    if (event->button() == Qt::RightButton || (event->modifiers() & Qt::ControlModifier)) {
        Q_EMIT selected(deepest);
        return;
    }
    if (event->button() != Qt::LeftButton) return;
    // Zoom one level: into the child of the zoom root that holds the click.
    std::int64_t target = deepest;
    for (const auto& c : cells_)
        if (c.depth == 1 && QRectF(c.x, c.y, c.w, c.h).contains(event->position())) target = c.id;
    if (tree_->isLeaf(target))
        Q_EMIT selected(target);
    else
        zoomTo(target);
}

void TreemapView::contextMenuEvent(QContextMenuEvent* event) {
    if (!tree_) return;
    const std::int64_t node = cellAt(event->pos());
    if (node < 0) return;
    QMenu menu(this);
    if (itemsAreUnits_) {
        menu.addAction(tr("Visualise this cluster of units"), this,
                       [this, node] { Q_EMIT visualiseRequested(node); });
        const auto leaves = shownLeafCells();
        if (leaves.size() >= 2) {
            const std::vector<qint64> cells(leaves.begin(), leaves.end());
            menu.addAction(tr("Discriminative images of the %1 cells shown").arg(cells.size()),
                           this, [this, cells] { Q_EMIT clusterImagesRequested(cells, false); });
            menu.addAction(tr("Discriminative images, reassigning units until stable"), this,
                           [this, cells] { Q_EMIT clusterImagesRequested(cells, true); });
        }
    } else
        menu.addAction(tr("Attribution graph of its most typical member"), this,
                       [this, node] { Q_EMIT attributionRequested(node); });
    menu.exec(event->globalPos());
}

void TreemapView::mouseMoveEvent(QMouseEvent* event) {
    mouse_ = event->position();
    const std::int64_t node = cellAt(mouse_);
    if (node != hovered_) Q_EMIT hovered(node >= 0 ? describe(node) : QString());
    hovered_ = node;
    update();
}

void TreemapView::leaveEvent(QEvent*) {
    hovered_ = -1;
    Q_EMIT hovered(QString());
    update();
}

void TreemapView::keyPressEvent(QKeyEvent* event) {
    if (event->key() == Qt::Key_Backspace ||
        (event->key() == Qt::Key_Left && event->modifiers() & Qt::AltModifier))
        back();
    else
        QWidget::keyPressEvent(event);
}

}  // namespace us::widgets
