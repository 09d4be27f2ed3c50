// Pad reference kernel (opset 2 attribute form and opset 11+ input form; modes constant, reflect,
// edge). Elements move as raw bytes, so every dtype works. Negative pads crop; reflect and edge
// then work within the cropped input, as if it were cropped first and padded after. Reflection
// beyond the opposite edge keeps reflecting (numpy's np.pad 'reflect').

#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "src/base/status_macros.h"
#include "src/kernels/kernel_util.h"
#include "src/kernels/reference/nn_kernels.h"
#include "src/kernels/reference/nn_util.h"

namespace hb_dnn::kernels::nn {
namespace {

enum class PadMode { kConstant, kReflect, kEdge };

class PadKernel final : public OpKernel {
 public:
  static KernelOrError Create(const KernelCreateArgs& args) {
    auto kernel = std::make_unique<PadKernel>();
    const Attributes& attributes = args.attributes;
    HB_ASSIGN_OR_RETURN(std::string mode, attributes.GetString("mode", "constant"));
    if (mode == "constant") {
      kernel->mode_ = PadMode::kConstant;
    } else if (mode == "reflect") {
      kernel->mode_ = PadMode::kReflect;
    } else if (mode == "edge") {
      kernel->mode_ = PadMode::kEdge;
    } else {
      return KernelError("Pad: attribute 'mode' is '", mode,
                         "', expected constant, reflect or edge");
    }
    kernel->attribute_form_ = args.opset_version < 11;
    if (kernel->attribute_form_) {
      if (!attributes.Has("pads")) return KernelError("Pad: attribute 'pads' is required");
      HB_ASSIGN_OR_RETURN(kernel->attribute_pads_, attributes.GetInts("pads"));
      HB_ASSIGN_OR_RETURN(float value, attributes.GetFloat("value", 0.0f));
      kernel->attribute_value_ = value;
    }
    return std::unique_ptr<OpKernel>(std::move(kernel));
  }

