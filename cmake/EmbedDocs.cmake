# Writes OUTPUT: one C++ initializer per docs/checks/*.md page,
#   {"tether-x", R"tether_doc(...)tether_doc"},
# so the driver carries its rule metadata and help with it.
file(GLOB pages "${DOCS_DIR}/checks/*.md")
list(SORT pages)
set(content "")
foreach(page IN LISTS pages)
  get_filename_component(name "${page}" NAME_WE)
  file(READ "${page}" text)
  # A raw string cannot hold more than ~64K in some compilers; pages are small.
  string(APPEND content "{\"${name}\", R\"tether_doc(${text})tether_doc\"},\n")
endforeach()
file(WRITE "${OUTPUT}.tmp" "${content}")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
