// web_assets.h: the web console's files (web/), compiled into the binary by
// cmake/EmbedWeb.cmake, and served at / by the HTTP server.
#pragma once

#include <cstddef>
#include <string_view>

namespace augur::http {

struct WebAsset {
  std::string_view path;  // "/index.html"
  std::string_view content_type;
  std::string_view body;
};

extern const WebAsset kWebAssets[];
extern const size_t kWebAssetCount;

// The asset served at `path` ("/" is /index.html), or null.
inline const WebAsset* FindWebAsset(std::string_view path) {
  if (path == "/") path = "/index.html";
  for (size_t i = 0; i < kWebAssetCount; ++i) {
    if (kWebAssets[i].path == path) return &kWebAssets[i];
  }
  return nullptr;
}

}  // namespace augur::http
