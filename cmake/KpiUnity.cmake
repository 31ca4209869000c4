# kpi_unity_by_folder(TARGET [BATCH]): with KPI_UNITY on, a unity build of TARGET whose
# batches never mix folders. Each folder's files (in the sorted order file(GLOB) gives) are compiled BATCH at a
# time (default 8) as one translation unit, so the headers they share (the standard library,
# spdlog, simdjson, toml++) are parsed and compiled once a batch instead of once a file.
# Batches stay inside a folder (one plugin, one module) so that two helpers of the same name
# in different modules' anonymous namespaces never meet; files of one folder are one module
# and should share such a helper anyway.
function(kpi_unity_by_folder target)
  set(batch 8)
  if(ARGC GREATER 1)
    set(batch ${ARGV1})
  endif()
  get_target_property(sources ${target} SOURCES)
  set(folders "")
  foreach(source IN LISTS sources)
    get_filename_component(dir "${source}" DIRECTORY)
    string(MAKE_C_IDENTIFIER "${dir}" key)
    list(APPEND folders "${key}")
    list(APPEND "files_${key}" "${source}")
  endforeach()
  list(REMOVE_DUPLICATES folders)
  set(group 0)
  foreach(key IN LISTS folders)
    set(count ${batch})
    foreach(source IN LISTS "files_${key}")
      if(count EQUAL batch)
        math(EXPR group "${group} + 1")
        set(count 0)
      endif()
      math(EXPR count "${count} + 1")
      set_source_files_properties("${source}" TARGET_DIRECTORY ${target} PROPERTIES UNITY_GROUP "${target}_${group}")
    endforeach()
  endforeach()
  set_target_properties(${target} PROPERTIES UNITY_BUILD ${KPI_UNITY} UNITY_BUILD_MODE GROUP)
endfunction()
