# Imported target duckdb::duckdb for the prebuilt DuckDB 1.4.4 that scripts/bootstrap.sh unpacks
# into .deps/. Headers are SYSTEM so DuckDB's own warnings do not drown ours.
set(AUGUR_DUCKDB_DIR ${CMAKE_SOURCE_DIR}/.deps/duckdb-1.4.4)
if(NOT EXISTS ${AUGUR_DUCKDB_DIR}/.complete)
  message(FATAL_ERROR "DuckDB not found in ${AUGUR_DUCKDB_DIR}: run scripts/bootstrap.sh (make deps)")
endif()
add_library(duckdb::duckdb SHARED IMPORTED GLOBAL)
set_target_properties(duckdb::duckdb PROPERTIES
  IMPORTED_LOCATION ${AUGUR_DUCKDB_DIR}/lib/libduckdb.so
  IMPORTED_SONAME libduckdb.so
  INTERFACE_INCLUDE_DIRECTORIES ${AUGUR_DUCKDB_DIR}/include
  INTERFACE_SYSTEM_INCLUDE_DIRECTORIES ${AUGUR_DUCKDB_DIR}/include)
# Binaries find libduckdb.so through their RUNPATH; the build tree is the install for now.
set(CMAKE_BUILD_RPATH ${AUGUR_DUCKDB_DIR}/lib)
