# Install rules: public headers, libdnn.so / libdnn.a, and a CMake package so that
# `find_package(hb_dnn)` gives the targets hb_dnn::dnn and hb_dnn::dnn_static.
include(CMakePackageConfigHelpers)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.h")
install(TARGETS dnn dnn_static EXPORT hb_dnnTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT hb_dnnTargets NAMESPACE hb_dnn::
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/hb_dnn)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/HbDnnConfig.cmake.in
  ${PROJECT_BINARY_DIR}/hb_dnnConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/hb_dnn)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/hb_dnnConfigVersion.cmake
  COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/hb_dnnConfig.cmake ${PROJECT_BINARY_DIR}/hb_dnnConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/hb_dnn)
