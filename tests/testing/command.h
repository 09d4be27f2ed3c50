#ifndef HB_DNN_TESTS_TESTING_COMMAND_H_
#define HB_DNN_TESTS_TESTING_COMMAND_H_

// Runs a command-line tool for the CLI tests: a shell command with stdout and stderr captured.

#include <sys/wait.h>

#include <cstdio>
#include <string>

namespace hb_dnn::testing {

struct CommandResult {
  int exit_code = -1;  // -1 when the command could not start or did not exit normally
  std::string output;  // stdout and stderr, interleaved as written
};

// Runs `command` through the shell (popen) with stderr redirected into stdout.
inline CommandResult RunCommand(const std::string& command) {
  CommandResult result;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return result;
  char buffer[4096];
  size_t n = 0;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) result.output.append(buffer, n);
  int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

}  // namespace hb_dnn::testing

#endif  // HB_DNN_TESTS_TESTING_COMMAND_H_
