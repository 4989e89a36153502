# SPDX-License-Identifier: BSD-3-Clause
# Post-quantum key exchange interop (issue 10): included from
# tests/integration/CMakeLists.txt. Servers: OpenSSH 10.0 built from Debian
# trixie's source into a cache by openssh10.sh (CTest fixture "pq_openssh10",
# once per machine: later runs find it built), Debian 12's OpenSSH 9.2 sshd and
# tinysshd; tinyssh_fixture.sh makes the login user, keys and config (fixture
# "pq_servers"). Each CTest runs one case of test_pq.c in one mode, starting its
# own "sshd -i" / "tinysshd" on a socketpair. Exit code 77 = server unavailable.
if(DEFINED ENV{S2_CACHE})
  set(S2_PQ_CACHE_DEFAULT "$ENV{S2_CACHE}/openssh-10.0")
else()
  set(S2_PQ_CACHE_DEFAULT "$ENV{HOME}/.cache/ssh2core/openssh-10.0")
endif()
set(S2_OPENSSH10_CACHE "${S2_PQ_CACHE_DEFAULT}" CACHE PATH
    "Where tests/integration/openssh10.sh builds OpenSSH 10.0 for the PQ interop tests")
set(S2_PQ_FIXTURE_DIR ${CMAKE_CURRENT_BINARY_DIR}/pqfixture)
find_program(S2_PQ_BASH bash REQUIRED)

add_executable(integration_test_pq ${CMAKE_CURRENT_LIST_DIR}/test_pq.c)
target_link_libraries(integration_test_pq PRIVATE ssh2_shared)
target_include_directories(integration_test_pq PRIVATE ${PROJECT_SOURCE_DIR}/include)
target_compile_options(integration_test_pq PRIVATE -Wall -Wextra -Werror)

# The build takes minutes on a loaded 2-core machine, hence the long timeout.
# "fixture" exits 0 when the source cannot be fetched (the OpenSSH 10 cases then
# skip); a configure/make failure fails this step.
add_test(NAME integration.pq.openssh10.build
         COMMAND ${S2_PQ_BASH} ${CMAKE_CURRENT_LIST_DIR}/openssh10.sh fixture
                 ${S2_OPENSSH10_CACHE})
set_tests_properties(integration.pq.openssh10.build PROPERTIES
  FIXTURES_SETUP pq_openssh10 LABELS "integration;pq" TIMEOUT 1800
  RESOURCE_LOCK s2_openssh10_build)
add_test(NAME integration.pq.fixture.setup
         COMMAND ${S2_PQ_BASH} ${CMAKE_CURRENT_LIST_DIR}/tinyssh_fixture.sh setup
                 ${S2_PQ_FIXTURE_DIR} ${S2_OPENSSH10_CACHE})
set_tests_properties(integration.pq.fixture.setup PROPERTIES
  FIXTURES_SETUP pq_servers FIXTURES_REQUIRED pq_openssh10 LABELS "integration;pq"
  TIMEOUT 600)
add_test(NAME integration.pq.fixture.cleanup
         COMMAND ${S2_PQ_BASH} ${CMAKE_CURRENT_LIST_DIR}/tinyssh_fixture.sh cleanup
                 ${S2_PQ_FIXTURE_DIR})
set_tests_properties(integration.pq.fixture.cleanup PROPERTIES
  FIXTURES_CLEANUP pq_servers LABELS "integration;pq" TIMEOUT 60)

# Keep in sync with cases[] in test_pq.c (test_pq --list).
set(S2_PQ_CASES
    o10_mlkem o10_sntrup o10_sntrup_openssh o92_sntrup_openssh o92_sntrup
    tinyssh_sntrup defaults_o10 defaults_o92 defaults_tinyssh
    neg_o92_mlkem neg_o10_server_curve neg_tinyssh_no_pq
    harness_o10_curve25519 harness_o92_curve25519 harness_tinyssh_curve25519)
foreach(case ${S2_PQ_CASES})
  foreach(mode blocking nonblocking)
    set(name integration.pq.${case}.${mode})
    if(mode STREQUAL "nonblocking")
      set(flag --nonblocking)
    else()
      set(flag)
    endif()
    add_test(NAME ${name}
             COMMAND integration_test_pq --fixture ${S2_PQ_FIXTURE_DIR} --case ${case}
                     ${flag} --verbose)
    set_tests_properties(${name} PROPERTIES
      FIXTURES_REQUIRED pq_servers SKIP_RETURN_CODE 77 LABELS "integration;pq"
      TIMEOUT 300)
  endforeach()
endforeach()
