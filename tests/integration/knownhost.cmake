# SPDX-License-Identifier: BSD-3-Clause
# known_hosts against a live OpenSSH sshd (issue 3): included from
# tests/integration/CMakeLists.txt, uses its "ssh_servers" fixture and
# S2_FIXTURE_DIR. See the header of test_knownhost.c for what it checks.
add_executable(integration_test_knownhost ${CMAKE_CURRENT_LIST_DIR}/test_knownhost.c)
target_link_libraries(integration_test_knownhost PRIVATE ssh2_shared)
target_include_directories(integration_test_knownhost PRIVATE ${PROJECT_SOURCE_DIR}/include)
target_compile_options(integration_test_knownhost PRIVATE -Wall -Wextra -Werror)
add_test(NAME integration.openssh.knownhost
         COMMAND integration_test_knownhost --fixture ${S2_FIXTURE_DIR})
set_tests_properties(integration.openssh.knownhost PROPERTIES
  FIXTURES_REQUIRED ssh_servers SKIP_RETURN_CODE 77 LABELS integration TIMEOUT 300)
