// Brain-file readers against nibabel: every fixture is written and read back by nibabel in
// the test run; our arrays must equal its get_fdata() / darray data exactly (float64) and its
// affine to 1e-6. Hostile files give one clear error.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>

#include "analysis/brain/brain_file.h"
#include "analysis/core/npy.h"
#include "tests/support/python_fixtures.h"

namespace fs = std::filesystem;
using namespace us::analysis;

namespace {

fs::path fixtures() {
    return us::test::pythonFixtures("make_brain_fixtures.py", "brain-fixtures");
}

std::vector<double> reference(const std::string& file, const std::string& key,
                              NpyHeader* header = nullptr) {
    return readNpyAsDouble(fixtures() / (file + ".ref." + key + ".npy"), header);
}

std::vector<std::string> caseFiles() {
    std::ifstream in(fixtures() / "cases.json");
    std::vector<std::string> files;
    for (const auto& c : nlohmann::json::parse(in))
        files.push_back(c.at("file"));
    return files;
}

class BrainFileTest : public ::testing::TestWithParam<std::string> {};

TEST_P(BrainFileTest, MatchesNibabel) {
    const std::string name = GetParam();
    const auto file = readBrainFile(fixtures() / name);
    if (file.volume) {
        NpyHeader header;
        const auto expected = reference(name, "data", &header);
        EXPECT_EQ(file.volume->shape, header.shape);
        const auto ours = file.volume->dataInCOrder();
        ASSERT_EQ(ours.size(), expected.size());
        for (std::size_t i = 0; i < ours.size(); ++i)
            ASSERT_EQ(ours[i], expected[i]) << "element " << i;
        const auto affine = reference(name, "affine");
        for (int r = 0; r < 4; ++r)
            for (int c = 0; c < 4; ++c)
                EXPECT_NEAR(file.volume->affine(r, c), affine[std::size_t(r * 4 + c)], 1e-6)
                    << r << "," << c;
    }
    if (file.mesh) {
        EXPECT_EQ(file.mesh->vertices, reference(name, "vertices"));
        const auto faces = reference(name, "faces");
        ASSERT_EQ(file.mesh->faces.size(), faces.size());
        for (std::size_t i = 0; i < faces.size(); ++i)
            EXPECT_EQ(double(file.mesh->faces[i]), faces[i]);
    }
    if (file.vertexData) {
        EXPECT_EQ(file.vertexData->values, reference(name, "data"));
    }
    EXPECT_TRUE(file.volume || file.mesh || file.vertexData);
}

INSTANTIATE_TEST_SUITE_P(Nibabel, BrainFileTest, ::testing::ValuesIn(caseFiles()),
                         [](const auto& info) {
                             std::string name = info.param;
                             for (auto& c : name)
                                 if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                             return name;
                         });

TEST(BrainFiles, ALabelShorterThanItsCountIsReadWithAWarning) {
    const auto file = readBrainFile(fixtures() / "lh.short.label");
    ASSERT_TRUE(file.vertexData);
    EXPECT_EQ(file.vertexData->values, (std::vector<double>{2, 5, 9, 31}));
    EXPECT_NE(file.vertexData->warning.find("says it has 8 rows but holds 4"), std::string::npos)
        << file.vertexData->warning;
    EXPECT_TRUE(readBrainFile(fixtures() / "lh.cortex.label").vertexData->warning.empty());
}

TEST(BrainFiles, FreeSurferKindsAreToldByMagicNumberNotName) {
    EXPECT_TRUE(readBrainFile(fixtures() / "BrainMesh_ICBM152.lh.curv").vertexData);
    EXPECT_FALSE(readBrainFile(fixtures() / "BrainMesh_ICBM152.lh.curv").mesh);
    EXPECT_TRUE(readBrainFile(fixtures() / "lh.white").mesh);
}

TEST(BrainFiles, AnnotationAndLabelTableNames) {
    const auto annot = readBrainFile(fixtures() / "lh.aparc.annot");
    EXPECT_EQ(annot.vertexData->labelNames,
              (std::vector<std::string>{"unknown", "frontal", "parietal", "occipital"}));
    const auto gifti = readBrainFile(fixtures() / "lh.labels.label.gii");
    EXPECT_EQ(gifti.vertexData->labelNames, (std::vector<std::string>{"background", "V1", "V2"}));
    const auto info = describeBrainFile(readBrainFile(fixtures() / "both_codes.nii.gz"));
    EXPECT_EQ(info.at("sform_code"), 4);
    EXPECT_EQ(info.at("qform_code"), 1);
}

TEST(BrainFiles, HostileFilesGiveOneClearError) {
    for (const auto& entry : fs::directory_iterator(fixtures() / "hostile")) {
        SCOPED_TRACE(entry.path().filename().string());
        try {
            readBrainFile(entry.path());
            ADD_FAILURE() << "expected an error";
        } catch (const std::runtime_error& e) {
            const std::string what = e.what();
            EXPECT_NE(what.find(entry.path().filename().string()), std::string::npos) << what;
            EXPECT_EQ(what.find('\n'), std::string::npos) << what;
        }
    }
}

}  // namespace
