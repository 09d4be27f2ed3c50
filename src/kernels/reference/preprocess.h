#ifndef HB_DNN_SRC_KERNELS_REFERENCE_PREPROCESS_H_
#define HB_DNN_SRC_KERNELS_REFERENCE_PREPROCESS_H_

// The input preprocessing op the converter puts in front of an image input (the vendor's
// HzPreprocess): op "Preprocess", domain "hb_dnn", version 1. Reference kernel only.
//
// Input 0: the run-time input.
//   input_type_rt nv12:            uint8 (N, H*3/2, W): H rows of Y, then H/2 rows of interleaved
//                                  U,V pairs (each pair covers a 2x2 block of pixels); H, W even.
//                                  (The model's I/O description says IMG_NV12 with validShape
//                                  (N, 3, H, W); see runtime::ImageTensorShape.)
//   rgb, bgr, yuv444:              uint8 (N, H, W, 3) for input_layout_rt NHWC, (N, 3, H, W) NCHW.
//   gray:                          uint8 (N, H, W, 1) / (N, 1, H, W).
//   featuremap:                    float32 of any shape, passed through (only the norm applies,
//                                  along the channel axis of input_layout_train when 4-D).
// Output 0: float32 in input_type_train / input_layout_train: (N, C, H, W) or (N, H, W, C), C = 3
//   for rgb/bgr/yuv444 and 1 for gray.
//
// Colour: BT.601 full range (JFIF, the "YUV" of OpenCV's COLOR_RGB2YUV and of the vendor's
// rgb2nv12 "rgb_calc" transformer), with U and V offset by 128:
//   Y = 0.299 R + 0.587 G + 0.114 B,  U = -0.168736 R - 0.331264 G + 0.5 B + 128,
//   V = 0.5 R - 0.418688 G - 0.081312 B + 128;
//   R = Y + 1.402 (V-128),  G = Y - 0.344136 (U-128) - 0.714136 (V-128),  B = Y + 1.772 (U-128).
// Converted values are clamped to [0, 255] and not rounded. NV12 chroma is upsampled by
// repetition (nearest). gray from a colour input is Y.
// Supported pairs (rt -> train): nv12/yuv444/rgb/bgr -> rgb, bgr, yuv444, gray; gray -> gray;
// featuremap -> featuremap.
//
// Then, per output channel c: y = (x - mean[c]) * scale[c]. norm_type no_preprocess ignores both,
// data_mean uses mean (scale 1), data_scale uses scale (mean 0), data_mean_and_scale both. mean /
// scale hold 1 value (every channel) or one per channel.

namespace hb_dnn::kernels {

inline constexpr char kHbDnnDomain[] = "hb_dnn";
inline constexpr char kPreprocessOp[] = "Preprocess";
inline constexpr int kPreprocessVersion = 1;

// Attribute names (strings, except mean_value / scale_value: floats).
inline constexpr char kAttrInputTypeRt[] = "input_type_rt";
inline constexpr char kAttrInputLayoutRt[] = "input_layout_rt";
inline constexpr char kAttrInputTypeTrain[] = "input_type_train";
inline constexpr char kAttrInputLayoutTrain[] = "input_layout_train";
inline constexpr char kAttrNormType[] = "norm_type";
inline constexpr char kAttrMeanValue[] = "mean_value";
inline constexpr char kAttrScaleValue[] = "scale_value";

}  // namespace hb_dnn::kernels

#endif  // HB_DNN_SRC_KERNELS_REFERENCE_PREPROCESS_H_
