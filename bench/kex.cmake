# SPDX-License-Identifier: BSD-3-Clause
# Post-quantum key exchange benchmark (issue 10), one source built twice:
#   bench_kex       handshakes against a listening sshd through the libssh2 API
#                   (ssh2_shared, this tree's headers), beside OpenSSH's ssh
#   bench_kex_prim  the KEM primitives in-process (s2_objects: the internal
#                   s2_mlkem768_* / s2_sntrup761_* / s2_x25519* functions)
# bench/run-kex-bench.sh starts OpenSSH 9.2 and 10.0 servers and runs both.
# CTest runs the script once in smoke mode (N=10, timings never asserted):
# bench.kex_smoke, skipped (77) when not root or when sshd is missing.
add_executable(bench_kex ${CMAKE_CURRENT_LIST_DIR}/kex.c)
target_link_libraries(bench_kex PRIVATE ssh2_shared)
target_include_directories(bench_kex PRIVATE ${PROJECT_SOURCE_DIR}/include)
target_compile_options(bench_kex PRIVATE -Wall -Wextra -Werror)

add_executable(bench_kex_prim ${CMAKE_CURRENT_LIST_DIR}/kex.c)
target_link_libraries(bench_kex_prim PRIVATE s2_objects)
target_compile_definitions(bench_kex_prim PRIVATE BENCH_KEX_PRIM)
target_compile_options(bench_kex_prim PRIVATE -Wall -Wextra -Werror)

if(S2_TESTS)
  find_program(S2_BENCH_KEX_BASH bash)
  if(S2_BENCH_KEX_BASH)
    add_test(NAME bench.kex_smoke
             COMMAND ${S2_BENCH_KEX_BASH} ${CMAKE_CURRENT_LIST_DIR}/run-kex-bench.sh --smoke
                     --no-build --kex-bin $<TARGET_FILE:bench_kex>
                     --prim-bin $<TARGET_FILE:bench_kex_prim>)
    set_tests_properties(bench.kex_smoke PROPERTIES
      LABELS bench TIMEOUT 120 SKIP_RETURN_CODE 77)
  endif()
endif()
