# Debian packages, built from a build folder with `cpack -G DEB`
# (tests/package/deb.sh):
#   rnnlab      the executable, librnnlab, the built-in plugins, the plugin
#               probe, share/rnnlab (Lua prelude, scripts), man page, bash
#               completion, docs
#   rnnlab-dev  headers, the CMake package (find_package(rnnlab)), the
#               unversioned library link and the plugin examples
# Both install under /usr.
set(CPACK_PACKAGE_NAME rnnlab)
set(CPACK_PACKAGE_VENDOR "The rnnlab developers")
set(CPACK_PACKAGE_CONTACT "The rnnlab developers <rnnlab@users.noreply.example>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "biologically plausible learning in recurrent neural networks")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_GENERATOR DEB)
set(CPACK_COMPONENTS_ALL runtime dev)
set(CPACK_DEB_COMPONENT_INSTALL ON)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)          # <name>_<version>-<release>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://example.org/rnnlab")
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)

set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME rnnlab)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SECTION science)
# Shared-library dependencies (OpenBLAS, HDF5, Lua, libstdc++...) come from
# dpkg-shlibdeps; gnuplot draws the figures and is called as a program.
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_RUNTIME_PACKAGE_DEPENDS "gnuplot-nox | gnuplot")
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SUGGESTS "openmpi-bin, python3-pandas, python3-h5py")
set(CPACK_DEBIAN_RUNTIME_DESCRIPTION
"biologically plausible learning in recurrent neural networks
 rnnlab trains rate RNNs on neuroscience tasks with BPTT, e-prop, RFLO and
 gradient flossing, computes Lyapunov spectra and other analyses, and runs
 Lua protocols and parameter sweeps. Tasks, rules, optimizers, analyses and
 initializers are shared-library plugins.")

set(CPACK_DEBIAN_DEV_PACKAGE_NAME rnnlab-dev)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)
# find_package(rnnlab) finds these (cmake/rnnlabDependencies.cmake).
set(CPACK_DEBIAN_DEV_PACKAGE_DEPENDS
  "rnnlab (= ${PROJECT_VERSION}-1), libarmadillo-dev, libopenblas-dev, libboost-dev (>= 1.74), nlohmann-json3-dev, cmake (>= 3.20), g++ (>= 4:12)")
set(CPACK_DEBIAN_DEV_DESCRIPTION
"plugin SDK of rnnlab
 Headers, the CMake package (find_package(rnnlab), rnnlab_add_plugin) and
 example plugins for building rnnlab task, rule, optimizer, analysis and
 initializer plugins out of tree.")

include(CPack)
cpack_add_component(runtime DISPLAY_NAME "rnnlab")
cpack_add_component(dev DISPLAY_NAME "rnnlab-dev" DEPENDS runtime)
