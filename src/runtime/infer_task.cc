#include "src/runtime/infer_task.h"

#include <chrono>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "src/base/status.h"
#include "src/base/status_macros.h"
#include "src/base/logging.h"
#include "src/runtime/cpu_pool.h"
#include "src/runtime/sys_memory.h"
#include "src/runtime/tensor_geometry.h"

namespace hb_dnn::runtime {
namespace {

std::string ShapeText(const std::vector<int32_t>& shape) {
  return absl::StrCat("(", absl::StrJoin(shape, ","), ")");
}

bool SameImageFamily(int32_t a, int32_t b) {
  auto nv12 = [](int32_t t) {
    return t == static_cast<int32_t>(fb::DataType::IMG_NV12) ||
           t == static_cast<int32_t>(fb::DataType::IMG_NV12_SEPARATE);
  };
  return nv12(a) && nv12(b);
}

// Calls `row(dst_offset, src_offset)` once per innermost row of `valid`, where offsets are in
// elements of a row-major `from` layout (source) and `to` layout (destination).
template <typename RowFn>
void ForEachRow(const std::vector<int32_t>& valid, const std::vector<int32_t>& from,
                const std::vector<int32_t>& to, RowFn row) {
  size_t rank = valid.size();
  std::vector<int64_t> from_stride(rank, 1), to_stride(rank, 1);
  for (int i = static_cast<int>(rank) - 2; i >= 0; --i) {
    from_stride[i] = from_stride[i + 1] * from[i + 1];
    to_stride[i] = to_stride[i + 1] * to[i + 1];
  }
  std::vector<int32_t> index(rank, 0);
  while (true) {
    int64_t src = 0, dst = 0;
    for (size_t i = 0; i + 1 < rank; ++i) {
      src += index[i] * from_stride[i];
      dst += index[i] * to_stride[i];
    }
    row(dst, src);
    int d = static_cast<int>(rank) - 2;
    while (d >= 0 && ++index[d] == valid[d]) index[d--] = 0;
    if (d < 0) return;
  }
}

}  // namespace

absl::StatusOr<TensorBinding> BindTensor(const IoTensor& io, bool is_input, size_t index,
                                         const CallerTensor& caller) {
  std::string what = absl::StrCat(is_input ? "input " : "output ", index, " '", io.name, "': ");
  auto fail = [&](auto... parts) { return Errorf(ErrorCode::kInvalidArgument, what, parts...); };
  int32_t model_type = static_cast<int32_t>(io.data_type);
  if (caller.tensor_type != model_type && !SameImageFamily(caller.tensor_type, model_type)) {
    return fail("tensorType ", caller.tensor_type, " differs from the model's ", model_type, " (",
                fb::EnumNameDataType(io.data_type), ")");
  }
  if (caller.valid_shape != io.valid_shape) {
    return fail("validShape ", ShapeText(caller.valid_shape), " differs from the model's ",
                ShapeText(io.valid_shape));
  }
  if (caller.aligned_shape != io.aligned_shape && caller.aligned_shape != io.valid_shape) {
    return fail("alignedShape ", ShapeText(caller.aligned_shape), " is neither the model's ",
                ShapeText(io.aligned_shape), " nor the validShape (unpadded data)");
  }
  int element_size = ElementSize(io.data_type);
  if (element_size == 0) {
    return Errorf(ErrorCode::kApiUseError, what, "tensor type ", fb::EnumNameDataType(io.data_type),
                  " is only accepted by BPU segments, which are not available yet");
  }
  HB_ASSIGN_OR_RETURN(TensorGeometry geometry,
                      GeometryOfAlignedShape(io.data_type, caller.aligned_shape));
  if (caller.vir_addr == nullptr) return fail("sysMem[0].virAddr is null");
  if (caller.mem_size < static_cast<uint32_t>(geometry.aligned_byte_size)) {
    return fail("tensor aligned shape size is ", geometry.aligned_byte_size,
                ", but tensor hbSysMem memSize is ", caller.mem_size,
                ", tensor hbSysMem memSize should >= tensor aligned shape size!");
  }
  absl::StatusOr<SysMemory::BlockInfo> block = SysMemory::Instance().Lookup(
      {caller.phy_addr, static_cast<uint8_t*>(caller.vir_addr), caller.mem_size});
  if (!block.ok()) return fail("sysMem[0]: ", block.status().message());
  TensorBinding binding;
  binding.data = static_cast<uint8_t*>(caller.vir_addr);
  binding.bytes = static_cast<uint64_t>(geometry.aligned_byte_size);
  binding.valid_shape = caller.valid_shape;
  binding.aligned_shape = caller.aligned_shape;
  binding.element_size = element_size;
  return binding;
}

InferTask::InferTask(std::shared_ptr<const Model> model, std::vector<TensorBinding> inputs,
                     std::vector<TensorBinding> outputs, InferOptions options, bpu::Device* device)
    : model_(std::move(model)),
      inputs_(std::move(inputs)),
      outputs_(std::move(outputs)),
      options_(options),
      device_(device) {}

Clock* InferTask::clock() const { return device_ != nullptr ? &device_->clock() : nullptr; }

bool InferTask::ShouldStop(const void* self) {
  return static_cast<const InferTask*>(self)->cancelled_.load(std::memory_order_relaxed);
}

void InferTask::CopyIn(Program::ExecutionContext& context) const {
  const Program& program = *model_->program();
  for (size_t i = 0; i < inputs_.size(); ++i) {
    const TensorBinding& in = inputs_[i];
    uint8_t* dst = program.InputData(context, i);
    // The BPU reads the caller's memory through the device view (stale under the cache model
    // when the CPU's writes were not flushed with CLEAN).
    const uint8_t* src = program.InputReadByBpu(i) ? SysMemory::Instance().DeviceView(in.data, in.bytes)
                                                   : in.data;
    if (in.aligned_shape == in.valid_shape) {
      std::memcpy(dst, src, program.InputBytes(i));
      continue;
    }
    size_t row_bytes = static_cast<size_t>(in.valid_shape.back()) * in.element_size;
    ForEachRow(in.valid_shape, in.aligned_shape, in.valid_shape, [&](int64_t d, int64_t s) {
      std::memcpy(dst + d * in.element_size, src + s * in.element_size, row_bytes);
    });
  }
}

void InferTask::CopyOut(const Program::ExecutionContext& context) const {
  const Program& program = *model_->program();
  for (size_t i = 0; i < outputs_.size(); ++i) {
    const TensorBinding& out = outputs_[i];
    const uint8_t* src = program.OutputData(context, i);
    // BPU results land in the device view; the CPU sees them after INVALIDATE.
    uint8_t* dst = out.data;
    if (program.OutputWrittenByBpu(i)) {
      dst = SysMemory::Instance().DeviceView(out.data, out.bytes);
      SysMemory::Instance().MarkDeviceWritten(out.data, out.bytes);
    }
    if (out.aligned_shape == out.valid_shape) {
      std::memcpy(dst, src, program.OutputBytes(i));
      continue;
    }
    // Padding is written as zeros, as the BPU does.
    int64_t padded = 1;
    for (int32_t d : out.aligned_shape) padded *= d;
    std::memset(dst, 0, static_cast<size_t>(padded) * out.element_size);
    size_t row_bytes = static_cast<size_t>(out.valid_shape.back()) * out.element_size;
    ForEachRow(out.valid_shape, out.valid_shape, out.aligned_shape, [&](int64_t d, int64_t s) {
      std::memcpy(dst + d * out.element_size, src + s * out.element_size, row_bytes);
    });
  }
}

void InferTask::Start() {
  WarnAboutCaches();
  if (device_ != nullptr) timing_.submit_ns = device_->clock().NowNanos();
  std::shared_ptr<InferTask> self = shared_from_this();
  RunOnCpuPool([self] { self->Begin(); }, clock());
}

void InferTask::WarnAboutCaches() const {
  const Program& program = *model_->program();
  SysMemory& memory = SysMemory::Instance();
  if (!memory.cache_check()) return;
  for (size_t i = 0; i < inputs_.size(); ++i) {
    const IoTensor& io = model_->inputs()[i];
    if (program.InputReadByBpu(i) && memory.CpuAheadOfDevice(inputs_[i].data, inputs_[i].bytes)) {
      HB_LOG(Warning) << "model '" << model_->name() << "' input " << i << " '" << io.name
                      << "': the CPU wrote this cached hbSysMem but did not publish it with "
                         "hbSysFlushMem(HB_SYS_MEM_CACHE_CLEAN); the BPU reads stale data";
    }
  }
  for (size_t i = 0; i < outputs_.size(); ++i) {
    const IoTensor& io = model_->outputs()[i];
    if (memory.DeviceWriteNotPulled(outputs_[i].data, outputs_[i].bytes)) {
      HB_LOG(Warning) << "model '" << model_->name() << "' output " << i << " '" << io.name
                      << "': the BPU results of an earlier inference in this cached hbSysMem "
                         "were never pulled with hbSysFlushMem(HB_SYS_MEM_CACHE_INVALIDATE)";
    }
  }
}

void InferTask::Begin() {
  const Program& program = *model_->program();
  absl::StatusOr<std::unique_ptr<Program::ExecutionContext>> context = program.Acquire();
  if (!context.ok()) {
    Complete(context.status());
    return;
  }
  context_ = *std::move(context);
  // The caller's memory is touched only under io_mutex_ and only while not cancelled: once
  // hbDNNReleaseTask (Cancel) has returned, the caller may free its tensors.
  bool cancelled = false;
  {
    std::lock_guard<std::mutex> io(io_mutex_);
    cancelled = cancelled_.load();
    if (!cancelled) CopyIn(*context_);
  }
  // Outside io_mutex_: a done-callback may call hbDNNReleaseTask, which takes it.
  if (cancelled) {
    Finish(Error(ErrorCode::kRunTaskFailed, "cancelled before it started"));
    return;
  }
  RunFrom(0);
}

void InferTask::RunFrom(size_t stage) {
  const Program& program = *model_->program();
  const std::vector<Program::Stage>& stages = program.stages();
  for (; stage < stages.size(); ++stage) {
    if (cancelled_.load()) {
      Finish(Errorf(ErrorCode::kRunTaskFailed, "cancelled before ", stages[stage].name));
      return;
    }
    if (stages[stage].kind == Program::Stage::Kind::kBpuFc) {
      SubmitFc(stage);
      return;
    }
    absl::Status status = program.RunSteps(*context_, stages[stage].first_step,
                                           stages[stage].end_step, &InferTask::ShouldStop, this);
    if (!status.ok()) {
      Finish(std::move(status));
      return;
    }
  }
  Finish(absl::OkStatus());
}

absl::StatusOr<int> InferTask::PickCore() const {
  const int cores = device_->core_count();
  int mask = options_.core_mask == 0 ? (1 << cores) - 1 : options_.core_mask;
  // Until the scheduler arrives: the allowed core with the fewest FCs queued or running, ties to
  // the lower index.
  int best = -1;
  int best_load = 0;
  for (int c = 0; c < cores; ++c) {
    if ((mask & (1 << c)) == 0) continue;
    HB_ASSIGN_OR_RETURN(bpu::QueueDepth depth, device_->GetQueueDepth(c));
    int load = depth.high + depth.normal + (depth.running ? 1 : 0);
    if (best < 0 || load < best_load) {
      best = c;
      best_load = load;
    }
  }
  if (best < 0) {
    return Errorf(ErrorCode::kInvalidArgument, "bpuCoreId ", options_.core_mask, " names no core of the ",
                  device_->profile().chip, "'s ", cores);
  }
  return best;
}

void InferTask::SubmitFc(size_t stage) {
  const Program& program = *model_->program();
  const Program::Stage& s = program.stages()[stage];
  if (core_ < 0) {
    absl::StatusOr<int> core = PickCore();
    if (!core.ok()) {
      Finish(core.status());
      return;
    }
    core_ = *core;
  }
  bpu::FunctionCall fc;
  fc.id = stage;
  fc.modelled_ns = s.modelled_ns;
  // The FC's numerics: the int8 kernels of its nodes on this task's context. The task (and so the
  // context) lives until the completion has run.
  fc.execute = [this, &s] {
    return model_->program()->RunSteps(*context_, s.first_step, s.end_step);
  };
  std::shared_ptr<InferTask> self = shared_from_this();
  bpu::QueueClass queue =
      options_.priority == 255 ? bpu::QueueClass::kHigh : bpu::QueueClass::kNormal;
  absl::Status submitted = device_->Submit(
      core_, queue, std::move(fc),
      [self, stage](const bpu::FcCompletion& done) { self->OnFcDone(stage, done); });
  if (!submitted.ok()) Finish(Errorf(ErrorCode::kRunTaskFailed, s.name, ": ", submitted.message()));
}

void InferTask::OnFcDone(size_t stage, const bpu::FcCompletion& done) {
  const Program& program = *model_->program();
  const std::vector<Program::Stage>& stages = program.stages();
  timing_.bpu_ns += done.end_ns - done.start_ns;
  timing_.fc_count += 1;
  timing_.core = done.core;
  std::shared_ptr<InferTask> self = shared_from_this();
  if (!done.status.ok()) {
    absl::Status status = Errorf(ErrorCodeOf(done.status, ErrorCode::kRunTaskFailed),
                                 stages[stage].name, ": ", done.status.message());
    RunOnCpuPool([self, status] { self->Finish(status); }, clock());
    return;
  }
  size_t next = stage + 1;
  if (next < stages.size() && stages[next].kind == Program::Stage::Kind::kBpuFc &&
      !cancelled_.load()) {
    // Straight to the core's queue at this boundary: a task's FCs follow each other without a
    // CPU round trip.
    SubmitFc(next);
    return;
  }
  RunOnCpuPool([self, next] { self->RunFrom(next); }, clock());
}

void InferTask::Finish(absl::Status status) {
  if (context_ != nullptr) {
    if (status.ok()) {
      std::lock_guard<std::mutex> io(io_mutex_);
      if (cancelled_.load()) {
        status = Error(ErrorCode::kRunTaskFailed, "cancelled before its outputs were written");
      } else {
        CopyOut(*context_);
      }
    }
    model_->program()->Release(std::move(context_));
  }
  if (device_ != nullptr) timing_.end_ns = device_->clock().NowNanos();
  Complete(std::move(status));
}

TaskTiming InferTask::timing() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return timing_;
}

