# Every HB_DNN_* build option, in one place.
option(HB_DNN_BUILD_TESTS "Build the GoogleTest suites and register them with CTest" ON)
option(HB_DNN_BUILD_BENCH "Build the Google Benchmark programs under bench/" ON)
option(HB_DNN_WERROR "Treat compiler warnings as errors" OFF)
set(HB_DNN_SANITIZE "" CACHE STRING "Sanitizer set: empty, 'address' (ASan+UBSan) or 'thread' (TSan)")
set_property(CACHE HB_DNN_SANITIZE PROPERTY STRINGS "" address thread)
