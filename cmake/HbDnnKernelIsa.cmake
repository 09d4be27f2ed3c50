# Per-ISA translation units for the optimized kernels (DESIGN §6, style_anchors §10.6): each
# variant's sources are compiled with that ISA's flags and nothing else is, so the rest of the
# library runs on any x86-64 (or other) CPU; ukernel_config.cc picks a variant at run time.
#
#   hb_dnn_add_isa_sources(<target> <isa> <source>...)
#     isa: scalar (baseline flags), avx2 (AVX2 + FMA3), avx512 (x86-64-v4: AVX-512 F, CD, DQ,
#     BW, VL) or avx512vnni (avx512 plus AVX-512 VNNI). Adds the sources to <target>; the x86
#     variants' sources only when HB_DNN_HAVE_X86_ISAS.
#
# HB_DNN_HAVE_X86_ISAS is ON for x86-64 targets; the kernels library exports it as a compile
# definition so that the variant lists (*.inc) include exactly the compiled variants.

if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$")
  set(HB_DNN_HAVE_X86_ISAS ON)
else()
  set(HB_DNN_HAVE_X86_ISAS OFF)
endif()

function(hb_dnn_add_isa_sources target isa)
  set(sources ${ARGN})
  set(flags "")
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # Microkernels copy and zero short runs (rows of a few dozen floats); GCC would turn those
    # loops into memcpy/memset calls that cost more than the copies.
    list(APPEND flags -fno-tree-loop-distribute-patterns)
  endif()
  if(isa STREQUAL "scalar")
  elseif(isa STREQUAL "avx2")
    list(APPEND flags -mavx2 -mfma)
  elseif(isa STREQUAL "avx512" OR isa STREQUAL "avx512vnni")
    list(APPEND flags -march=x86-64-v4)
    if(isa STREQUAL "avx512vnni")
      list(APPEND flags -mavx512vnni)
    endif()
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
      # GCC 12 warns inside its own AVX-512 min/max intrinsics (_mm512_undefined_ps, GCC PR
      # 105593); the warning is about the header, not our code.
      list(APPEND flags -Wno-maybe-uninitialized)
    endif()
  else()
    message(FATAL_ERROR
            "hb_dnn_add_isa_sources: unknown isa '${isa}' (scalar, avx2, avx512, avx512vnni)")
  endif()
  if(NOT isa STREQUAL "scalar" AND NOT HB_DNN_HAVE_X86_ISAS)
    return()
  endif()
  target_sources(${target} PRIVATE ${sources})
  if(flags)
    set_source_files_properties(${sources} TARGET_DIRECTORY ${target}
                                PROPERTIES COMPILE_OPTIONS "${flags}")
  endif()
endfunction()
