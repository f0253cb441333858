#pragma once
// unitscope-cli subcommands. Each takes the arguments after its name and returns the exit
// status; reports go to stdout as JSON, errors to stderr as one line.

#include <string>
#include <vector>

namespace us::cli {

int sessionInfo(const std::vector<std::string>& args);
int layers(const std::vector<std::string>& args);
int extract(const std::vector<std::string>& args);
int demoModel(const std::vector<std::string>& args);
int cluster(const std::vector<std::string>& args);
int treemap(const std::vector<std::string>& args);
int clusterNulls(const std::vector<std::string>& args);
int brainInfo(const std::vector<std::string>& args);
int brainDump(const std::vector<std::string>& args);
int atlasLookup(const std::vector<std::string>& args);
int renderSurface(const std::vector<std::string>& args);
int attribute(const std::vector<std::string>& args);
int prune(const std::vector<std::string>& args);
int graphInfo(const std::vector<std::string>& args);
int graphConvert(const std::vector<std::string>& args);
int supernodes(const std::vector<std::string>& args);
int actmax(const std::vector<std::string>& args);
int actmaxClusters(const std::vector<std::string>& args);
int encode(const std::vector<std::string>& args);
int caption(const std::vector<std::string>& args);
int simulateFmri(const std::vector<std::string>& args);
int captionUnits(const std::vector<std::string>& args);
int matchUnits(const std::vector<std::string>& args);
int randomControl(const std::vector<std::string>& args);
int concepts(const std::vector<std::string>& args);

// Prints "unitscope-cli: message" on stderr and returns code.
int fail(const std::string& message, int code = 1);

}  // namespace us::cli
