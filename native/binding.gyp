{
  "targets": [
    {
      "target_name": "wat_native",
      "sources": [
        "src/addon.cc",
        "src/errors.cc",
        "src/fork.cc",
        "src/folio-pack.cc",
        "src/huge-heap.cc",
        "src/inherit.cc",
        "src/io.cc",
        "src/proc.cc",
        "src/quiet-builtins.cc",
        "src/server.cc",
        "src/signals.cc",
        "src/wait.cc",
        "src/young-gen.cc"
      ],
      "dependencies": [
        "<!(node -p \"require('node-addon-api').targets\"):node_addon_api"
      ],
      "defines": ["NAPI_VERSION=8"],
      "cflags_cc": ["-std=c++17", "-O2", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "ldflags": ["-Wl,-z,now"]
    }
  ]
}