void InferTask::Complete(absl::Status status) {
  TaskDoneCallback callback = nullptr;
  void* userdata = nullptr;
  void* handle = nullptr;
  int32_t code = static_cast<int32_t>(ErrorCodeOf(status, ErrorCode::kRunTaskFailed));
  {
    std::lock_guard<std::mutex> lock(mutex_);
    status_ = std::move(status);
    done_ = true;
    if (callback_ != nullptr && !callback_fired_) {
      callback_fired_ = true;
      callback = callback_;
      userdata = callback_userdata_;
      handle = handle_;
    }
  }
  done_cv_.notify_all();
  if (callback != nullptr) callback(handle, code, userdata);
}

absl::Status InferTask::Wait(int32_t timeout_ms) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (timeout_ms <= 0) {
    done_cv_.wait(lock, [&] { return done_; });
  } else if (!done_cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] { return done_; })) {
    return Errorf(ErrorCode::kTimeout, "task not done after ", timeout_ms, " ms");
  }
  return status_;
}

void InferTask::SetCallback(TaskDoneCallback callback, void* userdata, void* handle) {
  int32_t code = 0;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    callback_ = callback;
    callback_userdata_ = userdata;
    handle_ = handle;
    if (!done_ || callback == nullptr || callback_fired_) return;
    callback_fired_ = true;
    code = static_cast<int32_t>(ErrorCodeOf(status_, ErrorCode::kRunTaskFailed));
  }
  callback(handle, code, userdata);
}

void InferTask::Cancel() {
  // Waits for a copy to or from the caller's memory in progress, at most one memcpy pass.
  std::lock_guard<std::mutex> io(io_mutex_);
  cancelled_.store(true);
}

bool InferTask::done() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return done_;
}

}  // namespace hb_dnn::runtime