  absl::Status Prepare(const std::vector<TensorInfo>& inputs,
                       std::vector<TensorInfo>* outputs) override {
    const size_t max_inputs = attribute_form_ ? 1 : 3;
    const size_t min_inputs = attribute_form_ ? 1 : 2;
    if (inputs.size() < min_inputs || inputs.size() > max_inputs || !inputs[0].present() ||
        (!attribute_form_ && !inputs[1].present())) {
      return KernelError("Pad: expected ",
                         attribute_form_ ? "input data"
                                         : "inputs data, pads and optional "
                                           "constant_value",
                         ", got ", inputs.size(), " inputs");
    }
    const TensorInfo& x = inputs[0];
    if (DTypeSize(x.dtype) == 0) {
      return KernelError("Pad: input 0 'data' has type ", DTypeName(x.dtype));
    }
    const size_t rank = x.shape.size();
    if (rank > static_cast<size_t>(kNnMaxRank)) {
      return KernelError("Pad: input 0 'data' has rank ", rank, ", at most ", kNnMaxRank,
                         " is supported");
    }
    std::vector<int64_t> pads = attribute_pads_;
    if (!attribute_form_) {
      HB_ASSIGN_OR_RETURN(pads, ConstantInts(inputs[1], "Pad: input 1 'pads'"));
    }
    if (pads.size() != 2 * rank) {
      return KernelError("Pad: pads [", absl::StrJoin(pads, ","), "] has ", pads.size(),
                         " values, expected ", 2 * rank, " for data of shape ",
                         ShapeString(x.shape));
    }
    element_size_ = DTypeSize(x.dtype);
    // The constant: zero bytes unless given by the attribute or the constant_value input.
    value_.assign(element_size_, '\0');
    value_input_ = false;
    if (attribute_form_ && attribute_value_ != 0) {
      HB_ASSIGN_OR_RETURN(value_,
                          ScalarBytes(x.dtype, attribute_value_, "Pad", "attribute 'value'"));
    }
    if (!attribute_form_ && inputs.size() > 2 && inputs[2].present()) {
      const TensorInfo& value = inputs[2];
      HB_RETURN_IF_ERROR(CheckSameDType("Pad", value, "input 2 'constant_value'", x.dtype));
      if (value.num_elements() != 1) {
        return KernelError("Pad: input 2 'constant_value' has shape ", ShapeString(value.shape),
                           ", expected a scalar");
      }
      if (value.data != nullptr) {
        value_.assign(static_cast<const char*>(value.data), element_size_);
      } else {
        value_input_ = true;
      }
    }
    // Per dimension, the source index of every output index (-1: the constant).
    Shape y_shape(rank);
    sources_.assign(rank, {});
    for (size_t d = 0; d < rank; ++d) {
      const int64_t in = x.shape[d];
      const int64_t begin = pads[d];
      const int64_t end = pads[rank + d];
      y_shape[d] = in + begin + end;
      if (y_shape[d] < 0) {
        return KernelError("Pad: pads [", absl::StrJoin(pads, ","), "] crop dimension ", d,
                           " of size ", in, " below zero");
      }
      const int64_t lo = begin < 0 ? -begin : 0;
      const int64_t hi = in - (end < 0 ? -end : 0);
      const int64_t extent = hi - lo;
      if (mode_ != PadMode::kConstant && extent <= 0 && y_shape[d] > 0) {
        return KernelError("Pad: mode '", mode_ == PadMode::kEdge ? "edge" : "reflect",
                           "' cannot pad dimension ", d, " which is empty");
      }
      std::vector<int64_t>& source = sources_[d];
      source.resize(static_cast<size_t>(y_shape[d]));
      for (int64_t o = 0; o < y_shape[d]; ++o) {
        const int64_t s = o - begin;
        int64_t mapped = s;
        if (s < lo || s >= hi) {
          switch (mode_) {
            case PadMode::kConstant:
              mapped = -1;
              break;
            case PadMode::kEdge:
              mapped = s < lo ? lo : hi - 1;
              break;
            case PadMode::kReflect: {
              if (extent == 1) {
                mapped = lo;
                break;
              }
              const int64_t period = 2 * (extent - 1);
              int64_t r = (s - lo) % period;
              if (r < 0) r += period;
              mapped = lo + (r < extent ? r : period - r);
              break;
            }
          }
        }
        source[static_cast<size_t>(o)] = mapped;
      }
    }
    in_strides_ = Strides(x.shape);
    out_shape_ = y_shape;
    outputs->assign(1, TensorInfo{x.dtype, y_shape, nullptr});
    return absl::OkStatus();
  }

  absl::Status Run(const std::vector<ConstTensorView>& inputs,
                   const std::vector<TensorView>& outputs) const override {
    const char* x = static_cast<const char*>(inputs[0].data);
    char* y = static_cast<char*>(outputs[0].data);
    const char* value = value_input_ ? static_cast<const char*>(inputs[2].data) : value_.data();
    const size_t rank = out_shape_.size();
    const int64_t count = NumElements(out_shape_);
    int64_t index[kNnMaxRank] = {};
    for (int64_t i = 0; i < count; ++i) {
      int64_t offset = 0;
      for (size_t d = 0; d < rank && offset >= 0; ++d) {
        const int64_t s = sources_[d][static_cast<size_t>(index[d])];
        offset = s < 0 ? -1 : offset + s * in_strides_[d];
      }
      const char* src = offset < 0 ? value : x + offset * static_cast<int64_t>(element_size_);
      std::memcpy(y + i * static_cast<int64_t>(element_size_), src, element_size_);
      NextIndex(out_shape_.data(), rank, index);
    }
    return absl::OkStatus();
  }

 private:
  PadMode mode_ = PadMode::kConstant;
  bool attribute_form_ = false;
  std::vector<int64_t> attribute_pads_;
  float attribute_value_ = 0;
  size_t element_size_ = 0;
  std::string value_;         // the constant's bytes when known at prepare time
  bool value_input_ = false;  // the constant comes from input 2 at run time
  std::vector<std::vector<int64_t>> sources_;
  std::vector<int64_t> in_strides_;
  Shape out_shape_;
};

}  // namespace

KernelOrError CreatePadKernel(const KernelCreateArgs& args) { return PadKernel::Create(args); }

}  // namespace hb_dnn::kernels::nn
