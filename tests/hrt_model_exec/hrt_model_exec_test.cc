// hrt_model_exec as a user runs it: the binary in a subprocess, on models built here with the
// model builder (tests/testing/bpu_test_models.h).
#include <sys/stat.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/hrt_model_exec/json_check.h"
#include "tests/testing/bpu_test_models.h"
#include "tests/testing/command.h"
#include "tests/testing/test_models.h"

namespace hb_dnn::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

using RunResult = testing::CommandResult;

// Runs the tool with `args`; `env` (e.g. "BPLAT_CORELIMIT=1") is prefixed to the command.
RunResult RunTool(const std::string& args, const std::string& env = "") {
  return testing::RunCommand(absl::StrCat(env, " ", HRT_MODEL_EXEC_PATH, " ", args));
}

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The output from "This model file has" on: what precedes it carries the load time.
std::string FromModelList(const std::string& output) {
  size_t start = output.find("This model file has");
  return start == std::string::npos ? output : output.substr(start);
}

std::vector<double> Numbers(const std::string& text) {
  std::vector<double> values;
  for (absl::string_view token : absl::StrSplit(text, absl::ByAnyChar(" \n"), absl::SkipEmpty())) {
    double value = 0;
    EXPECT_TRUE(absl::SimpleAtod(token, &value)) << token;
    values.push_back(value);
  }
  return values;
}

// The number following `key` (e.g. "\"fps\": ") after position `from` of `text`.
double NumberAfter(const std::string& text, const std::string& key, size_t from = 0) {
  size_t at = text.find(key, from);
  EXPECT_NE(at, std::string::npos) << key;
  if (at == std::string::npos) return -1;
  return std::stod(text.substr(at + key.size()));
}

// The board's model_info text (X5 and X3 logs), for the S8 network: bernoulli2 pads the
// innermost dimension of BPU-side tensors (16 bytes for S8, 8 elements for S32).
constexpr char kS8NetModelInfo[] = R"(This model file has 1 model:
[bpu_net_s8]	
---------------------------------------------------------------------
[model name]: bpu_net_s8

input[0]: 
name: x_q
input source: HB_DNN_INPUT_FROM_DDR
valid shape: (1,3,6,6,)
aligned shape: (1,3,6,16,)
aligned byte size: 288
tensor type: HB_DNN_TENSOR_TYPE_S8
tensor layout: HB_DNN_LAYOUT_NCHW
quanti type: SCALE
stride: (288,96,16,1,)
scale data: 0.05,
quantizeAxis: 0

output[0]: 
name: y32
valid shape: (1,4,6,6,)
aligned shape: (1,4,6,8,)
aligned byte size: 768
tensor type: HB_DNN_TENSOR_TYPE_S32
tensor layout: HB_DNN_LAYOUT_NCHW
quanti type: SCALE
stride: (768,192,32,4,)
scale data: 0.0015,0.003,0.00225,0.0045,
quantizeAxis: 1

output[1]: 
name: g
valid shape: (1,8,1,1,)
aligned shape: (1,8,1,16,)
aligned byte size: 128
tensor type: HB_DNN_TENSOR_TYPE_S8
tensor layout: HB_DNN_LAYOUT_NCHW
quanti type: SCALE
stride: (128,16,16,1,)
scale data: 0.05,
quantizeAxis: 0

---------------------------------------------------------------------
)";

class HrtModelExecTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(TempPath("hrt_model_exec"));
    mkdir(dir_->c_str(), 0755);
  }
  static void TearDownTestSuite() { delete dir_; }

  static std::string Dir() { return *dir_; }

  // A package holding one BPU network per entry, written once per name.
  static std::string Model(const std::string& file, const std::vector<BpuNetOptions>& nets) {
    std::string path = absl::StrCat(*dir_, "/", file);
    struct stat info;
    if (stat(path.c_str(), &info) != 0) WriteBytes(path, BpuNetPackageBytes(nets));
    return path;
  }

  static std::string F32Net() { return Model("net_f32.hbm", {BpuNetOptions{}}); }

  static std::string S8Net() {
    BpuNetOptions options;
    options.name = "bpu_net_s8";
    options.io = BpuNetIo::kS8;
    return Model("net_s8.hbm", {options});
  }

  static std::string PairNet() {
    BpuNetOptions detector;
    detector.name = "detector";
    BpuNetOptions batch;
    batch.name = "batch";
    batch.fc_us = {600, 500, 400};
    return Model("pair.hbm", {detector, batch});
  }

  // An input file for the F32 network: 1x3x6x6 floats as text.
  static std::string F32InputTxt() {
    std::string path = absl::StrCat(*dir_, "/x.txt");
    std::string text;
    for (int i = 0; i < 108; ++i)
      absl::StrAppend(&text, (i % 17) * 0.05 - 0.4, i % 6 == 5 ? "\n" : " ");
    WriteBytes(path, text);
    return path;
  }

  static std::string* dir_;
};

std::string* HrtModelExecTest::dir_ = nullptr;

TEST_F(HrtModelExecTest, ModelInfoMatchesTheBoardFormat) {
  RunResult run = RunTool(absl::StrCat("model_info --model_file=", S8Net()));
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_THAT(run.output, HasSubstr("Load model to DDR cost "));
  EXPECT_EQ(FromModelList(run.output), kS8NetModelInfo);
}

TEST_F(HrtModelExecTest, ModelInfoAsJsonIsValid) {
  RunResult run = RunTool(absl::StrCat("model_info --json --model_file ", PairNet()));
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(JsonError(run.output), "") << run.output;
  EXPECT_THAT(run.output, HasSubstr("\"name\": \"detector\""));
  EXPECT_THAT(run.output, HasSubstr("\"name\": \"batch\""));
}

TEST_F(HrtModelExecTest, PerfPrintsTheBoardReport) {
  RunResult run =
      RunTool(absl::StrCat("perf --model_file=", F32Net(), " --thread_num 2 --frame_count=250"));
  ASSERT_EQ(run.exit_code, 0) << run.output;
  const std::string number = "[0-9]+\\.[0-9]{6}";
  std::regex report(
      "Load model to DDR cost [0-9.]+ms\\.\n"
      "Frame count: 200,  Thread Average: " +
      number + " ms,  thread max latency: " + number + " ms,  thread min latency: " + number +
      " ms,  FPS: " + number +
      "\n"
      "Frame count: 250,  Thread Average: [^\n]*\n"
      "\n"
      "Running condition:\n"
      "  Thread number is: 2\n"
      "  Frame count   is: 250\n"
      "  core number   is: 2\n"
      "  Program run time: " +
      number +
      " ms\n"
      "Perf result:\n"
      "  Frame totally latency is: " +
      number +
      " ms\n"
      "  Average    latency    is: " +
      number +
      " ms\n"
      "  Frame      rate       is: " +
      number + " FPS\n$");
  EXPECT_TRUE(std::regex_search(run.output, report)) << run.output;
  // No progress bar when stdout is not a terminal.
  EXPECT_THAT(run.output, Not(HasSubstr("\r")));
}

TEST_F(HrtModelExecTest, FlagsTakeBothFormsAndTheLastValueWins) {
  std::string input = F32InputTxt();
  RunResult spaced = RunTool(
      absl::StrCat("infer --model_file ", F32Net(), " --input_file ", input, " --frame_count 3"));
  ASSERT_EQ(spaced.exit_code, 0) << spaced.output;
  EXPECT_EQ(std::regex_search(spaced.output, std::regex("(Infer time: [0-9.]+ ms\n){3}$")), true)
      << spaced.output;
  RunResult repeated =
      RunTool(absl::StrCat("infer --model_file=", F32Net(), " --input_file=", input,
                           " --frame_count=5 --frame_count 2"));
  ASSERT_EQ(repeated.exit_code, 0) << repeated.output;
  EXPECT_TRUE(std::regex_search(
      repeated.output, std::regex("DDR cost [0-9.]+ms\\.\n(Infer time: [0-9.]+ ms\n){2}$")))
      << repeated.output;
}

