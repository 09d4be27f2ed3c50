#include "src/runtime/model.h"

#include "src/runtime/program.h"

namespace hb_dnn::runtime {
namespace {

std::string StringOf(const flatbuffers::String* s) { return s == nullptr ? std::string() : s->str(); }

template <typename T, typename U>
std::vector<T> VectorOf(const flatbuffers::Vector<U>* v) {
  std::vector<T> out;
  if (v == nullptr) return out;
  out.reserve(v->size());
  for (auto x : *v) out.push_back(static_cast<T>(x));
  return out;
}

QuantParams QuantOf(const fb::Quantization* q) {
  QuantParams p;
  if (q == nullptr) return p;
  p.type = q->type();
  p.axis = q->axis();
  p.shift = VectorOf<uint8_t>(q->shift());
  p.scale = VectorOf<float>(q->scale());
  p.zero_point = VectorOf<int8_t>(q->zero_point());
  return p;
}

IoTensor IoOf(const fb::TensorDesc* d) {
  IoTensor io;
  io.name = StringOf(d->name());
  io.tensor_index = d->tensor();
  io.valid_shape = VectorOf<int32_t>(d->valid_shape());
  io.aligned_shape = VectorOf<int32_t>(d->aligned_shape());
  io.stride = VectorOf<int32_t>(d->stride());
  io.aligned_byte_size = d->aligned_byte_size();
  io.layout = d->layout();
  io.data_type = d->data_type();
  io.quant = QuantOf(d->quantization());
  io.input_source = d->input_source();
  io.output_operator_type = d->output_operator_type();
  if (d->desc() != nullptr) io.desc.assign(d->desc()->begin(), d->desc()->end());
  io.desc_type = d->desc_type();
  return io;
}

}  // namespace

Model::Model(const fb::Model* flat, const uint8_t* file_data, const fb::Package* package)
    : flat_(flat),
      file_data_(file_data),
      package_(package),
      name_(StringOf(flat->name())),
      tag_(StringOf(flat->tag())),
      desc_type_(flat->desc_type()),
      march_(StringOf(flat->march())) {
  if (flat->desc() != nullptr) desc_.assign(flat->desc()->begin(), flat->desc()->end());
  if (flat->inputs() != nullptr) {
    for (const fb::TensorDesc* d : *flat->inputs()) inputs_.push_back(IoOf(d));
  }
  if (flat->outputs() != nullptr) {
    for (const fb::TensorDesc* d : *flat->outputs()) outputs_.push_back(IoOf(d));
  }
  if (flat->segments() != nullptr) {
    for (const fb::Segment* segment : *flat->segments()) {
      if (segment->kind() != fb::SegmentKind::BPU || segment->function_calls() == nullptr) continue;
      for (const fb::FunctionCall* fc : *segment->function_calls()) {
        modelled_bpu_latency_us_ += fc->modelled_duration_us();
      }
    }
  }
}

Model::~Model() = default;

void Model::SetProgram(std::unique_ptr<Program> program, absl::Status status,
                       bpu::Device* device) {
  program_ = std::move(program);
  program_status_ = std::move(status);
  bpu_device_ = device;
}

const uint8_t* Model::buffer_data(int32_t index) const {
  return file_data_ + package_->buffers()->Get(index)->offset();
}

uint64_t Model::buffer_size(int32_t index) const {
  return package_->buffers()->Get(index)->size();
}

}  // namespace hb_dnn::runtime
