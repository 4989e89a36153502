# SPDX-License-Identifier: BSD-3-Clause
# bench_crypto: MB/s per core of every cipher, MAC and hash implementation.
add_executable(bench_crypto ${CMAKE_CURRENT_LIST_DIR}/crypto.c)
target_link_libraries(bench_crypto PRIVATE s2_objects)
target_compile_options(bench_crypto PRIVATE -Wall -Wextra -Werror)
if(S2_TESTS)
  add_test(NAME bench.crypto_smoke COMMAND bench_crypto --smoke)
  set_tests_properties(bench.crypto_smoke PROPERTIES LABELS bench TIMEOUT 120)
endif()
