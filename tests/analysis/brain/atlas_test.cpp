// Atlases (FSL XML label and probabilistic, mricron text) against lookups computed with
// nibabel and numpy on the same fixture files.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>

#include "analysis/brain/atlas.h"
#include "tests/support/python_fixtures.h"

namespace fs = std::filesystem;
using namespace us::analysis;

namespace {

fs::path atlases() {
    return us::test::pythonFixtures("make_brain_fixtures.py", "brain-fixtures") / "atlases";
}

}  // namespace

TEST(Atlas, LookupsMatchTheReference) {
    std::ifstream in(atlases() / "lookups.json");
    const auto cases = nlohmann::json::parse(in);
    ASSERT_EQ(cases.size(), 4u);
    for (const auto& entry : cases) {
        const auto atlas = readAtlas(atlases() / entry["atlas"].get<std::string>());
        SCOPED_TRACE(entry["atlas"].get<std::string>());
        // Every atlas here has a 2 mm and a 1 mm image: the finer one is chosen.
        EXPECT_DOUBLE_EQ(atlas.labels->voxelSize[0], 1.0);
        int named = 0;
        for (const auto& point : entry["points"]) {
            const auto& mm = point["mm"];
            const auto region = regionAt(atlas, mm[0], mm[1], mm[2]);
            if (point["label"].is_null()) {
                EXPECT_FALSE(region.has_value()) << mm.dump();
                continue;
            }
            ASSERT_TRUE(region.has_value()) << mm.dump();
            EXPECT_EQ(region->label, point["label"].get<int>()) << mm.dump();
            EXPECT_EQ(region->name, point["region"].get<std::string>()) << mm.dump();
            for (int k = 0; k < 3; ++k)
                EXPECT_EQ(region->voxel[k], point["voxel"][k].get<long long>());
            named += !region->name.empty();
        }
        EXPECT_GT(named, 10);
    }
}

TEST(Atlas, FslDescriptionFollowsTheTypeRules) {
    const auto label = readFslAtlasXml(atlases() / "fsl_label" / "fsl_label.xml");
    EXPECT_EQ(label.type, "Label");
    EXPECT_EQ(label.name, "fsl_label test atlas");
    ASSERT_EQ(label.images.size(), 2u);
    EXPECT_EQ(label.images[1].image.filename(), "fsl_label-1mm.nii.gz");
    EXPECT_EQ(label.names.name(1), "Region A");  // index 0 is the background
    EXPECT_EQ(label.names.name(0), "");
    const auto prob = readFslAtlasXml(atlases() / "fsl_prob" / "fsl_prob.xml");
    EXPECT_EQ(prob.names.name(1), "Region A");  // index 0 is value 1 of the summary image
    EXPECT_EQ(prob.images[0].summary.filename(), "fsl_prob-2mm-maxprob.nii");
    const auto valued = readFslAtlasXml(atlases() / "fsl_valued" / "fsl_valued.xml");
    EXPECT_EQ(valued.names.name(1), "Region L");
}

TEST(Atlas, BadAtlasesGiveOneClearError) {
    int seen = 0;
    for (const auto& entry : fs::directory_iterator(atlases() / "hostile")) {
        SCOPED_TRACE(entry.path().string());
        try {
            readAtlas(entry.path());
            ADD_FAILURE() << "accepted";
        } catch (const std::runtime_error& error) {
            const std::string message = error.what();
            EXPECT_NE(message.find(entry.path().filename().string()), std::string::npos) << message;
            EXPECT_EQ(message.find('\n'), std::string::npos) << message;
        }
        ++seen;
    }
    EXPECT_EQ(seen, 4);
    EXPECT_THROW(readAtlas(atlases() / "missing.xml"), std::runtime_error);
    // A volume without a names table beside it.
    EXPECT_THROW(readAtlas(atlases() / "fsl_label" / "sub" / "fsl_label-1mm.nii.gz"),
                 std::runtime_error);
}
