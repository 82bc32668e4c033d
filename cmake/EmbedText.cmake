# Turns one text file (SQL that augur installs at startup) into a C++ header holding it as a
# string_view, so the SQL is written and read as SQL rather than as C string literals. Run by the
# build with -DINPUT=file.sql -DOUTPUT=file.h -DSYMBOL=kName -DNAMESPACE=augur::engine.
file(READ "${INPUT}" content)
if(content MATCHES "\\)augur_text\"")
  message(FATAL_ERROR "${INPUT} contains the raw-string delimiter )augur_text\"")
endif()
get_filename_component(source_name "${INPUT}" NAME)
set(body "// Generated from ${source_name} by cmake/EmbedText.cmake at build time; do not edit.\n")
string(APPEND body "#pragma once\n\n#include <string_view>\n\nnamespace ${NAMESPACE} {\n\n")
string(APPEND body "inline constexpr std::string_view ${SYMBOL} = R\"augur_text(${content})augur_text\";\n")
string(APPEND body "\n}  // namespace ${NAMESPACE}\n")
file(WRITE "${OUTPUT}.tmp" "${body}")
# Rewrite only on change, so an unchanged file does not rebuild its includers.
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
