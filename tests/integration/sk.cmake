# SPDX-License-Identifier: BSD-3-Clause
# Security-key authentication (libssh2_userauth_publickey_sk) against a live
# OpenSSH sshd (issue 3): included from tests/integration/CMakeLists.txt, uses
# its "ssh_servers" fixture (sshd_config, host keys, sshd_bin) and
# S2_FIXTURE_DIR. The test plays the FIDO authenticator with the keys in
# tests/data/sk; see the header of test_sk.c for the cases.
add_executable(integration_test_sk ${CMAKE_CURRENT_LIST_DIR}/test_sk.c)
target_link_libraries(integration_test_sk PRIVATE ssh2_shared PkgConfig::SODIUM
                      ${MBEDCRYPTO_LIB})
target_include_directories(integration_test_sk PRIVATE ${PROJECT_SOURCE_DIR}/include)
target_compile_definitions(integration_test_sk PRIVATE
  S2_SK_DATA_DIR="${PROJECT_SOURCE_DIR}/tests/data/sk")
target_compile_options(integration_test_sk PRIVATE -Wall -Wextra -Werror)
add_test(NAME integration.openssh.sk
         COMMAND integration_test_sk --fixture ${S2_FIXTURE_DIR})
set_tests_properties(integration.openssh.sk PROPERTIES
  FIXTURES_REQUIRED ssh_servers SKIP_RETURN_CODE 77 LABELS integration TIMEOUT 300)
