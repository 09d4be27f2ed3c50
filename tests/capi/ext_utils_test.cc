// Tests of the host-side data utilities of hb_dnn_ext.h against naive index-by-index oracles
// written here from the layout definitions (NHWC, NCHW, N,H,C,W for NHCW_NATIVE).

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"
#include "hb_dnn/hb_dnn.h"
#include "hb_dnn/hb_dnn_ext.h"
#include "hb_dnn/hb_dnn_sim.h"
#include "hb_dnn/hb_dnn_status.h"

namespace {

constexpr int32_t kInvalid = HB_DNN_INVALID_ARGUMENT;
constexpr int32_t kLayouts[] = {HB_DNN_LAYOUT_NHWC, HB_DNN_LAYOUT_NCHW, HB_DNN_LAYOUT_NHCW_NATIVE};

struct TypeCase {
  int32_t type;
  uint32_t size;
};
// One type per element size.
constexpr TypeCase kTypes[] = {{HB_DNN_TENSOR_TYPE_U8, 1},
                               {HB_DNN_TENSOR_TYPE_S16, 2},
                               {HB_DNN_TENSOR_TYPE_F32, 4},
                               {HB_DNN_TENSOR_TYPE_F64, 8}};

// Logical extents / coordinates in N,H,W,C order.
struct Nhwc {
  int32_t n, h, w, c;
};
constexpr Nhwc kShapes[] = {{1, 3, 5, 7}, {2, 5, 3, 9}};

hbDNNTensorShape Shape(std::initializer_list<int32_t> dims) {
  hbDNNTensorShape shape{};
  shape.numDimensions = static_cast<int32_t>(dims.size());
  int i = 0;
  for (int32_t d : dims) shape.dimensionSize[i++] = d;
  return shape;
}

hbDNNDimension Dim(const Nhwc& d) { return Shape({d.n, d.h, d.w, d.c}); }

// The shape of a tensor with logical extents `e`, in the order of `layout`.
hbDNNTensorShape ShapeIn(int32_t layout, const Nhwc& e) {
  switch (layout) {
    case HB_DNN_LAYOUT_NCHW:
      return Shape({e.n, e.c, e.h, e.w});
    case HB_DNN_LAYOUT_NHCW_NATIVE:
      return Shape({e.n, e.h, e.c, e.w});
    default:
      return Shape({e.n, e.h, e.w, e.c});
  }
}

// Element offset of (n,h,w,c) in a compact tensor of logical extents `e` stored in `layout`.
size_t Offset(int32_t layout, const Nhwc& e, int n, int h, int w, int c) {
  switch (layout) {
    case HB_DNN_LAYOUT_NCHW:
      return ((static_cast<size_t>(n) * e.c + c) * e.h + h) * e.w + w;
    case HB_DNN_LAYOUT_NHCW_NATIVE:
      return ((static_cast<size_t>(n) * e.h + h) * e.c + c) * e.w + w;
    default:
      return ((static_cast<size_t>(n) * e.h + h) * e.w + w) * e.c + c;
  }
}

size_t Count(const Nhwc& e) { return static_cast<size_t>(e.n) * e.h * e.w * e.c; }

// Distinct-looking bytes so that a misplaced element or byte is caught.
std::vector<uint8_t> Pattern(size_t bytes, uint32_t seed = 1) {
  std::vector<uint8_t> data(bytes);
  uint32_t x = seed * 2654435761u + 12345u;
  for (auto& b : data) {
    x = x * 1103515245u + 12345u;
    b = static_cast<uint8_t>(x >> 16);
  }
  return data;
}

// Copies element `src_index` of `src` to element `dst_index` of `dst`, bytes reversed if `swap`.
void OracleCopy(std::vector<uint8_t>& dst, size_t dst_index, const std::vector<uint8_t>& src,
                size_t src_index, uint32_t size, bool swap) {
  for (uint32_t k = 0; k < size; ++k) {
    dst[dst_index * size + k] = src[src_index * size + (swap ? size - 1 - k : k)];
  }
}

std::string LastDetail() { return hbDNNGetLastErrorDetail(); }

// ---- hbDNNGetLayoutName -----------------------------------------------------------------------

TEST(ExtUtils, GetLayoutNameNamesEveryLayout) {
  const char* name = nullptr;
  ASSERT_EQ(hbDNNGetLayoutName(&name, HB_DNN_LAYOUT_NHWC), 0);
  EXPECT_STREQ(name, "HB_DNN_LAYOUT_NHWC");
  ASSERT_EQ(hbDNNGetLayoutName(&name, HB_DNN_LAYOUT_NCHW), 0);
  EXPECT_STREQ(name, "HB_DNN_LAYOUT_NCHW");
  ASSERT_EQ(hbDNNGetLayoutName(&name, HB_DNN_LAYOUT_NHCW_NATIVE), 0);
  EXPECT_STREQ(name, "HB_DNN_LAYOUT_NHCW_NATIVE");
  ASSERT_EQ(hbDNNGetLayoutName(&name, HB_DNN_LAYOUT_NONE), 0);
  EXPECT_STREQ(name, "HB_DNN_LAYOUT_NONE");
}

TEST(ExtUtils, GetLayoutNameRejectsUnknownLayoutAndNull) {
  const char* name = nullptr;
  for (int32_t layout : {3, -1, 254, 256}) {
    EXPECT_EQ(hbDNNGetLayoutName(&name, layout), kInvalid) << layout;
  }
  EXPECT_NE(LastDetail().find("layout 256"), std::string::npos) << LastDetail();
  EXPECT_EQ(hbDNNGetLayoutName(nullptr, HB_DNN_LAYOUT_NHWC), kInvalid);
  EXPECT_NE(LastDetail().find("name is null"), std::string::npos) << LastDetail();
}

// ---- hbDNNConvertLayout -----------------------------------------------------------------------

TEST(ExtUtils, ConvertLayoutMatchesOracleForAllLayoutPairsAndElementSizes) {
  for (const Nhwc& e : kShapes) {
    for (const TypeCase& t : kTypes) {
      const std::vector<uint8_t> input = Pattern(Count(e) * t.size, t.size);
      for (int32_t from : kLayouts) {
        for (int32_t to : kLayouts) {
          for (bool swap : {false, true}) {
            SCOPED_TRACE(::testing::Message()
                         << "shape " << e.n << "x" << e.h << "x" << e.w << "x" << e.c << " size "
                         << t.size << " from " << from << " to " << to << " swap " << swap);
            std::vector<uint8_t> output(input.size(), 0xEE);
            ASSERT_EQ(hbDNNConvertLayout(output.data(), to, input.data(), from, t.type,
                                         ShapeIn(from, e), swap),
                      0)
                << LastDetail();
            std::vector<uint8_t> expected(input.size());
            for (int n = 0; n < e.n; ++n)
              for (int h = 0; h < e.h; ++h)
                for (int w = 0; w < e.w; ++w)
                  for (int c = 0; c < e.c; ++c)
                    OracleCopy(expected, Offset(to, e, n, h, w, c), input,
                               Offset(from, e, n, h, w, c), t.size, swap);
            EXPECT_EQ(output, expected);
          }
        }
      }
    }
  }
}

TEST(ExtUtils, ConvertLayoutRoundTripIsIdentity) {
  const Nhwc e{2, 5, 3, 9};
  for (const TypeCase& t : kTypes) {
    const std::vector<uint8_t> input = Pattern(Count(e) * t.size, 7);
    std::vector<uint8_t> nchw(input.size());
    std::vector<uint8_t> back(input.size());
    ASSERT_EQ(hbDNNConvertLayout(nchw.data(), HB_DNN_LAYOUT_NCHW, input.data(), HB_DNN_LAYOUT_NHWC,
                                 t.type, ShapeIn(HB_DNN_LAYOUT_NHWC, e), true),
              0);
    ASSERT_EQ(hbDNNConvertLayout(back.data(), HB_DNN_LAYOUT_NHWC, nchw.data(), HB_DNN_LAYOUT_NCHW,
                                 t.type, ShapeIn(HB_DNN_LAYOUT_NCHW, e), true),
              0);
    EXPECT_EQ(back, input) << "size " << t.size;
  }
}

TEST(ExtUtils, ConvertLayoutSwapEqualsConvertEndiannessPerElement) {
  const Nhwc e{1, 3, 5, 7};
  const std::vector<uint8_t> input = Pattern(Count(e) * 4, 3);
  std::vector<uint8_t> converted(input.size());
  ASSERT_EQ(
      hbDNNConvertLayout(converted.data(), HB_DNN_LAYOUT_NHWC, input.data(), HB_DNN_LAYOUT_NHWC,
                         HB_DNN_TENSOR_TYPE_S32, ShapeIn(HB_DNN_LAYOUT_NHWC, e), true),
      0);
  std::vector<uint8_t> expected(input.size());
  for (size_t i = 0; i < Count(e); ++i) {
    ASSERT_EQ(hbDNNConvertEndianness(&expected[i * 4], &input[i * 4], 4), 0);
  }
  EXPECT_EQ(converted, expected);
}

TEST(ExtUtils, ConvertLayoutSameLayoutInPlace) {
  const Nhwc e{2, 5, 3, 9};
  const std::vector<uint8_t> original = Pattern(Count(e) * 2, 5);
  std::vector<uint8_t> data = original;
  ASSERT_EQ(hbDNNConvertLayout(data.data(), HB_DNN_LAYOUT_NCHW, data.data(), HB_DNN_LAYOUT_NCHW,
                               HB_DNN_TENSOR_TYPE_U16, ShapeIn(HB_DNN_LAYOUT_NCHW, e), false),
            0);
  EXPECT_EQ(data, original);
  ASSERT_EQ(hbDNNConvertLayout(data.data(), HB_DNN_LAYOUT_NCHW, data.data(), HB_DNN_LAYOUT_NCHW,
                               HB_DNN_TENSOR_TYPE_U16, ShapeIn(HB_DNN_LAYOUT_NCHW, e), true),
            0);
  for (size_t i = 0; i < Count(e); ++i) {
    EXPECT_EQ(data[2 * i], original[2 * i + 1]);
    EXPECT_EQ(data[2 * i + 1], original[2 * i]);
  }
}

TEST(ExtUtils, ConvertLayoutAcceptsEightBitImageTypes) {
  const Nhwc e{1, 3, 5, 3};
  const std::vector<uint8_t> input = Pattern(Count(e), 9);
  for (int32_t type : {HB_DNN_IMG_TYPE_Y, HB_DNN_IMG_TYPE_YUV444, HB_DNN_IMG_TYPE_RGB,
                       HB_DNN_IMG_TYPE_BGR, HB_DNN_TENSOR_TYPE_S8}) {
    std::vector<uint8_t> output(input.size());
    ASSERT_EQ(hbDNNConvertLayout(output.data(), HB_DNN_LAYOUT_NCHW, input.data(),
                                 HB_DNN_LAYOUT_NHWC, type, ShapeIn(HB_DNN_LAYOUT_NHWC, e), false),
              0)
        << type;
    EXPECT_EQ(output[Offset(HB_DNN_LAYOUT_NCHW, e, 0, 2, 4, 1)],
              input[Offset(HB_DNN_LAYOUT_NHWC, e, 0, 2, 4, 1)]);
  }
}

TEST(ExtUtils, ConvertLayoutCopiesNv12OnlyWithinOneLayout) {
  const hbDNNTensorShape nchw = Shape({1, 3, 4, 6});  // 4x6 image: 24 Y + 12 UV bytes
  const std::vector<uint8_t> input = Pattern(36, 11);
  std::vector<uint8_t> output(40, 0xEE);
  ASSERT_EQ(hbDNNConvertLayout(output.data(), HB_DNN_LAYOUT_NCHW, input.data(), HB_DNN_LAYOUT_NCHW,
                               HB_DNN_IMG_TYPE_NV12, nchw, false),
            0)
      << LastDetail();
  EXPECT_TRUE(std::equal(input.begin(), input.end(), output.begin()));
  EXPECT_EQ(output[36], 0xEE);
  EXPECT_EQ(hbDNNConvertLayout(output.data(), HB_DNN_LAYOUT_NHWC, input.data(), HB_DNN_LAYOUT_NCHW,
                               HB_DNN_IMG_TYPE_NV12, nchw, false),
            kInvalid);
  EXPECT_EQ(hbDNNConvertLayout(output.data(), HB_DNN_LAYOUT_NCHW, input.data(), HB_DNN_LAYOUT_NCHW,
                               HB_DNN_IMG_TYPE_NV12, Shape({1, 3, 3, 6}), false),
            kInvalid);  // odd H
  EXPECT_EQ(hbDNNConvertLayout(output.data(), HB_DNN_LAYOUT_NCHW, input.data(), HB_DNN_LAYOUT_NCHW,
                               HB_DNN_IMG_TYPE_NV12, Shape({1, 1, 4, 6}), false),
            kInvalid);  // C != 3
  EXPECT_EQ(hbDNNConvertLayout(output.data(), HB_DNN_LAYOUT_NCHW, input.data(), HB_DNN_LAYOUT_NCHW,
                               HB_DNN_IMG_TYPE_NV12_SEPARATE, nchw, false),
            kInvalid);
}

TEST(ExtUtils, ConvertLayoutRejectsBadTypes) {
  const hbDNNTensorShape shape = Shape({1, 2, 2, 2});
  std::vector<uint8_t> input(64), output(64);
  for (int32_t type : {int32_t{HB_DNN_TENSOR_TYPE_S4}, int32_t{HB_DNN_TENSOR_TYPE_U4},
                       int32_t{HB_DNN_TENSOR_TYPE_MAX}, -1, 100}) {
    EXPECT_EQ(hbDNNConvertLayout(output.data(), HB_DNN_LAYOUT_NCHW, input.data(),
                                 HB_DNN_LAYOUT_NHWC, type, shape, false),
              kInvalid)
        << type;
    EXPECT_EQ(hbDNNConvertLayout(output.data(), HB_DNN_LAYOUT_NHWC, input.data(),
                                 HB_DNN_LAYOUT_NHWC, type, shape, false),
              kInvalid)
        << type;
  }
  EXPECT_NE(LastDetail().find("dataType 100"), std::string::npos) << LastDetail();
}

TEST(ExtUtils, ConvertLayoutRejectsBadLayouts) {
  const hbDNNTensorShape shape = Shape({1, 2, 2, 2});
  std::vector<uint8_t> input(8), output(8);
  for (int32_t layout : {static_cast<int32_t>(HB_DNN_LAYOUT_NONE), 3, 7, -1}) {
    EXPECT_EQ(hbDNNConvertLayout(output.data(), HB_DNN_LAYOUT_NHWC, input.data(), layout,
                                 HB_DNN_TENSOR_TYPE_U8, shape, false),
              kInvalid)
        << layout;
    EXPECT_EQ(hbDNNConvertLayout(output.data(), layout, input.data(), HB_DNN_LAYOUT_NHWC,
                                 HB_DNN_TENSOR_TYPE_U8, shape, false),
              kInvalid)
        << layout;
  }
  EXPECT_EQ(hbDNNConvertLayout(output.data(), HB_DNN_LAYOUT_NONE, input.data(), HB_DNN_LAYOUT_NONE,
                               HB_DNN_TENSOR_TYPE_U8, shape, false),
            kInvalid);
  EXPECT_NE(LastDetail().find("HB_DNN_LAYOUT_NONE"), std::string::npos) << LastDetail();
}

TEST(ExtUtils, ConvertLayoutRejectsBadShapesAndPointers) {
  std::vector<uint8_t> input(64), output(64);
  auto convert = [&](void* out, const void* in, const hbDNNTensorShape& shape) {
    return hbDNNConvertLayout(out, HB_DNN_LAYOUT_NCHW, in, HB_DNN_LAYOUT_NHWC,
                              HB_DNN_TENSOR_TYPE_U8, shape, false);
  };
  EXPECT_EQ(convert(output.data(), input.data(), Shape({2, 2, 2})), kInvalid);
  EXPECT_NE(LastDetail().find("inputShape.numDimensions 3 is not 4"), std::string::npos)
      << LastDetail();
  EXPECT_EQ(convert(output.data(), input.data(), Shape({})), kInvalid);
  hbDNNTensorShape nine = Shape({1, 1, 1, 1});
  nine.numDimensions = 9;
  EXPECT_EQ(convert(output.data(), input.data(), nine), kInvalid);
  EXPECT_EQ(convert(output.data(), input.data(), Shape({1, -2, 2, 2})), kInvalid);
  EXPECT_NE(LastDetail().find("inputShape.dimensionSize[1] -2"), std::string::npos) << LastDetail();
  EXPECT_EQ(convert(nullptr, input.data(), Shape({1, 2, 2, 2})), kInvalid);
  EXPECT_NE(LastDetail().find("output is null"), std::string::npos) << LastDetail();
  EXPECT_EQ(convert(output.data(), nullptr, Shape({1, 2, 2, 2})), kInvalid);
  EXPECT_NE(LastDetail().find("input is null"), std::string::npos) << LastDetail();
}

TEST(ExtUtils, ConvertLayoutRejectsOverlapUnlessElementsStayInPlace) {
  std::vector<uint8_t> buffer(128);
  const hbDNNTensorShape shape = Shape({1, 2, 3, 4});  // 24 elements
  // A permutation cannot run in place.
  EXPECT_EQ(hbDNNConvertLayout(buffer.data(), HB_DNN_LAYOUT_NCHW, buffer.data(), HB_DNN_LAYOUT_NHWC,
                               HB_DNN_TENSOR_TYPE_U8, shape, false),
            kInvalid);
  // Partial overlap is rejected even within one layout.
  EXPECT_EQ(hbDNNConvertLayout(buffer.data() + 1, HB_DNN_LAYOUT_NHWC, buffer.data(),
                               HB_DNN_LAYOUT_NHWC, HB_DNN_TENSOR_TYPE_U8, shape, false),
            kInvalid);
  EXPECT_NE(LastDetail().find("overlaps"), std::string::npos) << LastDetail();
  // Adjacent buffers do not overlap.
  EXPECT_EQ(hbDNNConvertLayout(buffer.data() + 24, HB_DNN_LAYOUT_NCHW, buffer.data(),
                               HB_DNN_LAYOUT_NHWC, HB_DNN_TENSOR_TYPE_U8, shape, false),
            0);
}

TEST(ExtUtils, RejectsSizesTooLargeForTheHost) {
  uint8_t buffer[16] = {};
  const int32_t big = std::numeric_limits<int32_t>::max();
  const hbDNNTensorShape huge = Shape({big, big, big, big});
  EXPECT_EQ(hbDNNConvertLayout(buffer + 8, HB_DNN_LAYOUT_NCHW, buffer, HB_DNN_LAYOUT_NHWC,
                               HB_DNN_TENSOR_TYPE_U8, huge, false),
            kInvalid);
  EXPECT_NE(LastDetail().find("too large"), std::string::npos) << LastDetail();
  EXPECT_EQ(hbDNNAddPadding(buffer + 8, huge, buffer, Shape({1, 1, 1, 1}), HB_DNN_TENSOR_TYPE_U8),
            kInvalid);
  EXPECT_EQ(hbDNNUnquantizeByScale(reinterpret_cast<float*>(buffer), HB_DNN_TENSOR_TYPE_S8, huge,
                                   reinterpret_cast<const float*>(buffer), buffer + 8),
            kInvalid);
  const uint32_t dim[] = {0xFFFFFFFFu, 0xFFFFFFFFu};
  const int32_t stride[] = {big, 1};
  EXPECT_EQ(hbDNNRemovePaddingWithStride(buffer + 8, buffer, 2, dim, stride, 1), kInvalid);
}

TEST(ExtUtils, ConvertLayoutOfEmptyTensorWritesNothing) {
  uint8_t input[1] = {1};
  uint8_t output[1] = {0xEE};
  EXPECT_EQ(hbDNNConvertLayout(output, HB_DNN_LAYOUT_NCHW, input, HB_DNN_LAYOUT_NHWC,
                               HB_DNN_TENSOR_TYPE_F32, Shape({1, 0, 3, 4}), false),
            0);
  EXPECT_EQ(output[0], 0xEE);
}

// ---- hbDNNConvertLayoutRoi --------------------------------------------------------------------

TEST(ExtUtils, ConvertLayoutRoiMatchesOracle) {
  const Nhwc e{2, 5, 3, 9};
  const Nhwc boxes[][2] = {{{0, 0, 0, 0}, {2, 5, 3, 9}},  // whole
                           {{1, 1, 0, 2}, {1, 3, 2, 5}},
                           {{0, 4, 2, 8}, {1, 1, 1, 1}},
                           {{1, 0, 1, 0}, {1, 5, 2, 9}}};
  for (const TypeCase& t : kTypes) {
    const std::vector<uint8_t> input = Pattern(Count(e) * t.size, 21);
    for (const auto& box : boxes) {
      const Nhwc& origin = box[0];
      const Nhwc& size = box[1];
      for (int32_t from : kLayouts) {
        for (int32_t to : kLayouts) {
          for (bool swap : {false, true}) {
            SCOPED_TRACE(::testing::Message()
                         << "size " << t.size << " from " << from << " to " << to << " origin "
                         << origin.n << origin.h << origin.w << origin.c << " swap " << swap);
            std::vector<uint8_t> output(Count(size) * t.size, 0xEE);
            ASSERT_EQ(hbDNNConvertLayoutRoi(output.data(), to, input.data(), from, t.type,
                                            ShapeIn(from, e), swap, Dim(origin), Dim(size)),
                      0)
                << LastDetail();
            std::vector<uint8_t> expected(output.size());
            for (int n = 0; n < size.n; ++n)
              for (int h = 0; h < size.h; ++h)
                for (int w = 0; w < size.w; ++w)
                  for (int c = 0; c < size.c; ++c)
                    OracleCopy(
                        expected, Offset(to, size, n, h, w, c), input,
                        Offset(from, e, origin.n + n, origin.h + h, origin.w + w, origin.c + c),
                        t.size, swap);
            EXPECT_EQ(output, expected);
          }
        }
      }
    }
  }
}

TEST(ExtUtils, ConvertLayoutRoiRejectsRegionsOutsideTheInput) {
  const Nhwc e{2, 5, 3, 9};
  const std::vector<uint8_t> input(Count(e) * 4);
  std::vector<uint8_t> output(input.size());
  auto roi = [&](const hbDNNDimension& coord, const hbDNNDimension& size) {
    return hbDNNConvertLayoutRoi(output.data(), HB_DNN_LAYOUT_NHWC, input.data(),
                                 HB_DNN_LAYOUT_NCHW, HB_DNN_TENSOR_TYPE_S32,
                                 ShapeIn(HB_DNN_LAYOUT_NCHW, e), false, coord, size);
  };
  EXPECT_EQ(roi(Dim({0, 0, 0, 0}), Dim({2, 5, 3, 9})), 0);
  EXPECT_EQ(roi(Dim({-1, 0, 0, 0}), Dim({1, 1, 1, 1})), kInvalid);
  EXPECT_EQ(roi(Dim({2, 0, 0, 0}), Dim({1, 1, 1, 1})), kInvalid);
  EXPECT_EQ(roi(Dim({0, 0, 0, 9}), Dim({1, 1, 1, 1})), kInvalid);
  EXPECT_NE(LastDetail().find("coord C 9 is outside 0..8"), std::string::npos) << LastDetail();
  EXPECT_EQ(roi(Dim({0, 0, 0, 0}), Dim({1, 0, 1, 1})), kInvalid);
  EXPECT_EQ(roi(Dim({0, 0, 0, 0}), Dim({1, 1, -1, 1})), kInvalid);
  EXPECT_EQ(roi(Dim({0, 3, 0, 0}), Dim({1, 3, 1, 1})), kInvalid);
  EXPECT_NE(LastDetail().find("size H 3 from coord H 3 exceeds"), std::string::npos)
      << LastDetail();
  EXPECT_EQ(roi(Dim({0, 0, 1, 0}), Dim({1, 1, 3, 1})), kInvalid);
  EXPECT_EQ(roi(Shape({0, 0, 0}), Dim({1, 1, 1, 1})), kInvalid);
  EXPECT_NE(LastDetail().find("coord.numDimensions 3"), std::string::npos) << LastDetail();
  EXPECT_EQ(roi(Dim({0, 0, 0, 0}), Shape({1, 1, 1, 1, 1})), kInvalid);
}

TEST(ExtUtils, ConvertLayoutRoiRejectsBadArguments) {
  const hbDNNTensorShape shape = Shape({1, 2, 2, 2});
  std::vector<uint8_t> input(8), output(8);
  const hbDNNDimension coord = Dim({0, 0, 0, 0});
  const hbDNNDimension size = Dim({1, 1, 1, 1});
  EXPECT_EQ(hbDNNConvertLayoutRoi(nullptr, HB_DNN_LAYOUT_NHWC, input.data(), HB_DNN_LAYOUT_NHWC,
                                  HB_DNN_TENSOR_TYPE_U8, shape, false, coord, size),
            kInvalid);
  EXPECT_EQ(hbDNNConvertLayoutRoi(output.data(), HB_DNN_LAYOUT_NHWC, nullptr, HB_DNN_LAYOUT_NHWC,
                                  HB_DNN_TENSOR_TYPE_U8, shape, false, coord, size),
            kInvalid);
  EXPECT_EQ(
      hbDNNConvertLayoutRoi(output.data(), HB_DNN_LAYOUT_NONE, input.data(), HB_DNN_LAYOUT_NHWC,
                            HB_DNN_TENSOR_TYPE_U8, shape, false, coord, size),
      kInvalid);
  EXPECT_EQ(hbDNNConvertLayoutRoi(output.data(), HB_DNN_LAYOUT_NHWC, input.data(), 5,
                                  HB_DNN_TENSOR_TYPE_U8, shape, false, coord, size),
            kInvalid);
  EXPECT_EQ(
      hbDNNConvertLayoutRoi(output.data(), HB_DNN_LAYOUT_NHWC, input.data(), HB_DNN_LAYOUT_NHWC,
                            HB_DNN_IMG_TYPE_NV12, shape, false, coord, size),
      kInvalid);
  EXPECT_EQ(
      hbDNNConvertLayoutRoi(output.data(), HB_DNN_LAYOUT_NHWC, input.data(), HB_DNN_LAYOUT_NHWC,
                            HB_DNN_TENSOR_TYPE_U4, shape, false, coord, size),
      kInvalid);
  EXPECT_EQ(
      hbDNNConvertLayoutRoi(output.data(), HB_DNN_LAYOUT_NHWC, input.data(), HB_DNN_LAYOUT_NHWC,
                            HB_DNN_TENSOR_TYPE_U8, Shape({2, 2, 2}), false, coord, size),
      kInvalid);
  // The region output may not overlap the input.
  EXPECT_EQ(
      hbDNNConvertLayoutRoi(input.data() + 1, HB_DNN_LAYOUT_NHWC, input.data(), HB_DNN_LAYOUT_NHWC,
                            HB_DNN_TENSOR_TYPE_U8, shape, false, coord, size),
      kInvalid);
}

// ---- hbDNNConvertLayoutToNative1HW1 / 111C / 1111 ---------------------------------------------

TEST(ExtUtils, ToNative1HW1ExtractsEveryPlane) {
  for (const Nhwc& e : kShapes) {
    for (const TypeCase& t : kTypes) {
      const std::vector<uint8_t> input = Pattern(Count(e) * t.size, 31);
      for (int32_t from : kLayouts) {
        for (bool swap : {false, true}) {
          for (int n = 0; n < e.n; ++n) {
            for (int c = 0; c < e.c; ++c) {
              std::vector<uint8_t> output(static_cast<size_t>(e.h) * e.w * t.size);
              ASSERT_EQ(hbDNNConvertLayoutToNative1HW1(output.data(), input.data(), from, t.type,
                                                       ShapeIn(from, e), swap, n, c),
                        0)
                  << LastDetail();
              std::vector<uint8_t> expected(output.size());
              for (int h = 0; h < e.h; ++h)
                for (int w = 0; w < e.w; ++w)
                  OracleCopy(expected, static_cast<size_t>(h) * e.w + w, input,
                             Offset(from, e, n, h, w, c), t.size, swap);
              ASSERT_EQ(output, expected) << "from " << from << " n " << n << " c " << c;
            }
          }
        }
      }
    }
  }
}

TEST(ExtUtils, ToNative111CExtractsEveryChannelVector) {
  for (const Nhwc& e : kShapes) {
    for (const TypeCase& t : kTypes) {
      const std::vector<uint8_t> input = Pattern(Count(e) * t.size, 41);
      for (int32_t from : kLayouts) {
        for (bool swap : {false, true}) {
          for (int n = 0; n < e.n; ++n) {
            for (int h = 0; h < e.h; ++h) {
              for (int w = 0; w < e.w; ++w) {
                std::vector<uint8_t> output(static_cast<size_t>(e.c) * t.size);
                ASSERT_EQ(hbDNNConvertLayoutToNative111C(output.data(), input.data(), from, t.type,
                                                         ShapeIn(from, e), swap, n, h, w),
                          0)
                    << LastDetail();
                std::vector<uint8_t> expected(output.size());
                for (int c = 0; c < e.c; ++c)
                  OracleCopy(expected, c, input, Offset(from, e, n, h, w, c), t.size, swap);
                ASSERT_EQ(output, expected) << "from " << from << " n,h,w " << n << h << w;
              }
            }
          }
        }
      }
    }
  }
}

TEST(ExtUtils, ToNative1111ExtractsEveryPoint) {
  const Nhwc e{2, 5, 3, 9};
  for (const TypeCase& t : kTypes) {
    const std::vector<uint8_t> input = Pattern(Count(e) * t.size, 51);
    for (int32_t from : kLayouts) {
      for (int n = 0; n < e.n; ++n)
        for (int h = 0; h < e.h; ++h)
          for (int w = 0; w < e.w; ++w)
            for (int c = 0; c < e.c; ++c) {
              std::vector<uint8_t> output(t.size);
              ASSERT_EQ(hbDNNConvertLayoutToNative1111(output.data(), input.data(), from, t.type,
                                                       ShapeIn(from, e), true, Dim({n, h, w, c})),
                        0)
                  << LastDetail();
              std::vector<uint8_t> expected(t.size);
              OracleCopy(expected, 0, input, Offset(from, e, n, h, w, c), t.size, true);
              ASSERT_EQ(output, expected);
            }
    }
  }
}

TEST(ExtUtils, ToNativeRejectsBadArguments) {
  const Nhwc e{2, 5, 3, 9};
  const hbDNNTensorShape nchw = ShapeIn(HB_DNN_LAYOUT_NCHW, e);
  const std::vector<uint8_t> input(Count(e) * 2);
  std::vector<uint8_t> output(input.size());
  const int32_t u16 = HB_DNN_TENSOR_TYPE_U16;
  const int32_t layout = HB_DNN_LAYOUT_NCHW;

  EXPECT_EQ(
      hbDNNConvertLayoutToNative1HW1(output.data(), input.data(), layout, u16, nchw, false, 2, 0),
      kInvalid);
  EXPECT_NE(LastDetail().find("nIndex 2 is outside 0..1"), std::string::npos) << LastDetail();
  EXPECT_EQ(
      hbDNNConvertLayoutToNative1HW1(output.data(), input.data(), layout, u16, nchw, false, 0, 9),
      kInvalid);
  EXPECT_EQ(hbDNNConvertLayoutToNative1HW1(nullptr, input.data(), layout, u16, nchw, false, 0, 0),
            kInvalid);
  EXPECT_EQ(hbDNNConvertLayoutToNative1HW1(output.data(), nullptr, layout, u16, nchw, false, 0, 0),
            kInvalid);
  EXPECT_EQ(hbDNNConvertLayoutToNative1HW1(output.data(), input.data(), HB_DNN_LAYOUT_NONE, u16,
                                           nchw, false, 0, 0),
            kInvalid);
  EXPECT_EQ(hbDNNConvertLayoutToNative1HW1(output.data(), input.data(), layout,
                                           HB_DNN_TENSOR_TYPE_S4, nchw, false, 0, 0),
            kInvalid);
  EXPECT_EQ(hbDNNConvertLayoutToNative1HW1(output.data(), input.data(), layout, u16,
                                           Shape({2, 9, 5}), false, 0, 0),
            kInvalid);

  EXPECT_EQ(hbDNNConvertLayoutToNative111C(output.data(), input.data(), layout, u16, nchw, false, 0,
                                           5, 0),
            kInvalid);
  EXPECT_EQ(hbDNNConvertLayoutToNative111C(output.data(), input.data(), layout, u16, nchw, false, 0,
                                           0, 3),
            kInvalid);
  EXPECT_EQ(hbDNNConvertLayoutToNative111C(output.data(), input.data(), layout, u16, nchw, false,
                                           0xFFFFFFFFu, 0, 0),
            kInvalid);
  EXPECT_EQ(
      hbDNNConvertLayoutToNative111C(output.data(), input.data(), 9, u16, nchw, false, 0, 0, 0),
      kInvalid);
  EXPECT_EQ(
      hbDNNConvertLayoutToNative111C(output.data(), input.data(), layout, 77, nchw, false, 0, 0, 0),
      kInvalid);

  EXPECT_EQ(hbDNNConvertLayoutToNative1111(output.data(), input.data(), layout, u16, nchw, false,
                                           Dim({1, 4, 2, 9})),
            kInvalid);
  EXPECT_EQ(hbDNNConvertLayoutToNative1111(output.data(), input.data(), layout, u16, nchw, false,
                                           Dim({1, 4, -1, 0})),
            kInvalid);
  EXPECT_EQ(hbDNNConvertLayoutToNative1111(output.data(), input.data(), layout, u16, nchw, false,
                                           Shape({1, 4, 2})),
            kInvalid);
  EXPECT_EQ(hbDNNConvertLayoutToNative1111(output.data(), nullptr, layout, u16, nchw, false,
                                           Dim({0, 0, 0, 0})),
            kInvalid);
}

// ---- hbDNNAddPaddingWithStride / hbDNNRemovePaddingWithStride ---------------------------------

struct StridedCase {
  std::vector<uint32_t> dim;
  std::vector<int32_t> stride;  // bytes
};

// Padded layouts with slack at every level, including between elements.
std::vector<StridedCase> StridedCases(uint32_t element_size) {
  const int32_t es = static_cast<int32_t>(element_size);
  std::vector<StridedCase> cases;
  cases.push_back({{7}, {es + 1}});
  cases.push_back({{3, 5}, {5 * es + 3, es}});
  const int32_t s2 = 2 * es;
  const int32_t s1 = 5 * s2 + 3;
  cases.push_back({{2, 3, 5}, {3 * s1 + 7, s1, s2}});
  cases.push_back({{1, 3, 5, 7}, {3 * 5 * 7 * es, 5 * 7 * es, 7 * es, es}});  // compact
  return cases;
}

// Byte offset of compact element `index` in the strided layout of `sc`.
size_t StridedOffset(const StridedCase& sc, size_t index) {
  size_t offset = 0;
  for (size_t k = sc.dim.size(); k-- > 0;) {
    offset += (index % sc.dim[k]) * static_cast<size_t>(sc.stride[k]);
    index /= sc.dim[k];
  }
  return offset;
}

size_t DimCount(const StridedCase& sc) {
  size_t count = 1;
  for (uint32_t d : sc.dim) count *= d;
  return count;
}

TEST(ExtUtils, AddPaddingWithStrideMatchesOracle) {
  for (uint32_t es : {1u, 2u, 3u, 4u, 8u}) {
    for (const StridedCase& sc : StridedCases(es)) {
      const size_t count = DimCount(sc);
      const std::vector<uint8_t> input = Pattern(count * es, es);
      const size_t extent = sc.dim[0] * static_cast<size_t>(sc.stride[0]);
      std::vector<uint8_t> output(extent + 16, 0xEE);
      ASSERT_EQ(hbDNNAddPaddingWithStride(output.data(), input.data(),
                                          static_cast<uint32_t>(sc.dim.size()), sc.dim.data(),
                                          sc.stride.data(), es),
                0)
          << LastDetail();
      std::vector<uint8_t> expected(extent, 0);  // padding is zero
      for (size_t i = 0; i < count; ++i) {
        std::memcpy(&expected[StridedOffset(sc, i)], &input[i * es], es);
      }
      expected.resize(extent + 16, 0xEE);  // nothing is written past dim[0] * stride[0]
      EXPECT_EQ(output, expected) << "elementSize " << es << " rank " << sc.dim.size();
    }
  }
}

TEST(ExtUtils, RemovePaddingWithStrideMatchesOracleAndRoundTrips) {
  for (uint32_t es : {1u, 2u, 3u, 4u, 8u}) {
    for (const StridedCase& sc : StridedCases(es)) {
      const size_t count = DimCount(sc);
      const size_t extent = sc.dim[0] * static_cast<size_t>(sc.stride[0]);
      const std::vector<uint8_t> padded = Pattern(extent, 100 + es);  // garbage in the padding
      std::vector<uint8_t> output(count * es, 0xEE);
      ASSERT_EQ(hbDNNRemovePaddingWithStride(output.data(), padded.data(),
                                             static_cast<uint32_t>(sc.dim.size()), sc.dim.data(),
                                             sc.stride.data(), es),
                0)
          << LastDetail();
      std::vector<uint8_t> expected(count * es);
      for (size_t i = 0; i < count; ++i) {
        std::memcpy(&expected[i * es], &padded[StridedOffset(sc, i)], es);
      }
      EXPECT_EQ(output, expected);

      std::vector<uint8_t> repadded(extent);
      std::vector<uint8_t> back(count * es);
      ASSERT_EQ(hbDNNAddPaddingWithStride(repadded.data(), output.data(),
                                          static_cast<uint32_t>(sc.dim.size()), sc.dim.data(),
                                          sc.stride.data(), es),
                0);
      ASSERT_EQ(hbDNNRemovePaddingWithStride(back.data(), repadded.data(),
                                             static_cast<uint32_t>(sc.dim.size()), sc.dim.data(),
                                             sc.stride.data(), es),
                0);
      EXPECT_EQ(back, output);
    }
  }
}

TEST(ExtUtils, PaddingWithStrideAllowsInPlaceOnlyForCompactStrides) {
  const uint32_t dim[] = {3, 4};
  const int32_t compact[] = {8, 2};
  const int32_t padded[] = {10, 2};
  std::vector<uint8_t> data = Pattern(32, 61);
  const std::vector<uint8_t> original = data;
  EXPECT_EQ(hbDNNAddPaddingWithStride(data.data(), data.data(), 2, dim, compact, 2), 0);
  EXPECT_EQ(hbDNNRemovePaddingWithStride(data.data(), data.data(), 2, dim, compact, 2), 0);
  EXPECT_EQ(data, original);
  EXPECT_EQ(hbDNNAddPaddingWithStride(data.data(), data.data(), 2, dim, padded, 2), kInvalid);
  EXPECT_EQ(hbDNNRemovePaddingWithStride(data.data(), data.data(), 2, dim, padded, 2), kInvalid);
  EXPECT_EQ(hbDNNAddPaddingWithStride(data.data() + 1, data.data(), 2, dim, compact, 2), kInvalid);
}

TEST(ExtUtils, PaddingWithStrideRejectsBadArguments) {
  std::vector<uint8_t> in(256), out(256);
  const uint32_t dim[] = {2, 3, 4};
  const int32_t stride[] = {48, 16, 4};
  for (auto* fn : {&hbDNNAddPaddingWithStride, &hbDNNRemovePaddingWithStride}) {
    EXPECT_EQ(fn(out.data(), in.data(), 3, dim, stride, 4), 0);
    EXPECT_EQ(fn(nullptr, in.data(), 3, dim, stride, 4), kInvalid);
    EXPECT_EQ(fn(out.data(), nullptr, 3, dim, stride, 4), kInvalid);
    EXPECT_EQ(fn(out.data(), in.data(), 3, nullptr, stride, 4), kInvalid);
    EXPECT_NE(LastDetail().find("dim is null"), std::string::npos) << LastDetail();
    EXPECT_EQ(fn(out.data(), in.data(), 3, dim, nullptr, 4), kInvalid);
    EXPECT_EQ(fn(out.data(), in.data(), 0, dim, stride, 4), kInvalid);
    EXPECT_NE(LastDetail().find("dimNum 0"), std::string::npos) << LastDetail();
    EXPECT_EQ(fn(out.data(), in.data(), 9, dim, stride, 4), kInvalid);
    EXPECT_EQ(fn(out.data(), in.data(), 3, dim, stride, 0), kInvalid);
    EXPECT_NE(LastDetail().find("elementSize is 0"), std::string::npos) << LastDetail();
    const int32_t negative[] = {48, -16, 4};
    EXPECT_EQ(fn(out.data(), in.data(), 3, dim, negative, 4), kInvalid);
    const int32_t element_too_small[] = {48, 16, 2};
    EXPECT_EQ(fn(out.data(), in.data(), 3, dim, element_too_small, 4), kInvalid);
    EXPECT_NE(LastDetail().find("stride[2] 2 is smaller than elementSize 4"), std::string::npos)
        << LastDetail();
    const int32_t row_too_small[] = {48, 12, 4};
    EXPECT_EQ(fn(out.data(), in.data(), 3, dim, row_too_small, 4), kInvalid);
    EXPECT_NE(LastDetail().find("stride[1] 12 is smaller than dim[2] * stride[2] = 16"),
              std::string::npos)
        << LastDetail();
    const int32_t outer_too_small[] = {47, 16, 4};
    EXPECT_EQ(fn(out.data(), in.data(), 3, dim, outer_too_small, 4), kInvalid);
  }
}

// ---- hbDNNAddPadding / hbDNNRemovePadding -----------------------------------------------------

TEST(ExtUtils, AddAndRemovePaddingMatchOracleAndRoundTrip) {
  const std::pair<std::array<int32_t, 4>, std::array<int32_t, 4>> cases[] = {
      {{1, 3, 5, 7}, {2, 4, 8, 9}}, {{2, 5, 3, 9}, {2, 5, 4, 16}}, {{1, 3, 5, 7}, {1, 3, 5, 7}}};
  for (const TypeCase& t : kTypes) {
    for (const auto& [v, p] : cases) {
      const hbDNNTensorShape valid = Shape({v[0], v[1], v[2], v[3]});
      const hbDNNTensorShape padded = Shape({p[0], p[1], p[2], p[3]});
      const size_t valid_count = static_cast<size_t>(v[0]) * v[1] * v[2] * v[3];
      const size_t padded_count = static_cast<size_t>(p[0]) * p[1] * p[2] * p[3];
      const std::vector<uint8_t> input = Pattern(valid_count * t.size, 71);
      std::vector<uint8_t> output(padded_count * t.size, 0xEE);
      ASSERT_EQ(hbDNNAddPadding(output.data(), padded, input.data(), valid, t.type), 0)
          << LastDetail();
      std::vector<uint8_t> expected(output.size(), 0);
      for (int a = 0; a < v[0]; ++a)
        for (int b = 0; b < v[1]; ++b)
          for (int c = 0; c < v[2]; ++c)
            for (int d = 0; d < v[3]; ++d) {
              const size_t src = ((static_cast<size_t>(a) * v[1] + b) * v[2] + c) * v[3] + d;
              const size_t dst = ((static_cast<size_t>(a) * p[1] + b) * p[2] + c) * p[3] + d;
              OracleCopy(expected, dst, input, src, t.size, false);
            }
      EXPECT_EQ(output, expected) << "size " << t.size;

      std::vector<uint8_t> back(input.size(), 0xEE);
      ASSERT_EQ(hbDNNRemovePadding(back.data(), valid, output.data(), padded, t.type), 0)
          << LastDetail();
      EXPECT_EQ(back, input);
    }
  }
}

TEST(ExtUtils, RemovePaddingIgnoresPaddingContent) {
  const hbDNNTensorShape valid = Shape({1, 2, 3, 3});
  const hbDNNTensorShape padded = Shape({1, 2, 4, 5});
  const std::vector<uint8_t> input = Pattern(40, 81);
  std::vector<uint8_t> output(18);
  ASSERT_EQ(hbDNNRemovePadding(output.data(), valid, input.data(), padded, HB_DNN_TENSOR_TYPE_S8),
            0);
  for (int b = 0; b < 2; ++b)
    for (int c = 0; c < 3; ++c)
      for (int d = 0; d < 3; ++d)
        EXPECT_EQ(output[(b * 3 + c) * 3 + d], input[(b * 4 + c) * 5 + d]);
}

TEST(ExtUtils, PaddingRejectsBadArguments) {
  std::vector<uint8_t> in(4096), out(4096);
  const hbDNNTensorShape valid = Shape({1, 3, 5, 7});
  const hbDNNTensorShape padded = Shape({1, 4, 8, 8});
  const int32_t f32 = HB_DNN_TENSOR_TYPE_F32;
  EXPECT_EQ(hbDNNAddPadding(nullptr, padded, in.data(), valid, f32), kInvalid);
  EXPECT_EQ(hbDNNAddPadding(out.data(), padded, nullptr, valid, f32), kInvalid);
  EXPECT_EQ(hbDNNRemovePadding(nullptr, valid, in.data(), padded, f32), kInvalid);
  EXPECT_EQ(hbDNNRemovePadding(out.data(), valid, nullptr, padded, f32), kInvalid);
  // Padded smaller than valid (Add's output / Remove's input).
  EXPECT_EQ(hbDNNAddPadding(out.data(), Shape({1, 4, 4, 8}), in.data(), valid, f32), kInvalid);
  EXPECT_NE(LastDetail().find("outputShape.dimensionSize[2] 4 is smaller than "
                              "inputShape.dimensionSize[2] 5"),
            std::string::npos)
      << LastDetail();
  EXPECT_EQ(hbDNNRemovePadding(out.data(), valid, in.data(), Shape({1, 4, 8, 6}), f32), kInvalid);
  EXPECT_NE(LastDetail().find("inputShape.dimensionSize[3] 6"), std::string::npos) << LastDetail();
  // Not 4-D, negative.
  EXPECT_EQ(hbDNNAddPadding(out.data(), Shape({4, 8, 8}), in.data(), valid, f32), kInvalid);
  EXPECT_EQ(hbDNNAddPadding(out.data(), padded, in.data(), Shape({3, 5, 7}), f32), kInvalid);
  EXPECT_EQ(hbDNNRemovePadding(out.data(), Shape({1, 3, 5, 7, 1}), in.data(), padded, f32),
            kInvalid);
  EXPECT_EQ(hbDNNAddPadding(out.data(), padded, in.data(), Shape({1, -3, 5, 7}), f32), kInvalid);
  // Types without a byte element size.
  for (int32_t type : {int32_t{HB_DNN_TENSOR_TYPE_S4}, int32_t{HB_DNN_TENSOR_TYPE_U4},
                       int32_t{HB_DNN_IMG_TYPE_NV12}, int32_t{HB_DNN_IMG_TYPE_NV12_SEPARATE},
                       int32_t{HB_DNN_TENSOR_TYPE_MAX}, -5}) {
    EXPECT_EQ(hbDNNAddPadding(out.data(), padded, in.data(), valid, type), kInvalid) << type;
    EXPECT_EQ(hbDNNRemovePadding(out.data(), valid, in.data(), padded, type), kInvalid) << type;
  }
  // Overlap.
  EXPECT_EQ(hbDNNAddPadding(in.data(), padded, in.data(), valid, f32), kInvalid);
  EXPECT_EQ(hbDNNAddPadding(in.data(), valid, in.data(), valid, f32), 0);
}

// ---- hbDNNConvertEndianness -------------------------------------------------------------------

TEST(ExtUtils, ConvertEndiannessReversesTheRange) {
  for (uint32_t size : {1u, 2u, 3u, 4u, 8u, 9u, 64u}) {
    const std::vector<uint8_t> input = Pattern(size, size);
    std::vector<uint8_t> output(size + 1, 0xEE);
    ASSERT_EQ(hbDNNConvertEndianness(output.data(), input.data(), size), 0);
    for (uint32_t i = 0; i < size; ++i) EXPECT_EQ(output[i], input[size - 1 - i]);
    EXPECT_EQ(output[size], 0xEE);

    std::vector<uint8_t> in_place = input;
    ASSERT_EQ(hbDNNConvertEndianness(in_place.data(), in_place.data(), size), 0);
    EXPECT_TRUE(std::equal(in_place.begin(), in_place.end(), output.begin()));
    ASSERT_EQ(hbDNNConvertEndianness(in_place.data(), in_place.data(), size), 0);
    EXPECT_EQ(in_place, input);  // its own inverse
  }
  const uint32_t word = 0x11223344u;
  uint32_t swapped = 0;
  ASSERT_EQ(hbDNNConvertEndianness(&swapped, &word, 4), 0);
  EXPECT_EQ(swapped, 0x44332211u);
}

TEST(ExtUtils, ConvertEndiannessRejectsNullAndPartialOverlap) {
  std::vector<uint8_t> buffer(16);
  EXPECT_EQ(hbDNNConvertEndianness(nullptr, buffer.data(), 4), kInvalid);
  EXPECT_EQ(hbDNNConvertEndianness(buffer.data(), nullptr, 4), kInvalid);
  EXPECT_EQ(hbDNNConvertEndianness(buffer.data() + 2, buffer.data(), 4), kInvalid);
  EXPECT_NE(LastDetail().find("overlaps"), std::string::npos) << LastDetail();
  EXPECT_EQ(hbDNNConvertEndianness(buffer.data(), buffer.data() + 3, 4), kInvalid);
  EXPECT_EQ(hbDNNConvertEndianness(buffer.data() + 4, buffer.data(), 4), 0);  // adjacent
  EXPECT_EQ(hbDNNConvertEndianness(buffer.data(), buffer.data() + 1, 0), 0);  // empty
}

// ---- hbDNNUnquantizeByScale -------------------------------------------------------------------

template <typename T>
void CheckUnquantize(int32_t type, const hbDNNTensorShape& shape) {
  size_t count = 1;
  for (int i = 0; i < shape.numDimensions; ++i) count *= shape.dimensionSize[i];
  const size_t channels = shape.dimensionSize[shape.numDimensions - 1];
  std::vector<T> input(count);
  const std::vector<uint8_t> bytes = Pattern(count * sizeof(T), static_cast<uint32_t>(type));
  std::memcpy(input.data(), bytes.data(), bytes.size());
  input[0] = std::numeric_limits<T>::min();
  input[count - 1] = std::numeric_limits<T>::max();
  std::vector<float> scales(channels);
  for (size_t c = 0; c < channels; ++c) scales[c] = 0.03125f * static_cast<float>(c + 1);
  std::vector<float> output(count, -1.0f);
  ASSERT_EQ(hbDNNUnquantizeByScale(output.data(), type, shape, scales.data(), input.data()), 0)
      << LastDetail();
  for (size_t i = 0; i < count; ++i) {
    ASSERT_EQ(output[i], static_cast<float>(input[i]) * scales[i % channels])
        << "type " << type << " index " << i;
  }
}

TEST(ExtUtils, UnquantizeByScaleAppliesPerChannelScales) {
  for (const hbDNNTensorShape& shape :
       {Shape({2, 3, 5, 7}), Shape({1, 5, 3, 9}), Shape({6, 4}), Shape({5})}) {
    CheckUnquantize<int8_t>(HB_DNN_TENSOR_TYPE_S8, shape);
    CheckUnquantize<uint8_t>(HB_DNN_TENSOR_TYPE_U8, shape);
    CheckUnquantize<int16_t>(HB_DNN_TENSOR_TYPE_S16, shape);
    CheckUnquantize<uint16_t>(HB_DNN_TENSOR_TYPE_U16, shape);
    CheckUnquantize<int32_t>(HB_DNN_TENSOR_TYPE_S32, shape);
    CheckUnquantize<uint32_t>(HB_DNN_TENSOR_TYPE_U32, shape);
  }
}

TEST(ExtUtils, UnquantizeByScaleInPlaceForFourByteIntegers) {
  std::vector<int32_t> data = {-4, 3, 100, -7, 0, 9};
  const std::vector<int32_t> original = data;
  const float scales[] = {0.5f, 0.25f, 2.0f};
  auto* as_float = reinterpret_cast<float*>(data.data());
  ASSERT_EQ(hbDNNUnquantizeByScale(as_float, HB_DNN_TENSOR_TYPE_S32, Shape({1, 1, 2, 3}), scales,
                                   data.data()),
            0);
  for (size_t i = 0; i < original.size(); ++i) {
    float value = 0;
    std::memcpy(&value, &data[i], sizeof(value));
    EXPECT_EQ(value, static_cast<float>(original[i]) * scales[i % 3]);
  }
  std::vector<int8_t> bytes(16);
  EXPECT_EQ(hbDNNUnquantizeByScale(reinterpret_cast<float*>(bytes.data()), HB_DNN_TENSOR_TYPE_S8,
                                   Shape({1, 1, 1, 4}), scales, bytes.data()),
            kInvalid);
}

TEST(ExtUtils, UnquantizeByScaleRejectsBadArguments) {
  std::vector<int32_t> input(64);
  std::vector<float> output(64);
  const float scales[8] = {1, 1, 1, 1, 1, 1, 1, 1};
  const hbDNNTensorShape shape = Shape({1, 2, 2, 8});
  for (int32_t type : {int32_t{HB_DNN_TENSOR_TYPE_F32}, int32_t{HB_DNN_TENSOR_TYPE_F16},
                       int32_t{HB_DNN_TENSOR_TYPE_F64}, int32_t{HB_DNN_TENSOR_TYPE_S64},
                       int32_t{HB_DNN_TENSOR_TYPE_U64}, int32_t{HB_DNN_TENSOR_TYPE_S4},
                       int32_t{HB_DNN_TENSOR_TYPE_U4}, int32_t{HB_DNN_IMG_TYPE_NV12},
                       int32_t{HB_DNN_IMG_TYPE_RGB}, int32_t{HB_DNN_TENSOR_TYPE_MAX}, -1}) {
    EXPECT_EQ(hbDNNUnquantizeByScale(output.data(), type, shape, scales, input.data()), kInvalid)
        << type;
  }
  EXPECT_NE(LastDetail().find("inputDataType"), std::string::npos) << LastDetail();
  const int32_t s32 = HB_DNN_TENSOR_TYPE_S32;
  EXPECT_EQ(hbDNNUnquantizeByScale(nullptr, s32, shape, scales, input.data()), kInvalid);
  EXPECT_EQ(hbDNNUnquantizeByScale(output.data(), s32, shape, nullptr, input.data()), kInvalid);
  EXPECT_NE(LastDetail().find("scales is null"), std::string::npos) << LastDetail();
  EXPECT_EQ(hbDNNUnquantizeByScale(output.data(), s32, shape, scales, nullptr), kInvalid);
  EXPECT_EQ(hbDNNUnquantizeByScale(output.data(), s32, Shape({}), scales, input.data()), kInvalid);
  hbDNNTensorShape nine = Shape({1, 1, 1, 1, 1, 1, 1, 1});
  nine.numDimensions = 9;
  EXPECT_EQ(hbDNNUnquantizeByScale(output.data(), s32, nine, scales, input.data()), kInvalid);
  EXPECT_NE(LastDetail().find("inputShape.numDimensions 9 is outside 1..8"), std::string::npos)
      << LastDetail();
  EXPECT_EQ(hbDNNUnquantizeByScale(output.data(), s32, Shape({1, 2, -2, 8}), scales, input.data()),
            kInvalid);
}

}  // namespace