TEST_F(HrtModelExecTest, ThreadNumAboveEightRunsEight) {
  RunResult run =
      RunTool(absl::StrCat("perf --model_file=", F32Net(), " --thread_num=12 --frame_count=16"));
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_THAT(run.output, HasSubstr("WARNING: --thread_num=12 is above the maximum of 8"));
  EXPECT_THAT(run.output, HasSubstr("Thread number is: 8\n"));
  EXPECT_THAT(run.output, HasSubstr("Frame count   is: 16\n"));
}

TEST_F(HrtModelExecTest, BadValuesFailWithAMessage) {
  const std::string model = F32Net();
  struct Case {
    std::string args;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"perf --thread_num=0", "--thread_num=0: must be in [1, 8]"},
      {"perf --thread_num -3", "--thread_num=-3: must be in [1, 8]"},
      {"perf --thread_num=four", "thread_num"},
      {"perf --core_id=3", "--core_id=3: must be 0 (any core), 1 (core0) or 2 (core1)"},
      {"infer --dump_format=xml", "--dump_format=xml: must be bin or txt"},
      {"perf --frame_count=0", "--frame_count=0: must be >= 1"},
      {"perf --sim_timing=fast", "--sim_timing=fast: must be off, realtime or virtual"},
      {"perf --march=bayese", "--march=bayese: the simulator supports bernoulli2"},
      {"perf --priority=256", "--priority=256: a priority must be in [0, 255]"},
      {"perf --model_name=bpu_net --model_priority=1,2", "--model_priority=1,2: has 2 entries"},
      {"infer --roi_infer=true", "ROI inference is not available"},
      {"infer --roi 1,2,3,4", "ROI inference is not available"},
      {"perf --no_such_flag=1", "no_such_flag"},
      {"benchmark", "unknown subcommand 'benchmark'"},
      {"", "missing subcommand"},
      {"perf --model_name=other", "model 'other' is not in the model file(s); available: bpu_net"},
      {"infer --input_file=x.jpg", "input 0 'x': cannot open image 'x.jpg'"},
  };
  for (const Case& c : cases) {
    RunResult run = RunTool(absl::StrCat(c.args, " --model_file=", model));
    EXPECT_NE(run.exit_code, 0) << c.args << "\n" << run.output;
    EXPECT_THAT(run.output, HasSubstr(c.message)) << c.args;
  }
  RunResult no_model = RunTool("model_info");
  EXPECT_NE(no_model.exit_code, 0);
  EXPECT_THAT(no_model.output, HasSubstr("--model_file is required"));
}

TEST_F(HrtModelExecTest, VersionAndHelpExitZero) {
  RunResult version = RunTool("-v");
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_THAT(version.output, HasSubstr("1.18.6"));
  RunResult help = RunTool("--help");
  EXPECT_EQ(help.exit_code, 0);
  for (const char* flag : {"--model_file",
                           "--model_name",
                           "--core_id",
                           "--input_file",
                           "--roi_infer",
                           "--roi ",
                           "--frame_count",
                           "--dump_intermediate",
                           "--enable_dump",
                           "--dump_precision",
                           "--hybrid_dequantize_process",
                           "--dump_format",
                           "--dump_txt_axis",
                           "--enable_cls_post_process",
                           "--perf_time",
                           "--thread_num",
                           "--profile_path",
                           "--json",
                           "--trace_file",
                           "--march",
                           "--sim_timing",
                           "--priority",
                           "--model_priority",
                           "--model_thread_num",
                           "--model_fps"}) {
    EXPECT_THAT(help.output, HasSubstr(flag));
  }
}

