#ifndef HB_DNN_SRC_KERNELS_UKERNELS_CONV2D_GEOMETRY_H_
#define HB_DNN_SRC_KERNELS_UKERNELS_CONV2D_GEOMETRY_H_

#include <cstdint>

namespace hb_dnn::kernels::ukernels {

// The window of a 2-D convolution of one NCHW channel plane, as the fp32 and int8 convolution
// microkernels take it (a 1-D convolution is a 2-D one of height 1). nn::Conv2dView derives it
// from a prepared convolution.
struct Conv2dGeometry {
  int64_t in_h = 0;
  int64_t in_w = 0;
  int64_t out_h = 0;
  int64_t out_w = 0;
  int64_t kernel_h = 1;
  int64_t kernel_w = 1;
  int64_t stride_h = 1;
  int64_t stride_w = 1;
  int64_t dilation_h = 1;
  int64_t dilation_w = 1;
  int64_t pad_top = 0;
  int64_t pad_left = 0;
};

}  // namespace hb_dnn::kernels::ukernels

#endif  // HB_DNN_SRC_KERNELS_UKERNELS_CONV2D_GEOMETRY_H_
