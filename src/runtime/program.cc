#include "src/runtime/program.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <system_error>
#include <optional>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "src/base/env.h"
#include "src/base/logging.h"
#include "src/base/status.h"
#include "src/base/status_macros.h"
#include "src/runtime/dtype_map.h"
#include "src/runtime/memory_planner.h"
#include "src/runtime/tensor_geometry.h"

namespace hb_dnn::runtime {
namespace {

std::string StringOf(const flatbuffers::String* s) { return s == nullptr ? std::string() : s->str(); }

// A tensor or node name as one path component.
std::string SafeFileName(const std::string& name) {
  std::string out = name.empty() ? std::string("unnamed") : name;
  for (char& c : out) {
    if (c == '/' || c == '\\' || c == ':' || c == ' ') c = '_';
  }
  return out;
}

kernels::Shape ShapeOf(const fb::Tensor* t) {
  kernels::Shape shape;
  if (t->shape() != nullptr) shape.assign(t->shape()->begin(), t->shape()->end());
  return shape;
}

absl::StatusOr<kernels::Attributes> AttributesOf(const Model& model, const fb::Node* node) {
  kernels::Attributes attrs;
  if (node->attributes() == nullptr) return attrs;
  for (const fb::Attribute* a : *node->attributes()) {
    std::string name = a->name()->str();
    switch (a->type()) {
      case fb::AttributeType::INT: attrs.SetInt(name, a->i()); break;
      case fb::AttributeType::FLOAT: attrs.SetFloat(name, a->f()); break;
      case fb::AttributeType::STRING: attrs.SetString(name, StringOf(a->s())); break;
      case fb::AttributeType::INTS:
        attrs.SetInts(name, a->ints() == nullptr ? std::vector<int64_t>()
                                                 : std::vector<int64_t>(a->ints()->begin(), a->ints()->end()));
        break;
      case fb::AttributeType::FLOATS:
        attrs.SetFloats(name, a->floats() == nullptr
                                  ? std::vector<float>()
                                  : std::vector<float>(a->floats()->begin(), a->floats()->end()));
        break;
      case fb::AttributeType::STRINGS: {
        std::vector<std::string> strings;
        if (a->strings() != nullptr) {
          for (const flatbuffers::String* s : *a->strings()) strings.push_back(s->str());
        }
        attrs.SetStrings(name, std::move(strings));
        break;
      }
      case fb::AttributeType::TENSOR: {
        const fb::Tensor* t = model.flat()->tensors()->Get(a->tensor());
        if (t->buffer() < 0) {
          return Errorf(ErrorCode::kInvalidModel, "attribute '", name, "' refers to tensor '",
                        t->name()->str(), "', which is not a constant");
        }
        HB_ASSIGN_OR_RETURN(kernels::DType dtype, KernelDType(t->data_type()));
        const uint8_t* bytes = model.buffer_data(t->buffer());
        attrs.SetTensor(name, {dtype, ShapeOf(t),
                               std::string(reinterpret_cast<const char*>(bytes),
                                           model.buffer_size(t->buffer()))});
        break;
      }
      default:
        return Errorf(ErrorCode::kInvalidModel, "attribute '", name, "' has no value");
    }
  }
  return attrs;
}

}  // namespace

Program::~Program() {
  if (!profile_ || runs_.load() == 0) return;
  std::map<std::string, std::pair<int64_t, int>> by_op;  // op -> (ns, nodes)
  int64_t total = 0;
  for (size_t s = 0; s < steps_.size(); ++s) {
    auto& entry = by_op[steps_[s].op_type];
    entry.first += step_ns_[s].load();
    entry.second += 1;
    total += step_ns_[s].load();
  }
  std::vector<std::pair<int64_t, std::string>> rows;
  for (const auto& [op, v] : by_op) rows.emplace_back(v.first, op);
  std::sort(rows.rbegin(), rows.rend());
  double runs = static_cast<double>(runs_.load());
  std::string report = absl::StrCat("[hb_dnn profile] model '", model_name_, "': ", runs_.load(),
                                    " runs, ", total / runs / 1e6, " ms per run on CPU kernels, ",
                                    arena_size(), "-byte arena\n");
  for (const auto& [ns, op] : rows) {
    absl::StrAppend(&report, "  ", op, ": ", ns / runs / 1e6, " ms (", 100.0 * ns / std::max<int64_t>(total, 1),
                    "%, ", by_op[op].second, " nodes)\n");
  }
  std::fputs(report.c_str(), stderr);
}

absl::StatusOr<std::unique_ptr<Program>> Program::Build(const Model& model,
                                                              const kernels::OpRegistry& registry) {
  const fb::Model* flat = model.flat();
  std::unique_ptr<Program> program(new Program());
  // Node order and stage boundaries, in segment order.
  std::vector<uint32_t> order;
  if (flat->segments() != nullptr) {
    for (const fb::Segment* segment : *flat->segments()) {
      std::string segment_name = StringOf(segment->name());
      if (segment->kind() == fb::SegmentKind::BPU) {
        program->has_bpu_ = true;
        int fc_index = 0;
        for (const fb::FunctionCall* fc : *segment->function_calls()) {
          Stage stage;
          stage.kind = Stage::Kind::kBpuFc;
          stage.first_step = order.size();
          if (fc->nodes() != nullptr) {
            for (uint32_t n : *fc->nodes()) order.push_back(n);
          }
          stage.end_step = order.size();
          stage.modelled_ns = static_cast<int64_t>(fc->modelled_duration_us()) * 1000;
          stage.fc_index = fc_index;
          stage.segment_name = segment_name;
          stage.name = absl::StrCat("segment '", segment_name, "' function-call ", fc_index++);
          program->stages_.push_back(std::move(stage));
        }
      } else {
        Stage stage;
        stage.first_step = order.size();
        for (uint32_t n : *segment->nodes()) order.push_back(n);
        stage.end_step = order.size();
        stage.segment_name = segment_name;
        stage.name = absl::StrCat("segment '", segment_name, "'");
        program->stages_.push_back(std::move(stage));
      }
    }
  }

  // HB_DNN_SIM_KERNELS=reference runs the oracle kernels only (to bisect numerical differences).
  const bool prefer_optimized = GetEnv("HB_DNN_SIM_KERNELS").value_or("") != "reference";
  size_t tensor_count = flat->tensors() == nullptr ? 0 : flat->tensors()->size();
  std::vector<kernels::TensorInfo> infos(tensor_count);
  program->slots_.resize(tensor_count);
  for (size_t i = 0; i < tensor_count; ++i) {
    const fb::Tensor* t = flat->tensors()->Get(static_cast<flatbuffers::uoffset_t>(i));
    absl::StatusOr<kernels::DType> dtype = KernelDType(t->data_type());
    if (!dtype.ok()) {
      return Errorf(ErrorCode::kInvalidModel, "model '", model.name(), "': tensor '",
                    t->name()->str(), "': ", dtype.status().message());
    }
    infos[i] = {*dtype, ShapeOf(t), nullptr};
    Slot& slot = program->slots_[i];
    slot.bytes = static_cast<uint64_t>(kernels::NumElements(infos[i].shape)) *
                 kernels::DTypeSize(*dtype);
    if (t->buffer() >= 0) {
      slot.constant = model.buffer_data(t->buffer());
      infos[i].data = slot.constant;
    }
  }

  for (uint32_t node_index : order) {
    const fb::Node* node = flat->nodes()->Get(node_index);
    Step step;
    step.name = absl::StrCat("node '", node->name()->str(), "' (", node->op_type()->str(), ")");
    step.op_type = node->op_type()->str();
    step.node_name = node->name()->str();
    auto fail = [&](const absl::Status& s) {
      return Errorf(ErrorCode::kInvalidModel, "model '", model.name(), "': ", step.name, ": ",
                    s.message());
    };
    absl::StatusOr<kernels::Attributes> attrs = AttributesOf(model, node);
    if (!attrs.ok()) return fail(attrs.status());
    if (node->inputs() != nullptr) step.inputs.assign(node->inputs()->begin(), node->inputs()->end());
    if (node->outputs() != nullptr) step.outputs.assign(node->outputs()->begin(), node->outputs()->end());
    kernels::KernelCreateArgs args{*attrs, node->op_version(), static_cast<int>(step.inputs.size()),
                                   static_cast<int>(step.outputs.size())};
    absl::StatusOr<std::unique_ptr<kernels::OpKernel>> kernel =
        registry.Create(StringOf(node->domain()), node->op_type()->str(), args, prefer_optimized);
    if (!kernel.ok()) return fail(kernel.status());
    step.kernel = std::move(*kernel);
    for (int32_t input : step.inputs) {
      step.input_infos.push_back(input < 0 ? kernels::TensorInfo{} : infos[input]);
    }
    absl::Status prepared = step.kernel->Prepare(step.input_infos, &step.output_infos);
    if (!prepared.ok()) return fail(prepared);
    if (step.output_infos.size() < step.outputs.size()) {
      return fail(Errorf(ErrorCode::kInvalidModel, "kernel produced ", step.output_infos.size(),
                         " outputs for ", step.outputs.size()));
    }
    for (size_t k = 0; k < step.outputs.size(); ++k) {
      const kernels::TensorInfo& recorded = infos[step.outputs[k]];
      const kernels::TensorInfo& computed = step.output_infos[k];
      if (computed.dtype != recorded.dtype || computed.shape != recorded.shape) {
        return fail(Errorf(ErrorCode::kInvalidModel, "output ", k, " '",
                           flat->tensors()->Get(step.outputs[k])->name()->str(), "' is ",
                           kernels::DTypeName(computed.dtype), kernels::ShapeString(computed.shape),
                           " but the file records ", kernels::DTypeName(recorded.dtype),
                           kernels::ShapeString(recorded.shape)));
      }
    }
    program->steps_.push_back(std::move(step));
  }

  // Liveness in step units: model inputs are live from before step 0, outputs to the end.
  const int end = static_cast<int>(program->steps_.size());
  std::vector<int> first(tensor_count, -2), last(tensor_count, -2);
  for (const IoTensor& io : model.inputs()) {
    first[io.tensor_index] = -1;
    last[io.tensor_index] = std::max(last[io.tensor_index], -1);
  }
  for (int s = 0; s < end; ++s) {
    const Step& step = program->steps_[s];
    for (int32_t t : step.inputs) {
      if (t < 0 || program->slots_[t].constant != nullptr) continue;
      // A run-time input must already exist: a model input or an earlier step's output. (An
      // unplaced tensor would alias arena offset 0 with its full size.)
      if (first[t] == -2) {
        return Errorf(ErrorCode::kInvalidModel, "model '", model.name(), "': ", step.name,
                      " reads tensor '", flat->tensors()->Get(t)->name()->str(),
                      "', which no model input or earlier node provides");
      }
      last[t] = std::max(last[t], s);
    }
    for (int32_t t : step.outputs) {
      if (program->slots_[t].constant != nullptr) {
        return Errorf(ErrorCode::kInvalidModel, "model '", model.name(), "': ", step.name,
                      " writes constant tensor '", flat->tensors()->Get(t)->name()->str(), "'");
      }
      if (first[t] == -2) first[t] = s;
      last[t] = std::max(last[t], s);
    }
  }
  for (const IoTensor& io : model.outputs()) {
    if (first[io.tensor_index] == -2 && program->slots_[io.tensor_index].constant == nullptr) {
      return Errorf(ErrorCode::kInvalidModel, "model '", model.name(), "': output '", io.name,
                    "' is produced by no node");
    }
    last[io.tensor_index] = end;
  }
  std::vector<BufferLifetime> lifetimes;
  std::vector<size_t> planned;
  for (size_t t = 0; t < tensor_count; ++t) {
    if (program->slots_[t].constant != nullptr || first[t] == -2) continue;
    lifetimes.push_back({program->slots_[t].bytes, first[t], last[t]});
    planned.push_back(t);
  }
  ArenaPlan plan = PlanArena(lifetimes, kBufferAlignment);
  for (size_t k = 0; k < planned.size(); ++k) program->slots_[planned[k]].offset = plan.offsets[k];
  program->arena_size_ = plan.arena_size;
  program->model_name_ = model.name();
  program->profile_ = GetEnv("HB_DNN_SIM_PROFILE").value_or("") == "1";
  if (std::optional<std::string> dump = GetEnv("HB_DNN_DUMP_PATH"); dump && !dump->empty()) {
    std::error_code error;
    std::string dir = absl::StrCat(*dump, "/", SafeFileName(model.name()));
    std::filesystem::create_directories(dir, error);
    if (error) {
      HB_LOG(Warning) << "HB_DNN_DUMP_PATH: cannot create '" << dir << "' (" << error.message()
                      << "); model '" << model.name() << "' is not dumped";
    } else {
      program->dump_dir_ = dir;
    }
  }
  if (program->profile_) {
    program->step_ns_.reset(new std::atomic<int64_t>[program->steps_.size()]());
  }

  // The C API copies exactly the bytes of each I/O tensor: its description must agree with the
  // tensor table, or a caller's buffer checked against the description could be overrun.
  auto check_io = [&](const IoTensor& io, bool is_input) -> absl::Status {
    const kernels::TensorInfo& info = infos[io.tensor_index];
    kernels::Shape valid(io.valid_shape.begin(), io.valid_shape.end());
    bool scalar_as_1 = info.shape.empty() && valid == kernels::Shape{1};
    bool matches = (info.shape == valid || scalar_as_1) &&
                   static_cast<int>(kernels::DTypeSize(info.dtype)) == ElementSize(io.data_type);
    // Image inputs are uint8 tensors (NV12: its two planes as rows, ImageTensorShape), which
    // the model's Preprocess node converts.
    if (IsImageType(io.data_type)) {
      matches = is_input && info.dtype == kernels::DType::kU8 &&
                info.shape == ImageTensorShape(io.data_type, io.valid_shape);
    }
    if (!matches) {
      return Errorf(ErrorCode::kInvalidModel, "model '", model.name(), "': ",
                    is_input ? "input '" : "output '", io.name, "' is described as ",
                    fb::EnumNameDataType(io.data_type), kernels::ShapeString(valid),
                    " but its tensor is ", kernels::DTypeName(info.dtype),
                    kernels::ShapeString(info.shape));
    }
    if (is_input && program->slots_[io.tensor_index].constant != nullptr) {
      return Errorf(ErrorCode::kInvalidModel, "model '", model.name(), "': input '", io.name,
                    "' is a constant tensor");
    }
    return absl::OkStatus();
  };
  for (const IoTensor& io : model.inputs()) HB_RETURN_IF_ERROR(check_io(io, true));
  for (const IoTensor& io : model.outputs()) HB_RETURN_IF_ERROR(check_io(io, false));
  // Which I/O tensors a BPU function-call touches.
  std::vector<bool> bpu_reads(tensor_count, false), bpu_writes(tensor_count, false);
  for (const Stage& stage : program->stages_) {
    if (stage.kind != Stage::Kind::kBpuFc) continue;
    for (size_t s = stage.first_step; s < stage.end_step; ++s) {
      for (int32_t t : program->steps_[s].inputs) {
        if (t >= 0) bpu_reads[t] = true;
      }
      for (int32_t t : program->steps_[s].outputs) bpu_writes[t] = true;
    }
  }
  for (const IoTensor& io : model.inputs()) {
    program->input_read_by_bpu_.push_back(bpu_reads[io.tensor_index]);
  }
  for (const IoTensor& io : model.outputs()) {
    program->output_written_by_bpu_.push_back(bpu_writes[io.tensor_index]);
  }
  for (const IoTensor& io : model.inputs()) {
    program->input_tensors_.push_back(io.tensor_index);
    program->input_bytes_.push_back(program->slots_[io.tensor_index].bytes);
  }
  for (const IoTensor& io : model.outputs()) {
    program->output_tensors_.push_back(io.tensor_index);
    program->output_bytes_.push_back(program->slots_[io.tensor_index].bytes);
  }
  return program;
}

std::unique_ptr<Program::ExecutionContext> Program::NewContext() const {
  auto context = std::unique_ptr<ExecutionContext>(new ExecutionContext());
  context->arena_ = AllocateAligned(arena_size_);
  if (context->arena_ == nullptr) return nullptr;
  uint8_t* base = context->arena_.get();
  auto data_of = [&](int32_t t) -> uint8_t* {
    const Slot& slot = slots_[t];
    return slot.constant != nullptr ? const_cast<uint8_t*>(slot.constant) : base + slot.offset;
  };
  context->inputs_.resize(steps_.size());
  context->outputs_.resize(steps_.size());
  for (size_t s = 0; s < steps_.size(); ++s) {
    const Step& step = steps_[s];
    for (size_t k = 0; k < step.inputs.size(); ++k) {
      const kernels::TensorInfo& info = step.input_infos[k];
      if (step.inputs[k] < 0) {
        context->inputs_[s].emplace_back();
      } else {
        context->inputs_[s].push_back({data_of(step.inputs[k]), info.dtype, info.shape});
      }
    }
    for (size_t k = 0; k < step.outputs.size(); ++k) {
      const kernels::TensorInfo& info = step.output_infos[k];
      context->outputs_[s].push_back({data_of(step.outputs[k]), info.dtype, info.shape});
    }
    // Kernels may declare more outputs than the node uses (e.g. MaxPool's Indices): give them
    // no storage; kernels skip outputs whose data is null.
    for (size_t k = step.outputs.size(); k < step.output_infos.size(); ++k) {
      context->outputs_[s].push_back({nullptr, step.output_infos[k].dtype, step.output_infos[k].shape});
    }
  }
  return context;
}

absl::StatusOr<std::unique_ptr<Program::ExecutionContext>> Program::Acquire() const {
  {
    std::lock_guard<std::mutex> lock(pool_mutex_);
    if (!pool_.empty()) {
      std::unique_ptr<ExecutionContext> context = std::move(pool_.back());
      pool_.pop_back();
      return context;
    }
  }
  std::unique_ptr<ExecutionContext> context = NewContext();
  if (context == nullptr) {
    return Errorf(ErrorCode::kOutOfMemory, "cannot allocate a ", arena_size_, "-byte arena");
  }
  return context;
}

void Program::Release(std::unique_ptr<ExecutionContext> context) const {
  std::lock_guard<std::mutex> lock(pool_mutex_);
  pool_.push_back(std::move(context));
}

uint8_t* Program::InputData(ExecutionContext& context, size_t index) const {
  return context.arena() + slots_[input_tensors_[index]].offset;
}

const uint8_t* Program::OutputData(const ExecutionContext& context, size_t index) const {
  const Slot& slot = slots_[output_tensors_[index]];
  return slot.constant != nullptr ? slot.constant : context.arena_.get() + slot.offset;
}

absl::Status Program::RunSteps(ExecutionContext& context, size_t first, size_t end,
                               bool (*should_stop)(const void*), const void* stop_arg) const {
  for (size_t s = first; s < end; ++s) {
    if (should_stop != nullptr && should_stop(stop_arg)) {
      return Error(ErrorCode::kRunTaskFailed, "cancelled");
    }
    auto start = profile_ ? std::chrono::steady_clock::now() : std::chrono::steady_clock::time_point();
    absl::Status status = steps_[s].kernel->Run(context.inputs_[s], context.outputs_[s]);
    if (profile_) {
      step_ns_[s] += std::chrono::duration_cast<std::chrono::nanoseconds>(
                         std::chrono::steady_clock::now() - start).count();
    }
    if (!status.ok()) {
      return Errorf(ErrorCode::kRunTaskFailed, steps_[s].name, ": ", status.message());
    }
    if (!dump_dir_.empty()) DumpStep(context, s);
  }
  if (profile_ && end == steps_.size()) ++runs_;
  return absl::OkStatus();
}

void Program::DumpStep(const ExecutionContext& context, size_t step) const {
  const std::vector<kernels::TensorView>& outputs = context.outputs_[step];
  for (size_t k = 0; k < steps_[step].outputs.size() && k < outputs.size(); ++k) {
    const kernels::TensorView& out = outputs[k];
    if (out.data == nullptr) continue;
    std::string path = absl::StrCat(dump_dir_, "/", SafeFileName(steps_[step].node_name),
                                    "_output", k, ".bin");
    std::FILE* file = std::fopen(path.c_str(), "wb");
    size_t bytes = static_cast<size_t>(out.num_elements()) * kernels::DTypeSize(out.dtype);
    if (file == nullptr || std::fwrite(out.data, 1, bytes, file) != bytes) {
      HB_LOG(Warning) << "HB_DNN_DUMP_PATH: cannot write '" << path << "'";
    }
    if (file != nullptr) std::fclose(file);
  }
}

}  // namespace hb_dnn::runtime