TEST_F(HrtModelExecTest, InferDumpsDequantizedOutputs) {
  // The S8 network takes x_q (1,3,6,6) S8 and gives y32 (1,4,6,6) S32 with per-channel scales.
  std::string input = absl::StrCat(Dir(), "/x_q.bin");
  std::string bytes;
  for (int i = 0; i < 108; ++i) bytes += static_cast<char>((i * 7) % 41 - 20);
  WriteBytes(input, bytes);
  std::string raw_dir = absl::StrCat(Dir(), "/raw");
  std::string float_dir = absl::StrCat(Dir(), "/float");
  mkdir(raw_dir.c_str(), 0755);
  mkdir(float_dir.c_str(), 0755);
  std::string common = absl::StrCat("infer --model_file=", S8Net(), " --input_file=", input,
                                    " --enable_dump true --dump_format=txt --dump_txt_axis=3");
  RunResult raw = RunTool(absl::StrCat(common, " --dump_path=", raw_dir));
  ASSERT_EQ(raw.exit_code, 0) << raw.output;
  RunResult dequantized = RunTool(absl::StrCat(
      common, " --hybrid_dequantize_process --dump_precision 6 --dump_path ", float_dir));
  ASSERT_EQ(dequantized.exit_code, 0) << dequantized.output;

  std::string raw_text = ReadText(absl::StrCat(raw_dir, "/model_infer_output_0_y32.txt"));
  std::string float_text = ReadText(absl::StrCat(float_dir, "/model_infer_output_0_y32.txt"));
  // dump_txt_axis=3: one line per row of 6 values.
  EXPECT_EQ(std::count(raw_text.begin(), raw_text.end(), '\n'), 4 * 6);
  std::vector<double> ints = Numbers(raw_text);
  std::vector<double> floats = Numbers(float_text);
  ASSERT_EQ(ints.size(), 144u);
  ASSERT_EQ(floats.size(), 144u);
  std::vector<float> scales = BpuNetHeadScales();
  for (size_t i = 0; i < ints.size(); ++i) {
    EXPECT_NEAR(floats[i], ints[i] * scales[i / 36], 1e-6) << i;
  }
  EXPECT_THAT(float_text, HasSubstr("."));
  EXPECT_EQ(ReadText(absl::StrCat(raw_dir, "/model_infer_input_0_x_q.txt")).size() > 0, true);
  EXPECT_EQ(ReadText(absl::StrCat(raw_dir, "/model_infer_output_1_g.txt")).size() > 0, true);

  // bin: the aligned buffer as is.
  RunResult bin = RunTool(absl::StrCat("infer --model_file=", S8Net(), " --input_file=", input,
                                       " --enable_dump --dump_path=", raw_dir));
  ASSERT_EQ(bin.exit_code, 0) << bin.output;
  EXPECT_EQ(ReadText(absl::StrCat(raw_dir, "/model_infer_input_0_x_q.bin")), bytes);
}

// --dump_intermediate sets HB_DNN_DUMP_PATH: the runtime writes every node's outputs, here the
// S8 network's int8 activations and its int32 head, under dump_path/intermediate/<model>/.
TEST_F(HrtModelExecTest, DumpIntermediateWritesEveryNodesOutputs) {
  std::string input = absl::StrCat(Dir(), "/x_q_dump.bin");
  std::string bytes;
  for (int i = 0; i < 108; ++i) bytes += static_cast<char>((i * 5) % 37 - 18);
  WriteBytes(input, bytes);
  std::string dir = absl::StrCat(Dir(), "/dumps");
  mkdir(dir.c_str(), 0755);
  RunResult run = RunTool(absl::StrCat("infer --model_file=", S8Net(), " --input_file=", input,
                                       " --dump_intermediate=1 --dump_path=", dir));
  ASSERT_EQ(run.exit_code, 0) << run.output;
  std::string model_dir = absl::StrCat(dir, "/intermediate/bpu_net_s8");
  // conv1 and the depthwise conv: int8 (1,8,6,6); the head: int32 (1,4,6,6).
  EXPECT_EQ(ReadText(absl::StrCat(model_dir, "/conv1_output0.bin")).size(), 288u);
  EXPECT_EQ(ReadText(absl::StrCat(model_dir, "/dw_output0.bin")).size(), 288u);
  EXPECT_EQ(ReadText(absl::StrCat(model_dir, "/head_output0.bin")).size(), 576u);
}

