# SPDX-License-Identifier: BSD-3-Clause
# Transport benchmark (issue 9): one libssh2-API program built twice,
#   bench_transport_s2   against ssh2core (ssh2_shared, this tree's headers)
#   bench_transport_ref  against the system libssh2 (Debian 1.10) and its header,
#                        with this tree's include dir deliberately absent
# and run by bench/run-bench.sh (which also drives OpenSSH's ssh). CTest runs it
# once in smoke mode (tiny sizes, timings never asserted): bench.transport_smoke.
# It takes 20-30 s even with the 2 cores busy; the timeout leaves room for worse.
set(S2_BENCH_REF_LIB /usr/lib/x86_64-linux-gnu/libssh2.so.1 CACHE FILEPATH
    "Reference libssh2 (system 1.10) for bench_transport_ref")
set(S2_BENCH_REF_INCLUDE /usr/include CACHE PATH
    "Directory holding the reference libssh2.h")

add_executable(bench_transport_s2 ${CMAKE_CURRENT_LIST_DIR}/transport.c)
target_link_libraries(bench_transport_s2 PRIVATE ssh2_shared ${CMAKE_DL_LIBS})
target_include_directories(bench_transport_s2 PRIVATE ${PROJECT_SOURCE_DIR}/include)
target_compile_definitions(bench_transport_s2 PRIVATE BENCH_CLIENT_NAME="ssh2core")
target_compile_options(bench_transport_s2 PRIVATE -Wall -Wextra -Werror)

set(S2_BENCH_REF_ARGS)
if(EXISTS ${S2_BENCH_REF_LIB} AND EXISTS ${S2_BENCH_REF_INCLUDE}/libssh2.h)
  # A separate target with its own include dirs: only the system header.
  add_executable(bench_transport_ref ${CMAKE_CURRENT_LIST_DIR}/transport.c)
  target_include_directories(bench_transport_ref SYSTEM PRIVATE ${S2_BENCH_REF_INCLUDE})
  target_compile_options(bench_transport_ref PRIVATE -isystem ${S2_BENCH_REF_INCLUDE}
                         -Wall -Wextra -Werror)
  target_compile_definitions(bench_transport_ref PRIVATE BENCH_CLIENT_NAME="libssh2")
  target_link_libraries(bench_transport_ref PRIVATE ${S2_BENCH_REF_LIB} ${CMAKE_DL_LIBS})
  set(S2_BENCH_REF_ARGS --ref $<TARGET_FILE:bench_transport_ref>)
else()
  message(STATUS "bench: ${S2_BENCH_REF_LIB} or its libssh2.h missing; "
                 "bench_transport_ref not built (apt-get install libssh2-1-dev)")
endif()

if(S2_TESTS)
  find_program(S2_BENCH_BASH bash)
  if(S2_BENCH_BASH)
    add_test(NAME bench.transport_smoke
             COMMAND ${S2_BENCH_BASH} ${CMAKE_CURRENT_LIST_DIR}/run-bench.sh --smoke --no-build
                     --no-install --s2 $<TARGET_FILE:bench_transport_s2> ${S2_BENCH_REF_ARGS}
                     --out ${CMAKE_CURRENT_BINARY_DIR}/transport-smoke)
    set_tests_properties(bench.transport_smoke PROPERTIES
      LABELS bench TIMEOUT 300 SKIP_RETURN_CODE 77 RESOURCE_LOCK s2_channel_bulk)
  endif()
endif()
