// Writing a command's text output file (`import -o`, `table -o`, `check --write-golden`) through
// `path + ".tmp"` and a rename, so an existing file is replaced only by a complete one (as the
// result store does). StoreError 73 when the file cannot be created, 74 on a write error.
#pragma once

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "cfsim/error.hpp"

namespace cfsim::cli {

inline void write_text_atomically(const std::string& path, const std::string& text) {
  const std::filesystem::path p(path);
  if (!p.parent_path().empty() && !std::filesystem::is_directory(p.parent_path()))
    throw StoreError(ExitCode::cant_create, "cannot write '" + path + "': folder '" +
                                                p.parent_path().string() + "' does not exist");
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out)
      throw StoreError(ExitCode::cant_create, "cannot create '" + tmp + "'");
    out << text;
    out.flush();
    if (!out) {
      std::remove(tmp.c_str());
      throw StoreError(ExitCode::io_error, "write error on '" + tmp + "'");
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw StoreError(ExitCode::io_error, "cannot rename '" + tmp + "' to '" + path + "'");
  }
}

} // namespace cfsim::cli
