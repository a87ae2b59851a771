# Install: the header, the shared library, one self-contained static archive, a CMake package
# (find_package(engram_kern) → engram_kern::engram_kern, engram_kern::engram_kern_static) and a
# pkg-config file. The in-tree static libraries are one per layer; the installed archive merges
# them so a consumer links one file.
include(GNUInstallDirs)

set(ek_bundle ${PROJECT_BINARY_DIR}/install-staging/libengram_kern.a)
set(ek_mri ${PROJECT_BINARY_DIR}/install-staging/engram_kern.mri)
file(GENERATE OUTPUT ${ek_mri} CONTENT
"create ${ek_bundle}
addlib $<TARGET_FILE:engram_kern_static>
addlib $<TARGET_FILE:ek_kernels>
addlib $<TARGET_FILE:ek_reference>
save
end
")
add_custom_command(OUTPUT ${ek_bundle}
  COMMAND ${CMAKE_COMMAND} -E rm -f ${ek_bundle}
  COMMAND ${CMAKE_AR} -M < ${ek_mri}
  DEPENDS engram_kern_static ek_kernels ek_reference ${ek_mri}
  COMMENT "Merging the static layers into libengram_kern.a")
add_custom_target(engram_kern_bundle ALL DEPENDS ${ek_bundle})

install(FILES include/engram_kern.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS engram_kern LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(FILES ${ek_bundle} DESTINATION ${CMAKE_INSTALL_LIBDIR})
if(TARGET engram-kern)
  install(TARGETS engram-kern RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()

include(CMakePackageConfigHelpers)
configure_package_config_file(cmake/engram_kernConfig.cmake.in
  ${PROJECT_BINARY_DIR}/install-staging/engram_kernConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/engram_kern
  PATH_VARS CMAKE_INSTALL_INCLUDEDIR CMAKE_INSTALL_LIBDIR)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/install-staging/engram_kernConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/install-staging/engram_kernConfig.cmake
              ${PROJECT_BINARY_DIR}/install-staging/engram_kernConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/engram_kern)

# The .pc file finds its prefix relative to itself (${pcfiledir}), so an installed tree can move.
file(RELATIVE_PATH EK_PC_TO_PREFIX /${CMAKE_INSTALL_LIBDIR}/pkgconfig /)
string(REGEX REPLACE "/$" "" EK_PC_TO_PREFIX "${EK_PC_TO_PREFIX}")
configure_file(cmake/engram_kern.pc.in ${PROJECT_BINARY_DIR}/install-staging/engram_kern.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/install-staging/engram_kern.pc
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
