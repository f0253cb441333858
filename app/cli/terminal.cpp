// The one platform-specific call of the CLI: is stderr a terminal?
#include "app/cli/cli_args.h"

#ifdef _WIN32
#include <io.h>
#include <cstdio>
namespace us::cli {
bool stderrIsTerminal() {
    return _isatty(_fileno(stderr)) != 0;
}
}  // namespace us::cli
#else
#include <unistd.h>
namespace us::cli {
bool stderrIsTerminal() {
    return isatty(STDERR_FILENO) == 1;
}
}  // namespace us::cli
#endif
