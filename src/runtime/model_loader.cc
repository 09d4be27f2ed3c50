#include "src/runtime/model_loader.h"

#include <string>
#include <unordered_set>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "src/base/aligned_buffer.h"
#include "src/base/status.h"
#include "src/base/status_macros.h"
#include "src/runtime/tensor_geometry.h"

namespace hb_dnn::runtime {
namespace {

constexpr size_t kMinFileSize = 12;  // size prefix + root offset + file identifier

template <typename T>
std::string Join(const std::vector<T>& v) {
  return absl::StrCat("(", absl::StrJoin(v, ","), ")");
}

template <typename T, typename U>
std::vector<T> VectorOf(const flatbuffers::Vector<U>* v) {
  std::vector<T> out;
  if (v != nullptr) out.assign(v->begin(), v->end());
  return out;
}

bool IsValidDescType(fb::DescType type) {
  return static_cast<int>(type) >= static_cast<int>(fb::DescType::MIN) &&
         static_cast<int>(type) <= static_cast<int>(fb::DescType::MAX);
}

std::string NameOf(const flatbuffers::String* s) { return s == nullptr ? std::string() : s->str(); }

// Semantic validation of a verified package. Messages start "file '<source>': model '<name>': ".
class Checker {
 public:
  Checker(absl::string_view source, const fb::Package* package, size_t file_size,
          size_t flatbuffer_end)
      : source_(source), package_(package), file_size_(file_size), flatbuffer_end_(flatbuffer_end) {}

  absl::Status CheckPackage() {
    if (package_->format_version_major() > kFormatVersionMajor) {
      return Errorf(ErrorCode::kIncompatibleModel, "file '", source_, "': format version ",
                  package_->format_version_major(), ".",
                  package_->format_version_minor(), " is newer than this runtime reads (",
                  kFormatVersionMajor, ".x); rebuild the model or update hb_dnn");
    }
    HB_RETURN_IF_ERROR(CheckBuffers());
    if (package_->models() == nullptr || package_->models()->size() == 0) {
      return Fail("package holds no model");
    }
    std::unordered_set<std::string> names;
    for (flatbuffers::uoffset_t i = 0; i < package_->models()->size(); ++i) {
      const fb::Model* model = package_->models()->Get(i);
      std::string name = NameOf(model->name());
      if (name.empty()) return Fail("model ", i, " has an empty name");
      if (!names.insert(name).second) return Fail("model name '", name, "' appears twice");
      model_prefix_ = absl::StrCat("model '", name, "': ");
      HB_RETURN_IF_ERROR(CheckModel(model));
      model_prefix_.clear();
    }
    return absl::OkStatus();
  }

 private:
  template <typename... Parts>
  absl::Status Fail(const Parts&... parts) const {
    return Errorf(ErrorCode::kInvalidModel, "file '", source_, "': ", model_prefix_, parts...);
  }

  size_t BufferCount() const { return package_->buffers() == nullptr ? 0 : package_->buffers()->size(); }

  absl::Status CheckBuffers() {
    for (size_t i = 0; i < BufferCount(); ++i) {
      const fb::Buffer* b = package_->buffers()->Get(static_cast<flatbuffers::uoffset_t>(i));
      if (b->offset() % kBufferAlignment != 0) {
        return Fail("buffer ", i, " offset ", b->offset(), " is not a multiple of ", kBufferAlignment);
      }
      if (b->offset() < flatbuffer_end_) {
        return Fail("buffer ", i, " offset ", b->offset(), " overlaps the model description (ends at ",
                    flatbuffer_end_, ")");
      }
      if (b->offset() > file_size_ || b->size() > file_size_ - b->offset()) {
        return Fail("buffer ", i, " [", b->offset(), ", +", b->size(), ") runs past the end of the ",
                    file_size_, "-byte file (truncated?)");
      }
    }
    return absl::OkStatus();
  }

