# SPDX-License-Identifier: BSD-3-Clause
# Channels (issue 4) against live OpenSSH and Dropbear servers: included from
# tests/integration/CMakeLists.txt, uses its "ssh_servers" fixture (host keys,
# user key, sshd_config in S2_FIXTURE_DIR). One CTest per (case, mode); each run
# starts its own "sshd -i" / "dropbear -i" (see the header of test_channel.c and
# docs/CHANNELS-TESTING.md). Exit code 77 = skipped (server or API missing).
find_package(Threads REQUIRED)
add_executable(integration_test_channel ${CMAKE_CURRENT_LIST_DIR}/test_channel.c)
target_link_libraries(integration_test_channel PRIVATE ssh2_shared Threads::Threads)
target_include_directories(integration_test_channel PRIVATE ${PROJECT_SOURCE_DIR}/include)
target_compile_options(integration_test_channel PRIVATE -Wall -Wextra -Werror
                       -Wno-deprecated-declarations) # the legacy libssh2_poll is tested

set(S2_CHANNEL_CASES
    exec exit_signal extdata_merge extdata_ignore env pty pty_resize shell signal
    cat concurrent direct_tcpip direct_streamlocal forward window keepalive rekey
    dropbear_exec dropbear_cat agent_forward x11 poll)
# Bulk transfers and the 100-channel case load both cores: run them one at a time.
set(S2_CHANNEL_BULK cat concurrent rekey dropbear_cat)

foreach(case ${S2_CHANNEL_CASES})
  foreach(mode blocking nonblocking)
    set(name integration.channel.${case}.${mode})
    if(mode STREQUAL "nonblocking")
      set(flag --nonblocking)
    else()
      set(flag)
    endif()
    add_test(NAME ${name}
             COMMAND integration_test_channel --fixture ${S2_FIXTURE_DIR} --case ${case}
                     ${flag} --verbose)
    set_tests_properties(${name} PROPERTIES
      FIXTURES_REQUIRED ssh_servers SKIP_RETURN_CODE 77 LABELS "integration;channel"
      TIMEOUT 300)
    if(case IN_LIST S2_CHANNEL_BULK)
      set_tests_properties(${name} PROPERTIES RESOURCE_LOCK s2_channel_bulk)
    endif()
  endforeach()
endforeach()

# Every cipher through `cat` with each crypto kernel forced in turn (issue 9):
# all CPU features (VAES where present), AES-NI/PCLMUL without VAES/AVX-512,
# and no hardware kernels at all (libsodium/mbedTLS). sshd rekeys mid-transfer.
if(S2_SANITIZE)
  set(S2_CIPHER_MIB 32)
else()
  set(S2_CIPHER_MIB 256)
endif()
foreach(kernel best:0 aesni:0x30 soft:0x3f)
  string(REPLACE ":" ";" kv ${kernel})
  list(GET kv 0 klabel)
  list(GET kv 1 kmask)
  foreach(srv ciphers ciphers_dropbear)
    set(mib ${S2_CIPHER_MIB})
    set(name integration.channel.${srv}.${klabel})
    add_test(NAME ${name}
             COMMAND integration_test_channel --fixture ${S2_FIXTURE_DIR} --case ${srv}
                     --mib ${mib} --verbose)
    set_tests_properties(${name} PROPERTIES
      FIXTURES_REQUIRED ssh_servers SKIP_RETURN_CODE 77 LABELS "integration;channel"
      TIMEOUT 1200 RESOURCE_LOCK s2_channel_bulk ENVIRONMENT SSH2CORE_CPU_MASK=${kmask})
  endforeach()
endforeach()