TEST_F(HrtModelExecTest, InferPrintsTopFiveWithClsPostProcess) {
  RunResult run =
      RunTool(absl::StrCat("infer --model_file=", F32Net(), " --input_file=", F32InputTxt(),
                           " --enable_cls_post_process"));
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_TRUE(std::regex_search(run.output, std::regex("top\\[4\\]: class id: [0-9]+, prob: ")))
      << run.output;
}

TEST_F(HrtModelExecTest, PerfWritesProfilerLogAndTrace) {
  std::string profile_dir = absl::StrCat(Dir(), "/profile");
  std::string trace = absl::StrCat(Dir(), "/trace.json");
  RunResult run = RunTool(absl::StrCat("perf --model_file=", F32Net(),
                                       " --thread_num=2 --frame_count=40 --sim_timing=virtual",
                                       " --profile_path=", profile_dir, " --trace_file=", trace));
  ASSERT_EQ(run.exit_code, 0) << run.output;
  std::string log = ReadText(absl::StrCat(profile_dir, "/profiler.log"));
  size_t separator = log.find("\n***\n");
  ASSERT_NE(separator, std::string::npos) << log;
  std::string first = log.substr(0, separator);
  std::string second = log.substr(separator + 5);
  EXPECT_EQ(JsonError(first), "") << first;
  EXPECT_EQ(JsonError(second), "") << second;
  for (const char* key : {"\"perf_result\"", "\"FPS\"", "\"average_latency\"",
                          "\"running_condition\"", "\"core_id\"", "\"frame_count\": 40",
                          "\"model_name\": \"bpu_net\"", "\"run_time\"", "\"thread_num\": 2"}) {
    EXPECT_THAT(first, HasSubstr(key));
  }
  for (const char* key : {"\"chip_latency\"", "\"BPU_inference_time_cost\"",
                          "\"CPU_inference_time_cost\"", "\"model_latency\"",
                          "\"BPU_bpu_net_subgraph_0\"", "\"task_latency\"", "\"TaskPendingTime\"",
                          "\"TaskRunningTime\"", "\"avg_time\"", "\"max_time\"", "\"min_time\""}) {
    EXPECT_THAT(second, HasSubstr(key));
  }
  // On the virtual clock every frame's BPU time is the three FCs: 3 x 15 us overhead + 245 us.
  EXPECT_NEAR(NumberAfter(second, "\"avg_time\": "), 0.290, 1e-6) << second;

  std::string timeline = ReadText(trace);
  EXPECT_EQ(JsonError(timeline), "") << timeline.substr(0, 2000);
  EXPECT_THAT(timeline, HasSubstr("\"traceEvents\""));
  EXPECT_THAT(timeline, HasSubstr("\"ph\":\"X\""));
  EXPECT_THAT(timeline, HasSubstr("\"name\":\"BPU\""));
  EXPECT_THAT(timeline, HasSubstr("\"clock\":\"virtual\""));
}

