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
  // Image bytes are copied as rows of bytes: NV12's Y rows, then its UV rows, each W valid bytes
  // out of the caller's (16-aligned) row.
  std::vector<int32_t> copy_valid = caller.valid_shape;
  std::vector<int32_t> copy_aligned = caller.aligned_shape;
  if (IsImageType(io.data_type)) {
    element_size = 1;
    bool nv12 = io.data_type == fb::DataType::IMG_NV12 ||
                io.data_type == fb::DataType::IMG_NV12_SEPARATE;
    if (nv12 && copy_valid.size() == 4 && copy_aligned.size() == 4) {
      copy_valid = {copy_valid[0], copy_valid[2] * 3 / 2, copy_valid[3]};
      copy_aligned = {copy_aligned[0], copy_aligned[2] * 3 / 2, copy_aligned[3]};
    }
  }
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
  binding.valid_shape = std::move(copy_valid);
  binding.aligned_shape = std::move(copy_aligned);
  binding.element_size = element_size;
  return binding;
}

InferTask::InferTask(std::shared_ptr<const Model> model, std::vector<TensorBinding> inputs,
                     std::vector<TensorBinding> outputs, InferOptions options, bpu::Device* device,
                     scheduler::Scheduler* scheduler)
    : model_(std::move(model)),
      inputs_(std::move(inputs)),
      outputs_(std::move(outputs)),
      options_(options),
      device_(device),
      scheduler_(scheduler) {
  all_models_.push_back(model_.get());
}

void InferTask::Append(std::shared_ptr<const Model> model, std::vector<TensorBinding> inputs,
                       std::vector<TensorBinding> outputs, bpu::Device* device) {
  std::lock_guard<std::mutex> lock(start_mutex_);
  if (device_ == nullptr) device_ = device;
  all_models_.push_back(model.get());
  pending_jobs_.push_back(Job{std::move(model), std::move(inputs), std::move(outputs)});
}

size_t InferTask::batch_size() const {
  std::lock_guard<std::mutex> lock(start_mutex_);
  return 1 + pending_jobs_.size();
}

bool InferTask::UsesModel(const Model* model) const {
  std::lock_guard<std::mutex> lock(start_mutex_);
  for (const Model* m : all_models_) {
    if (m == model) return true;
  }
  return false;
}

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
    } else {
      // Padding is written as zeros, as the BPU does.
      int64_t padded = 1;
      for (int32_t d : out.aligned_shape) padded *= d;
      std::memset(dst, 0, static_cast<size_t>(padded) * out.element_size);
      size_t row_bytes = static_cast<size_t>(out.valid_shape.back()) * out.element_size;
      ForEachRow(out.valid_shape, out.valid_shape, out.aligned_shape, [&](int64_t d, int64_t s) {
        std::memcpy(dst + d * out.element_size, src + s * out.element_size, row_bytes);
      });
    }
    // The runtime publishes its own CPU writes to the device view too, so that the INVALIDATE an
    // application does before reading any output leaves a CPU segment's results intact.
    if (!program.OutputWrittenByBpu(i)) {
      uint8_t* device = SysMemory::Instance().DeviceView(out.data, out.bytes);
      if (device != out.data) std::memcpy(device, out.data, out.bytes);
    }
  }
}

absl::Status InferTask::Start() {
  WarnAboutCaches();
  // On a virtual clock the submitting thread holds a unit of work until the task is queued or
  // admitted, so no time passes between the submit time and the task's admission.
  Clock* clock = this->clock();
  if (clock != nullptr) clock->BeginWork();
  absl::Status status = Submit();
  if (clock != nullptr) clock->EndWork();
  return status;
}

