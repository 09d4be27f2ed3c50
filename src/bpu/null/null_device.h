#ifndef HB_DNN_SRC_BPU_NULL_NULL_DEVICE_H_
#define HB_DNN_SRC_BPU_NULL_NULL_DEVICE_H_

#include "src/bpu/device.h"

namespace hb_dnn::bpu {

// A device with no BPU behind it: it reports the profile's cores but accepts no work; every
// submission fails with kRunTaskFailed naming the backend. The starting point of a real backend
// (README.md in this folder).
class NullDevice : public Device {
 public:
  explicit NullDevice(const MarchProfile* profile) : profile_(profile) {}

  const char* backend_name() const override { return "null"; }
  const MarchProfile& profile() const override { return *profile_; }
  int core_count() const override { return profile_->cores; }
  Clock& clock() override { return SteadyClock::Instance(); }
  absl::Status Submit(int core, QueueClass queue, FunctionCall fc, CompletionCallback done) override;
  absl::StatusOr<QueueDepth> GetQueueDepth(int core) const override;
  void Drain() override {}

 private:
  const MarchProfile* profile_;
};

}  // namespace hb_dnn::bpu

#endif  // HB_DNN_SRC_BPU_NULL_NULL_DEVICE_H_
