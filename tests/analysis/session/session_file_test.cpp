#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <random>

#include "analysis/core/hdf5_handle.h"
#include "analysis/session/session_file.h"

namespace fs = std::filesystem;
using namespace us::analysis;

namespace {

class SessionFileTest : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("unitscope-session-test-" + std::to_string(std::random_device{}()));
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }

    static Session sampleSession() {
        Session s;
        s.demo = true;
        s.sources = {{"brain-anatomy", "/usr/share/mricron/templates/ch2bet.nii.gz", {}},
                     {"atlas", "/tmp/ünïcode path/aal.nii.gz", {}},
                     {"activations", "/data/acts.h5", std::string(64, 'a')}};
        s.selection.unit = UnitRef{"layer4.1.conv2", 37};
        s.selection.stimulus = 812;
        s.selection.cluster = 19998;
        s.selection.graphNodes = {"relu2:7", "fc:3"};
        s.selection.brainPosition = std::array<double, 3>{-42.5, 10, 0.25};
        s.brainLayers = {{"/data/zstat1.nii.gz", "diverging", -3, 3, true, 2.3, true, 0.8, true},
                         {"/data/lh.thickness", "viridis", 1, 4, false, 0, false, 1, false}};
        s.windowGeometry = {1, 2, 3, 0, 255};
        for (int i = 0; i < 3000; ++i)
            s.windowState.push_back(static_cast<std::uint8_t>(i * 7));
        s.openPanels = {"brain", "graph", "jobs"};
        s.currentPanel = "graph";
        s.viewStates["brain.camera"] = {1.5, -2.25, 3e10, 0, 0, 0, 0, 0, 1, 30};
        s.viewStates["graph.view"] = {40, -12.5, 1.75};
        // Graph texts of any size, compressed on disk; one empty.
        std::string big = R"({"nodes":[],"links":[)";
        for (int i = 0; i < 20000; ++i)
            big += R"({"source":"a","target":"b","weight":0.25},)";
        s.attributionGraphs = {big + "]}", R"({"nodes":[],"links":[]})", ""};
        s.currentGraph = 1;
        VisualisationRecord v;
        v.objective = "channel:conv2:5 + -0.5*logit:3";
        v.label = "conv2:5";
        v.unit = UnitRef{"conv2", 5};
        v.facets = "anchored";
        v.steps = 3;
        v.size = 4;
        v.learningRate = 0.05;
        v.diversity = 0;
        v.seed = 1ull << 40;
        v.objectiveCurve = {0.5, 1.25, 2};
        v.finalActivation = {2.5, -1e-30};
        v.bestNatural = 1.75;
        v.imageShape = {2, 1, 4, 4};
        for (int i = 0; i < 32; ++i)
            v.images.push_back(float(i) / 31.f);
        s.visualisations = {v, v, v};
        s.visualisations[1].unit.reset();
        s.visualisations[1].bestNatural.reset();
        auto& discriminative = s.visualisations[2];  // a treemap cluster's image
        discriminative.objective = "units:conv2:1,4,9";
        discriminative.unit.reset();
        discriminative.facets = "discriminative";
        discriminative.clusterShare = 0.625;
        discriminative.rivalActivation = -0.25;
        s.clustering = ClusteringState{"conv2", "units", "average"};
        return s;
    }

    static std::string readAll(const fs::path& p) {
        std::ifstream in(p, std::ios::binary);
        return {std::istreambuf_iterator<char>(in), {}};
    }

    std::size_t filesIn(const fs::path& d) const {
        return static_cast<std::size_t>(std::distance(fs::directory_iterator(d), {}));
    }

    fs::path dir_;
};

TEST_F(SessionFileTest, RoundTripEquals) {
    const auto path = dir_ / "a.unitscope";
    const Session original = sampleSession();
    saveSession(path, original);
    EXPECT_EQ(loadSession(path), original);
    EXPECT_EQ(filesIn(dir_), 1u) << "no temporary file may remain";
}

TEST_F(SessionFileTest, GraphsAreStoredCompressed) {
    const auto path = dir_ / "graphs.unitscope";
    const Session original = sampleSession();
    saveSession(path, original);
    EXPECT_LT(fs::file_size(path), original.attributionGraphs[0].size() / 4);
    const auto loaded = loadSession(path);
    EXPECT_EQ(loaded.attributionGraphs, original.attributionGraphs);
    EXPECT_EQ(loaded.currentGraph, 1);
}

TEST_F(SessionFileTest, VisualisationsKeepTheirImagesAndNonFiniteValues) {
    const auto path = dir_ / "visualisations.unitscope";
    Session session = sampleSession();
    session.visualisations[0].objectiveCurve[1] = std::numeric_limits<double>::infinity();
    saveSession(path, session);
    const auto loaded = loadSession(path);
    ASSERT_EQ(loaded.visualisations.size(), 3u);
    EXPECT_EQ(loaded.visualisations[0].images, session.visualisations[0].images);
    EXPECT_TRUE(std::isnan(loaded.visualisations[0].objectiveCurve[1]));
    EXPECT_EQ(loaded.visualisations[1], session.visualisations[1]);
    // A discriminative image keeps its share and its rival's activation.
    EXPECT_EQ(loaded.visualisations[2], session.visualisations[2]);
    EXPECT_EQ(loaded.visualisations[2].clusterShare, 0.625);
}