TEST_F(HrtModelExecTest, TwoModelsWithPrioritiesOnTheVirtualClock) {
  std::string trace = absl::StrCat(Dir(), "/pair_trace.json");
  RunResult run = RunTool(
      absl::StrCat("perf --json --sim_timing virtual --core_id=1 --model_file=", PairNet(),
                   " --model_name=detector,batch --model_priority=200,0 --model_thread_num=1,3",
                   " --frame_count=30 --trace_file=", trace));
  ASSERT_EQ(run.exit_code, 0) << run.output;
  ASSERT_EQ(JsonError(run.output), "") << run.output;
  size_t detector = run.output.find("\"name\": \"detector\"");
  size_t batch = run.output.find("\"name\": \"batch\"");
  ASSERT_NE(detector, std::string::npos);
  ASSERT_NE(batch, std::string::npos);
  EXPECT_EQ(NumberAfter(run.output, "\"thread_num\": "), 4);
  EXPECT_EQ(NumberAfter(run.output, "\"frame_count\": "), 60);
  for (size_t at : {detector, batch}) {
    EXPECT_EQ(NumberAfter(run.output, "\"frames\": ", at), 30);
    EXPECT_GT(NumberAfter(run.output, "\"fps\": ", at), 0);
    double p50 = NumberAfter(run.output, "\"p50\": ", at);
    double p90 = NumberAfter(run.output, "\"p90\": ", at);
    double p99 = NumberAfter(run.output, "\"p99\": ", at);
    double max = NumberAfter(run.output, "\"max\": ", at);
    EXPECT_GT(p50, 0);
    EXPECT_LE(p50, p90);
    EXPECT_LE(p90, p99);
    EXPECT_LE(p99, max);
  }
  // Alone, a detector frame takes 290 us and a batch frame 1545 us of BPU time; on one shared
  // core the high-priority detector waits at most behind the batch work already committed.
  double detector_min = NumberAfter(run.output, "\"min\": ", detector);
  double batch_min = NumberAfter(run.output, "\"min\": ", batch);
  EXPECT_GE(detector_min, 0.290 - 1e-9);
  EXPECT_GE(batch_min, 1.545 - 1e-9);
  EXPECT_LT(NumberAfter(run.output, "\"avg\": ", detector),
            NumberAfter(run.output, "\"avg\": ", batch));
  EXPECT_EQ(JsonError(ReadText(trace)), "");
}

TEST_F(HrtModelExecTest, PreemptingModelMeetsTheSchedulerBound) {
  // docs/scheduler.md: with BPLAT_CORELIMIT = 1 a priority-255 task's latency is at most
  // T + (F + c): 290 us alone, plus one batch FC of 600 us and its 15 us overhead.
  RunResult run =
      RunTool(absl::StrCat("perf --json --sim_timing=virtual --core_id=1 --model_file=", PairNet(),
                           " --model_name=detector,batch --model_priority=255,0",
                           " --model_thread_num=1,3 --frame_count=30"),
              "BPLAT_CORELIMIT=1");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  size_t detector = run.output.find("\"name\": \"detector\"");
  ASSERT_NE(detector, std::string::npos) << run.output;
  EXPECT_LE(NumberAfter(run.output, "\"max\": ", detector), 0.905 + 1e-9) << run.output;
  EXPECT_GE(NumberAfter(run.output, "\"min\": ", detector), 0.290 - 1e-9) << run.output;
}

TEST_F(HrtModelExecTest, MultiModelTextReportHasPerModelPercentiles) {
  RunResult run =
      RunTool(absl::StrCat("perf --sim_timing=virtual --model_file=", PairNet(),
                           " --model_name detector,batch --model_priority 255,1 --frame_count=10"));
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_TRUE(std::regex_search(run.output, std::regex("\\[detector\\] Frame count: 10,")))
      << run.output;
  EXPECT_TRUE(std::regex_search(
      run.output, std::regex("  \\[batch\\] priority: 1, threads: 1, target FPS: max, frames: 10, "
                             "FPS: [0-9.]+, latency avg: [0-9.]+ ms, p50: [0-9.]+ ms, p90: [0-9.]+ "
                             "ms, p99: [0-9.]+ ms, max: [0-9.]+ ms\n")))
      << run.output;
}

}  // namespace
}  // namespace hb_dnn::testing
