# Warnings, symbol visibility and sanitizer flags shared by every target.
set(CMAKE_CXX_VISIBILITY_PRESET hidden)
set(CMAKE_C_VISIBILITY_PRESET hidden)
set(CMAKE_VISIBILITY_INLINES_HIDDEN ON)

add_compile_options(-Wall -Wextra)
if(HB_DNN_WERROR)
  add_compile_options(-Werror)
endif()

if(HB_DNN_SANITIZE STREQUAL "address")
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
elseif(HB_DNN_SANITIZE STREQUAL "thread")
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer)
  add_link_options(-fsanitize=thread)
elseif(NOT HB_DNN_SANITIZE STREQUAL "")
  message(FATAL_ERROR "HB_DNN_SANITIZE must be empty, 'address' or 'thread', not '${HB_DNN_SANITIZE}'")
endif()