TEST_F(SessionFileTest, EmptySessionRoundTrips) {
    const auto path = dir_ / "empty.unitscope";
    saveSession(path, Session{});
    EXPECT_EQ(loadSession(path), Session{});
}

TEST_F(SessionFileTest, FailureAtAnyStageLeavesPreviousFileByteIdentical) {
    const auto path = dir_ / "keep.unitscope";
    saveSession(path, sampleSession());
    const std::string before = readAll(path);
    Session changed = sampleSession();
    changed.currentPanel = "treemap";
    changed.windowState.assign(50000, 9);
    for (SaveStage failAt :
         {SaveStage::TempFileCreated, SaveStage::ContentWritten, SaveStage::BeforeRename}) {
        EXPECT_THROW(saveSession(path, changed,
                                 [failAt](SaveStage stage) {
                                     if (stage == failAt) throw std::runtime_error("disk full");
                                 }),
                     SessionError);
        EXPECT_EQ(readAll(path), before);
        EXPECT_EQ(filesIn(dir_), 1u) << "the temporary file must be removed";
    }
    EXPECT_EQ(loadSession(path), sampleSession());
}

TEST_F(SessionFileTest, SaveIntoMissingDirectoryFailsCleanly) {
    EXPECT_THROW(saveSession(dir_ / "no" / "such" / "dir.unitscope", sampleSession()),
                 SessionError);
}

TEST_F(SessionFileTest, NewerMajorVersionIsRefused) {
    const auto path = dir_ / "future.unitscope";
    saveSession(path, sampleSession());
    {
        H5ErrorSilencer silence;
        H5Handle file(H5Fopen(path.string().c_str(), H5F_ACC_RDWR, H5P_DEFAULT), H5Fclose);
        ASSERT_TRUE(file.valid());
        H5Handle attr(H5Aopen(file.get(), "version_major", H5P_DEFAULT), H5Aclose);
        const int future = kSessionFormatMajor + 1;
        ASSERT_GE(H5Awrite(attr.get(), H5T_NATIVE_INT, &future), 0);
    }
    try {
        loadSession(path);
        FAIL() << "a newer major version must be refused";
    } catch (const SessionError& error) {
        const std::string message = error.what();
        EXPECT_NE(message.find("newer"), std::string::npos) << message;
        EXPECT_NE(message.find(std::to_string(kSessionFormatMajor + 1) + "." +
                               std::to_string(kSessionFormatMinor)),
                  std::string::npos)
            << message;
    }
}

TEST_F(SessionFileTest, TruncatedFilesGiveErrorsNotCrashes) {
    const auto path = dir_ / "full.unitscope";
    saveSession(path, sampleSession());
    const std::string bytes = readAll(path);
    for (int tenth = 0; tenth < 10; ++tenth) {
        const auto cut = dir_ / ("cut" + std::to_string(tenth) + ".unitscope");
        std::ofstream(cut, std::ios::binary)
            .write(bytes.data(), static_cast<std::streamsize>(bytes.size() * tenth / 10));
        EXPECT_THROW(loadSession(cut), SessionError) << "truncated at " << tenth * 10 << "%";
    }
}

TEST_F(SessionFileTest, CorruptedBytesGiveErrorsOrTheOriginal) {
    const auto path = dir_ / "orig.unitscope";
    const Session original = sampleSession();
    saveSession(path, original);
    const std::string bytes = readAll(path);
    std::mt19937 rng(7);
    for (int trial = 0; trial < 40; ++trial) {
        std::string damaged = bytes;
        for (int k = 0; k < 8; ++k)
            damaged[rng() % damaged.size()] ^= static_cast<char>(1 + rng() % 255);
        const auto p = dir_ / "damaged.unitscope";
        std::ofstream(p, std::ios::binary)
            .write(damaged.data(), static_cast<std::streamsize>(damaged.size()));
        try {
            // Flips in unused space may leave a readable file; it must then read back exactly.
            EXPECT_EQ(loadSession(p), original) << "trial " << trial;
        } catch (const SessionError&) {
        }
    }
}

TEST_F(SessionFileTest, NonSessionFilesAreRejectedWithClearMessages) {
    EXPECT_THROW(loadSession(dir_ / "missing.unitscope"), SessionError);
    const auto text = dir_ / "text.unitscope";
    std::ofstream(text) << "hello";
    try {
        loadSession(text);
        FAIL();
    } catch (const SessionError& error) {
        EXPECT_NE(std::string(error.what()).find("not a Unitscope session"), std::string::npos);
    }
    // A valid HDF5 file that is not a session.
    const auto other = dir_ / "other.h5";
    {
        H5Handle file(H5Fcreate(other.string().c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT),
                      H5Fclose);
    }
    EXPECT_THROW(loadSession(other), SessionError);
    EXPECT_THROW(loadSession(dir_), SessionError);
}

}  // namespace