  absl::Status CheckModel(const fb::Model* model) {
    march_ = March::kBernoulli2;  // files without a march are X3 models
    if (model->march() != nullptr && !model->march()->str().empty()) {
      absl::StatusOr<March> march = ParseMarch(model->march()->str());
      if (!march.ok()) {
        return Errorf(ErrorCode::kIncompatibleModel, "file '", source_, "': ", model_prefix_,
                      march.status().message());
      }
      march_ = *march;
    }
    if (!IsValidDescType(model->desc_type())) {
      return Fail("desc type ", static_cast<int>(model->desc_type()), " is unknown");
    }
    HB_RETURN_IF_ERROR(CheckTensors(model));
    HB_RETURN_IF_ERROR(CheckNodes(model));
    HB_RETURN_IF_ERROR(CheckSegments(model));
    HB_RETURN_IF_ERROR(CheckIo(model, /*inputs=*/true));
    HB_RETURN_IF_ERROR(CheckIo(model, /*inputs=*/false));
    if (model->preprocess() != nullptr) {
      int32_t input_count = static_cast<int32_t>(model->inputs()->size());
      for (flatbuffers::uoffset_t i = 0; i < model->preprocess()->size(); ++i) {
        int32_t input = model->preprocess()->Get(i)->input();
        if (input < 0 || input >= input_count) {
          return Fail("preprocess ", i, " refers to input ", input, ", model has ", input_count);
        }
      }
    }
    return absl::OkStatus();
  }

  absl::Status CheckQuant(const fb::Quantization* q, const std::vector<int64_t>& shape,
                          const std::string& what) {
    if (q == nullptr) return absl::OkStatus();
    size_t length = 0;
    switch (q->type()) {
      case fb::QuantiType::NONE:
        return absl::OkStatus();
      case fb::QuantiType::SHIFT:
        length = q->shift() == nullptr ? 0 : q->shift()->size();
        if (length == 0) return Fail(what, ": SHIFT quantization without shift values");
        break;
      case fb::QuantiType::SCALE: {
        length = q->scale() == nullptr ? 0 : q->scale()->size();
        if (length == 0) return Fail(what, ": SCALE quantization without scale values");
        size_t zero_points = q->zero_point() == nullptr ? 0 : q->zero_point()->size();
        if (zero_points != 0 && zero_points != length) {
          return Fail(what, ": ", zero_points, " zero points for ", length, " scales");
        }
        break;
      }
      default:
        return Fail(what, ": quantization type ", static_cast<int>(q->type()), " is unknown");
    }
    if (length == 1) return absl::OkStatus();  // per-tensor
    if (q->axis() < 0 || q->axis() >= static_cast<int32_t>(shape.size())) {
      return Fail(what, ": quantize axis ", q->axis(), " outside rank ", shape.size());
    }
    if (static_cast<int64_t>(length) != shape[q->axis()]) {
      return Fail(what, ": ", length, " quantization values for axis ", q->axis(), " of size ",
                  shape[q->axis()]);
    }
    return absl::OkStatus();
  }

  absl::Status CheckTensors(const fb::Model* model) {
    if (model->tensors() == nullptr) return absl::OkStatus();
    std::unordered_set<std::string> names;
    for (flatbuffers::uoffset_t i = 0; i < model->tensors()->size(); ++i) {
      const fb::Tensor* t = model->tensors()->Get(i);
      std::string what = absl::StrCat("tensor ", i, " '", t->name()->str(), "'");
      if (t->name()->size() == 0) return Fail("tensor ", i, " has an empty name");
      if (!names.insert(t->name()->str()).second) return Fail(what, ": name appears twice");
      if (!IsValidDataType(static_cast<int>(t->data_type()))) {
        return Fail(what, ": data type ", static_cast<int>(t->data_type()), " is unknown");
      }
      std::vector<int64_t> shape = VectorOf<int64_t>(t->shape());
      if (shape.size() > kMaxDimensions) return Fail(what, ": rank ", shape.size(), " > ", kMaxDimensions);
      // Checked before multiplying: shapes come from untrusted files.
      constexpr int64_t kMaxElements = int64_t{1} << 40;
      int64_t elements = 1;
      for (int64_t d : shape) {
        if (d < 0 || d > kMaxElements) {
          return Fail(what, ": shape ", Join(shape), " has dimension ", d);
        }
        if (d != 0 && elements > kMaxElements / d) {
          return Fail(what, ": shape ", Join(shape), " is too large");
        }
        elements *= d;
      }
      HB_RETURN_IF_ERROR(CheckQuant(t->quantization(), shape, what));
      if (t->buffer() == -1) continue;
      if (t->buffer() < 0 || static_cast<size_t>(t->buffer()) >= BufferCount()) {
        return Fail(what, ": buffer index ", t->buffer(), " outside [0, ", BufferCount(), ")");
      }
      int element_size = ElementSize(t->data_type());
      uint64_t needed = element_size > 0 ? static_cast<uint64_t>(elements) * element_size
                                         : static_cast<uint64_t>(elements + 1) / 2;
      uint64_t have = package_->buffers()->Get(t->buffer())->size();
      if (IsImageType(t->data_type())) return Fail(what, ": constant of image type");
      if (have != needed) {
        return Fail(what, ": buffer ", t->buffer(), " has ", have, " bytes, shape ", Join(shape),
                    " of ", fb::EnumNameDataType(t->data_type()), " needs ", needed);
      }
    }
    return absl::OkStatus();
  }

