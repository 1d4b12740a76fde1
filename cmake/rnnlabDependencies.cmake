# Third-party dependencies shared by the framework and by plugins built
# against it (in tree or out of tree). Debian 12 packages:
# libarmadillo-dev libopenblas-dev libboost-dev.
# In the installed package config (rnnlabConfig.cmake sets
# RNNLAB_PACKAGE_CONFIG) a missing dependency makes find_package(rnnlab)
# fail politely (find_dependency) instead of stopping the consumer's
# configure step.
macro(rnnlab_find_dependency)
  if(RNNLAB_PACKAGE_CONFIG)
    find_dependency(${ARGN})
  else()
    find_package(${ARGN} REQUIRED)
  endif()
endmacro()
rnnlab_find_dependency(Armadillo)
find_library(RNNLAB_OPENBLAS_LIBRARY NAMES openblas REQUIRED)
rnnlab_find_dependency(Boost 1.74)
rnnlab_find_dependency(nlohmann_json)  # rnnlab::app (rnnlab/app/sweep.hpp); not plugins

# Armadillo calls OpenBLAS directly (no wrapper library) so the framework
# can pin OpenBLAS to one thread per run; OpenBLAS also provides LAPACK.
if(NOT TARGET rnnlab_numerics)
  add_library(rnnlab_numerics INTERFACE IMPORTED GLOBAL)
  target_include_directories(rnnlab_numerics INTERFACE ${ARMADILLO_INCLUDE_DIRS} ${Boost_INCLUDE_DIRS})
  target_compile_definitions(rnnlab_numerics INTERFACE
    ARMA_DONT_USE_WRAPPER ARMA_DONT_USE_ARPACK ARMA_DONT_USE_SUPERLU ARMA_DONT_USE_HDF5
    $<$<CONFIG:Release>:ARMA_NO_DEBUG> BOOST_DLL_USE_STD_FS)
  target_link_libraries(rnnlab_numerics INTERFACE ${RNNLAB_OPENBLAS_LIBRARY})
endif()
