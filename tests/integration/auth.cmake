# SPDX-License-Identifier: BSD-3-Clause
# User authentication against real servers (issue 3; docs/AUTH-TESTING.md).
# Included from tests/integration/CMakeLists.txt. Uses its own CTest fixture
# "auth_users" (auth_fixture.sh: test user, keys, CA, sshd_config); each case
# starts its own "sshd -i" / "dropbear -i" on a socketpair, so the daemons of
# the "ssh_servers" fixture are not needed.
set(S2_AUTH_FIXTURE_DIR ${CMAKE_CURRENT_BINARY_DIR}/authfixture)
set(S2_AUTH_KEYS_DIR ${PROJECT_SOURCE_DIR}/tests/data/keys)
find_program(S2_AUTH_BASH bash REQUIRED)

add_executable(integration_test_auth ${CMAKE_CURRENT_LIST_DIR}/test_auth.c)
target_link_libraries(integration_test_auth PRIVATE ssh2_shared)
target_include_directories(integration_test_auth PRIVATE ${PROJECT_SOURCE_DIR}/include)
target_compile_options(integration_test_auth PRIVATE -Wall -Wextra -Werror)

# The allocation-failure sweep needs tests/lib/failalloc (internal objects).
add_executable(integration_test_auth_sweep ${CMAKE_CURRENT_LIST_DIR}/test_auth.c)
target_link_libraries(integration_test_auth_sweep PRIVATE s2_testlib s2_objects)
target_include_directories(integration_test_auth_sweep PRIVATE ${PROJECT_SOURCE_DIR}/include)
target_compile_definitions(integration_test_auth_sweep PRIVATE S2_AUTH_SWEEP=1)
target_compile_options(integration_test_auth_sweep PRIVATE -Wall -Wextra -Werror)

add_test(NAME integration.auth.fixture.setup
         COMMAND ${S2_AUTH_BASH} ${CMAKE_CURRENT_LIST_DIR}/auth_fixture.sh setup
                 ${S2_AUTH_FIXTURE_DIR} ${S2_AUTH_KEYS_DIR})
set_tests_properties(integration.auth.fixture.setup PROPERTIES
  FIXTURES_SETUP auth_users LABELS integration TIMEOUT 600)
add_test(NAME integration.auth.fixture.cleanup
         COMMAND ${S2_AUTH_BASH} ${CMAKE_CURRENT_LIST_DIR}/auth_fixture.sh cleanup
                 ${S2_AUTH_FIXTURE_DIR})
set_tests_properties(integration.auth.fixture.cleanup PROPERTIES
  FIXTURES_CLEANUP auth_users LABELS integration TIMEOUT 60)

foreach(case password kbdint publickey cert hostbased dropbear)
  add_test(NAME integration.auth.${case}
           COMMAND integration_test_auth --fixture ${S2_AUTH_FIXTURE_DIR}
                   --keys ${S2_AUTH_KEYS_DIR} --case ${case})
  set_tests_properties(integration.auth.${case} PROPERTIES
    FIXTURES_REQUIRED auth_users SKIP_RETURN_CODE 77 LABELS integration TIMEOUT 600)
endforeach()
add_test(NAME integration.auth.sweep
         COMMAND integration_test_auth_sweep --fixture ${S2_AUTH_FIXTURE_DIR}
                 --keys ${S2_AUTH_KEYS_DIR} --case sweep)
set_tests_properties(integration.auth.sweep PROPERTIES
  FIXTURES_REQUIRED auth_users SKIP_RETURN_CODE 77 LABELS integration TIMEOUT 1500)