  int32_t TensorCount(const fb::Model* model) const {
    return model->tensors() == nullptr ? 0 : static_cast<int32_t>(model->tensors()->size());
  }

  absl::Status CheckNodes(const fb::Model* model) {
    if (model->nodes() == nullptr) return absl::OkStatus();
    int32_t tensors = TensorCount(model);
    for (flatbuffers::uoffset_t i = 0; i < model->nodes()->size(); ++i) {
      const fb::Node* n = model->nodes()->Get(i);
      std::string what = absl::StrCat("node ", i, " '", n->name()->str(), "' (", n->op_type()->str(), ")");
      if (n->op_type()->size() == 0) return Fail("node ", i, " has an empty op type");
      if (n->op_version() < 1) return Fail(what, ": op version ", n->op_version(), " < 1");
      for (int32_t input : VectorOf<int32_t>(n->inputs())) {
        if (input < -1 || input >= tensors) {
          return Fail(what, ": input tensor index ", input, " outside [-1, ", tensors, ")");
        }
      }
      for (int32_t output : VectorOf<int32_t>(n->outputs())) {
        if (output < 0 || output >= tensors) {
          return Fail(what, ": output tensor index ", output, " outside [0, ", tensors, ")");
        }
      }
      if (n->attributes() == nullptr) continue;
      for (const fb::Attribute* a : *n->attributes()) {
        if (static_cast<int>(a->type()) < static_cast<int>(fb::AttributeType::MIN) ||
            static_cast<int>(a->type()) > static_cast<int>(fb::AttributeType::MAX)) {
          return Fail(what, ": attribute '", a->name()->str(), "' has unknown type ",
                      static_cast<int>(a->type()));
        }
        if (a->type() == fb::AttributeType::TENSOR && (a->tensor() < 0 || a->tensor() >= tensors)) {
          return Fail(what, ": attribute '", a->name()->str(), "' tensor index ", a->tensor(),
                      " outside [0, ", tensors, ")");
        }
      }
    }
    return absl::OkStatus();
  }

