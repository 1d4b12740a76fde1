# Third-party dependencies shared by the framework and by plugins built
# against it (in tree or out of tree). Debian 12 packages:
# libarmadillo-dev libopenblas-dev libboost-dev.
find_package(Armadillo REQUIRED)
find_library(RNNLAB_OPENBLAS_LIBRARY NAMES openblas REQUIRED)
find_package(Boost 1.74 REQUIRED)
find_package(nlohmann_json REQUIRED)  # sweep.hpp (JSON configs)

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
