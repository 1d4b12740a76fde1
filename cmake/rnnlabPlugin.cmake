# rnnlab_add_plugin(NAME KIND <task|rule|optimizer|analysis|initializer> SOURCES src...)
#
# Builds one rnnlab plugin as a MODULE library. Inside the rnnlab tree it is
# written to build/lib/rnnlab/plugins/ and installed beside the built-in
# plugins; out of tree (find_package(rnnlab)) it lands in the project's
# build directory, ready for RNNLAB_PLUGIN_PATH.
function(rnnlab_add_plugin name)
  cmake_parse_arguments(ARG "" "KIND" "SOURCES" ${ARGN})
  set(kinds task rule optimizer analysis initializer)
  if(NOT ARG_KIND IN_LIST kinds)
    message(FATAL_ERROR "rnnlab_add_plugin(${name}): KIND must be one of ${kinds}, got '${ARG_KIND}'")
  endif()
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "rnnlab_add_plugin(${name}): SOURCES is empty")
  endif()
  add_library(${name} MODULE ${ARG_SOURCES})
  if(TARGET rnnlab::rnnlab)
    target_link_libraries(${name} PRIVATE rnnlab::rnnlab)
  else()
    target_link_libraries(${name} PRIVATE rnnlab)
  endif()
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    OUTPUT_NAME "rnnlab_${ARG_KIND}_${name}"
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  target_compile_features(${name} PRIVATE cxx_std_20)
  # A build without a build type would be -O0 with Armadillo's bounds
  # checks: build plugins optimised unless a type is chosen.
  target_compile_options(${name} PRIVATE $<$<STREQUAL:$<CONFIG>,>:-O2>)
  target_compile_definitions(${name} PRIVATE $<$<STREQUAL:$<CONFIG>,>:NDEBUG ARMA_NO_DEBUG>)
  if(DEFINED RNNLAB_PLUGIN_OUTPUT_DIR)
    # In-tree: $ORIGIN rpath to reach librnnlab in build/lib or P/lib.
    set_target_properties(${name} PROPERTIES
      LIBRARY_OUTPUT_DIRECTORY ${RNNLAB_PLUGIN_OUTPUT_DIR}
      BUILD_RPATH "\$ORIGIN/../.."
      INSTALL_RPATH "\$ORIGIN/../..")
    install(TARGETS ${name} LIBRARY DESTINATION ${RNNLAB_INSTALL_PLUGIN_DIR})
    set_property(GLOBAL APPEND PROPERTY RNNLAB_BUILTIN_PLUGINS ${name})
  endif()
endfunction()