  absl::Status CheckSegments(const fb::Model* model) {
    size_t node_count = model->nodes() == nullptr ? 0 : model->nodes()->size();
    size_t segment_count = model->segments() == nullptr ? 0 : model->segments()->size();
    if (segment_count == 0) {
      if (node_count != 0) return Fail(node_count, " nodes but no segment to run them");
      return absl::OkStatus();
    }
    std::vector<int> owner(node_count, -1);
    auto claim = [&](uint32_t node, size_t segment, const std::string& where) -> absl::Status {
      if (node >= node_count) {
        return Fail(where, ": node index ", node, " outside [0, ", node_count, ")");
      }
      if (owner[node] != -1) {
        return Fail(where, ": node ", node, " already belongs to segment ", owner[node]);
      }
      owner[node] = static_cast<int>(segment);
      return absl::OkStatus();
    };
    for (size_t s = 0; s < segment_count; ++s) {
      const fb::Segment* seg = model->segments()->Get(static_cast<flatbuffers::uoffset_t>(s));
      std::string where = absl::StrCat("segment ", s);
      switch (seg->kind()) {
        case fb::SegmentKind::CPU:
          if (seg->function_calls() != nullptr && seg->function_calls()->size() != 0) {
            return Fail(where, ": CPU segment with function-calls");
          }
          if (seg->nodes() == nullptr || seg->nodes()->size() == 0) return Fail(where, ": CPU segment without nodes");
          for (uint32_t node : *seg->nodes()) HB_RETURN_IF_ERROR(claim(node, s, where));
          break;
        case fb::SegmentKind::BPU:
          if (seg->nodes() != nullptr && seg->nodes()->size() != 0) {
            return Fail(where, ": BPU segment lists nodes outside function-calls");
          }
          if (seg->function_calls() == nullptr || seg->function_calls()->size() == 0) {
            return Fail(where, ": BPU segment without function-calls");
          }
          if (seg->core_num() < 1 || seg->core_num() > 2) {
            return Fail(where, ": core_num ", seg->core_num(), " outside 1..2");
          }
          for (flatbuffers::uoffset_t f = 0; f < seg->function_calls()->size(); ++f) {
            const fb::FunctionCall* fc = seg->function_calls()->Get(f);
            std::string fc_where = absl::StrCat(where, " function-call ", f);
            if (fc->nodes() == nullptr || fc->nodes()->size() == 0) return Fail(fc_where, ": no nodes");
            for (uint32_t node : *fc->nodes()) HB_RETURN_IF_ERROR(claim(node, s, fc_where));
          }
          break;
        default:
          return Fail(where, ": unknown segment kind ", static_cast<int>(seg->kind()));
      }
    }
    for (size_t n = 0; n < node_count; ++n) {
      if (owner[n] == -1) return Fail("node ", n, " belongs to no segment");
    }
    return absl::OkStatus();
  }

  absl::Status CheckIo(const fb::Model* model, bool inputs) {
    const char* kind = inputs ? "input" : "output";
    const auto* list = inputs ? model->inputs() : model->outputs();
    if (list == nullptr || list->size() == 0) return Fail("model has no ", kind);
    int32_t tensors = TensorCount(model);
    std::unordered_set<std::string> names;
    for (flatbuffers::uoffset_t i = 0; i < list->size(); ++i) {
      const fb::TensorDesc* d = list->Get(i);
      std::string what = absl::StrCat(kind, " ", i, " '", d->name()->str(), "'");
      if (d->name()->size() == 0) return Fail(kind, " ", i, " has an empty name");
      if (!names.insert(d->name()->str()).second) return Fail(what, ": name appears twice");
      if (d->tensor() < 0 || d->tensor() >= tensors) {
        return Fail(what, ": tensor index ", d->tensor(), " outside [0, ", tensors, ")");
      }
      if (!IsValidDataType(static_cast<int>(d->data_type())) ||
          d->data_type() == fb::DataType::BOOL) {
        return Fail(what, ": data type ", static_cast<int>(d->data_type()),
                    " is not a hbDNNDataType");
      }
      if (!IsValidLayout(static_cast<int>(d->layout()))) {
        return Fail(what, ": layout ", static_cast<int>(d->layout()), " is unknown");
      }
      if (static_cast<int>(d->input_source()) < 0 || static_cast<int>(d->input_source()) > 2) {
        return Fail(what, ": input source ", static_cast<int>(d->input_source()), " is unknown");
      }
      if (!IsValidDescType(d->desc_type())) {
        return Fail(what, ": desc type ", static_cast<int>(d->desc_type()), " is unknown");
      }
      if (d->output_operator_type() < 0 || d->output_operator_type() > 15) {
        return Fail(what, ": output operator type ", d->output_operator_type(), " is unknown");
      }
      std::vector<int32_t> valid = VectorOf<int32_t>(d->valid_shape());
      std::vector<int32_t> aligned = VectorOf<int32_t>(d->aligned_shape());
      std::vector<int32_t> stride = VectorOf<int32_t>(d->stride());
      if (valid.size() != aligned.size()) {
        return Fail(what, ": valid shape ", Join(valid), " and aligned shape ", Join(aligned),
                    " differ in rank");
      }
      absl::StatusOr<TensorGeometry> geometry = GeometryOfAlignedShape(d->data_type(), aligned);
      if (!geometry.ok()) return Fail(what, ": ", geometry.status().message());
      for (size_t k = 0; k < valid.size(); ++k) {
        if (valid[k] < 1 || valid[k] > aligned[k]) {
          return Fail(what, ": valid shape ", Join(valid), " does not fit aligned shape ", Join(aligned));
        }
      }
      // The aligned shape must be what the march's rules give for this tensor, either as a
      // BPU-facing (aligned) or a CPU-facing (compact) tensor.
      absl::StatusOr<TensorGeometry> bpu =
          ComputeGeometry(march_, d->data_type(), d->layout(), valid, /*bpu_side=*/true);
      if (!bpu.ok()) return Fail(what, ": ", bpu.status().message());
      absl::StatusOr<TensorGeometry> cpu =
          ComputeGeometry(march_, d->data_type(), d->layout(), valid, /*bpu_side=*/false);
      if (!cpu.ok()) return Fail(what, ": ", cpu.status().message());
      if (aligned != bpu->aligned_shape && aligned != cpu->aligned_shape) {
        return Fail(what, ": aligned shape ", Join(aligned), " is not what ", MarchName(march_),
                    " gives for valid shape ", Join(valid), " (", Join(bpu->aligned_shape),
                    " or compact ", Join(cpu->aligned_shape), ")");
      }
      if (stride != geometry->stride) {
        return Fail(what, ": stride ", Join(stride), " differs from ", Join(geometry->stride),
                    " implied by aligned shape ", Join(aligned));
      }
      if (d->aligned_byte_size() != geometry->aligned_byte_size) {
        return Fail(what, ": aligned byte size ", d->aligned_byte_size(), " differs from ",
                    geometry->aligned_byte_size, " implied by aligned shape ", Join(aligned));
      }
      std::vector<int64_t> valid64(valid.begin(), valid.end());
      HB_RETURN_IF_ERROR(CheckQuant(d->quantization(), valid64, what));
    }
    return absl::OkStatus();
  }