absl::Status InferTask::Submit() {
  if (device_ != nullptr) timing_.submit_ns = device_->clock().NowNanos();
  std::shared_ptr<InferTask> self = shared_from_this();
  scheduler::TaskParams params;
  params.priority = options_.priority;
  params.custom_id = options_.custom_id;
  params.core_mask = static_cast<uint32_t>(options_.core_mask);
  // The id is written before the task can run: admission may happen inside Submit, but the
  // admitted task only starts on the pool, after this thread set scheduler_id_ under mutex_.
  std::lock_guard<std::mutex> lock(start_mutex_);
  absl::StatusOr<scheduler::TaskId> id = scheduler_->Submit(params, [self] {
    RunOnCpuPool([self] { self->Begin(); }, self->clock());
  });
  if (!id.ok()) return id.status();
  scheduler_id_ = *id;
  return absl::OkStatus();
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
    Finish(context.status());
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
      SubmitSegment(stage);
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

void InferTask::SubmitSegment(size_t first_stage) {
  const Program& program = *model_->program();
  const std::vector<Program::Stage>& stages = program.stages();
  size_t end = first_stage;
  std::vector<bpu::FunctionCall> fcs;
  while (end < stages.size() && stages[end].kind == Program::Stage::Kind::kBpuFc) {
    const Program::Stage& s = stages[end];
    bpu::FunctionCall fc;
    fc.id = static_cast<uint64_t>(s.fc_index);
    fc.modelled_ns = s.modelled_ns;
    // The FC's numerics: the int8 kernels of its nodes on this task's context. The task (and so
    // the context) lives until the segment's completion has run.
    fc.execute = [this, &s] {
      return model_->program()->RunSteps(*context_, s.first_step, s.end_step);
    };
    fcs.push_back(std::move(fc));
    ++end;
  }
  std::shared_ptr<InferTask> self = shared_from_this();
  absl::Status submitted = scheduler_->SubmitFcs(
      SchedulerId(), std::move(fcs), [self, first_stage, end](const scheduler::SegmentResult& r) {
        self->timing_.bpu_ns += r.busy_ns;
        self->timing_.fc_count += r.fcs_completed;
        if (r.core >= 0) self->timing_.core = r.core;
        if (!r.status.ok()) {
          const std::vector<Program::Stage>& stages = self->model_->program()->stages();
          // Name the FC that failed (cancellation has none: name the segment).
          std::string where = absl::StrCat("segment '", stages[first_stage].segment_name, "'");
          if (r.failed_fc_valid) absl::StrAppend(&where, " function-call ", r.failed_fc);
          absl::Status status = Errorf(ErrorCodeOf(r.status, ErrorCode::kRunTaskFailed), where,
                                       ": ", r.status.message());
          RunOnCpuPool([self, status] { self->Finish(status); }, self->clock());
          return;
        }
        RunOnCpuPool([self, end] { self->RunFrom(end); }, self->clock());
      });
  if (!submitted.ok()) {
    Finish(Errorf(ErrorCode::kRunTaskFailed, stages[first_stage].name, ": ", submitted.message()));
  }
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
  // `more` batches: the next inference of the task, on this thread, in the same admission.
  if (status.ok() && !pending_jobs_.empty() && !cancelled_.load()) {
    Job next = std::move(pending_jobs_.front());
    pending_jobs_.pop_front();
    model_ = std::move(next.model);
    inputs_ = std::move(next.inputs);
    outputs_ = std::move(next.outputs);
    WarnAboutCaches();
    Begin();
    return;
  }
  if (device_ != nullptr) timing_.end_ns = device_->clock().NowNanos();
  scheduler_->Finish(SchedulerId());
  Complete(std::move(status));
}

scheduler::TaskId InferTask::SchedulerId() const {
  std::lock_guard<std::mutex> lock(start_mutex_);
  return scheduler_id_;
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
  {
    // Waits for a copy to or from the caller's memory in progress, at most one memcpy pass.
    std::lock_guard<std::mutex> io(io_mutex_);
    if (cancelled_.exchange(true)) return;
  }
  // Queued tasks, and `more` batches never sealed (never submitted), never start: complete
  // them here. Running ones drop their uncommitted FCs and stop at their next boundary.
  scheduler::TaskId id = SchedulerId();
  if (id == 0 || scheduler_->Cancel(id) == scheduler::Scheduler::CancelResult::kWasQueued) {
    std::shared_ptr<InferTask> self = shared_from_this();
    RunOnCpuPool([self] {
      self->Complete(Error(ErrorCode::kRunTaskFailed, "cancelled before it started"));
    });
  }
}

bool InferTask::done() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return done_;
}

}  // namespace hb_dnn::runtime
