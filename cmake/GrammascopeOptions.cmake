# Build-wide defaults: Release, C++20, ccache when present, common output folders.
if(NOT CMAKE_BUILD_TYPE AND NOT CMAKE_CONFIGURATION_TYPES)
  set(CMAKE_BUILD_TYPE Release CACHE STRING "Build type" FORCE)
endif()

set(CMAKE_CXX_STANDARD 20)
set(CMAKE_CXX_STANDARD_REQUIRED ON)
set(CMAKE_CXX_EXTENSIONS OFF)
set(CMAKE_POSITION_INDEPENDENT_CODE ON)
set(CMAKE_EXPORT_COMPILE_COMMANDS ON)

option(GRAMMASCOPE_BUILD_TESTS "Build the GoogleTest suites" ON)
option(GRAMMASCOPE_USE_CCACHE "Use ccache when it is installed" ON)
option(GRAMMASCOPE_USE_PCH "Precompile the LibTorch headers" ON)

if(GRAMMASCOPE_USE_CCACHE)
  find_program(GRAMMASCOPE_CCACHE ccache)
  if(GRAMMASCOPE_CCACHE)
    set(CMAKE_CXX_COMPILER_LAUNCHER "${GRAMMASCOPE_CCACHE}")
    set(CMAKE_C_COMPILER_LAUNCHER "${GRAMMASCOPE_CCACHE}")
  endif()
endif()

set(CMAKE_RUNTIME_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}/bin")
set(CMAKE_LIBRARY_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}/lib")
set(CMAKE_ARCHIVE_OUTPUT_DIRECTORY "${CMAKE_BINARY_DIR}/lib")

include(GNUInstallDirs)
set(GRAMMASCOPE_MODULE_INSTALL_DIR "${CMAKE_INSTALL_LIBDIR}/grammascope")

function(grammascope_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wno-unused-parameter)
endfunction()

# add_grammascope_test(NAME name SOURCES ... LIBS ... LABELS unit|slow|gui)
function(add_grammascope_test)
  cmake_parse_arguments(T "" "NAME" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${T_NAME} ${T_SOURCES})
  target_link_libraries(${T_NAME} PRIVATE ${T_LIBS} GTest::gtest GTest::gtest_main)
  grammascope_warnings(${T_NAME})
  target_compile_definitions(${T_NAME} PRIVATE
    GRAMMASCOPE_TEST_DATA_DIR="${PROJECT_SOURCE_DIR}/tests/data"
    GRAMMASCOPE_SHARED_DIR="${PROJECT_SOURCE_DIR}/../shared")
  add_test(NAME ${T_NAME} COMMAND ${T_NAME})
  set_tests_properties(${T_NAME} PROPERTIES LABELS "${T_LABELS}"
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen;GRAMMASCOPE_SPM_MODULE=$<TARGET_FILE:grammascope_spm>")
endfunction()