  absl::string_view source_;
  const fb::Package* package_;
  size_t file_size_;
  size_t flatbuffer_end_;
  std::string model_prefix_;
  March march_ = March::kBernoulli2;  // of the model being checked
};

}  // namespace

absl::StatusOr<const fb::Package*> VerifyPackage(const uint8_t* data, size_t size,
                                                 absl::string_view source) {
  if (size == 0) return Errorf(ErrorCode::kInvalidModel, "file '", source, "': empty");
  if (size < kMinFileSize) {
    return Errorf(ErrorCode::kInvalidModel, "file '", source, "': ", size,
                  " bytes is too short for an hbm model (truncated?)");
  }
  if (!flatbuffers::BufferHasIdentifier(data, fb::PackageIdentifier(), /*size_prefixed=*/true)) {
    std::string found(reinterpret_cast<const char*>(data) + 8, 4);
    for (char& c : found) {
      if (c < 0x20 || c > 0x7e) c = '?';
    }
    return Errorf(ErrorCode::kInvalidModel, "file '", source,
                  "': not an hb_dnn model (file identifier '", found, "', expected '",
                  fb::PackageIdentifier(),
                  "'). Horizon's proprietary .bin models cannot be loaded: convert the ONNX model "
                  "with hb_mapper to an .hbm file");
  }
  uint32_t prefix = flatbuffers::ReadScalar<uint32_t>(data);
  if (prefix > size - sizeof(uint32_t)) {
    return Errorf(ErrorCode::kInvalidModel, "file '", source, "': model description claims ",
                  prefix, " bytes but the file has ", size, " (truncated?)");
  }
  size_t flatbuffer_end = sizeof(uint32_t) + prefix;
  if (flatbuffer_end >= (size_t{1} << 31)) {
    return Errorf(ErrorCode::kInvalidModel, "file '", source, "': model description of ",
                  prefix, " bytes exceeds the 2 GiB FlatBuffers limit");
  }
  // Generous table budget: a large model has a few tables per tensor, node and attribute.
  flatbuffers::Verifier verifier(data, flatbuffer_end, /*max_depth=*/64, /*max_tables=*/1u << 26);
  if (!fb::VerifySizePrefixedPackageBuffer(verifier)) {
    return Errorf(ErrorCode::kInvalidModel, "file '", source,
                  "': the model description is corrupt (FlatBuffers verification failed)");
  }
  const fb::Package* package = fb::GetSizePrefixedPackage(data);
  Checker checker(source, package, size, flatbuffer_end);
  HB_RETURN_IF_ERROR(checker.CheckPackage());
  return package;
}

}  // namespace hb_dnn::runtime
