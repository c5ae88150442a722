"""bytesio_fuzzer: a libFuzzer target plus the test that replays its corpus."""

load("@rules_cc//cc:defs.bzl", "cc_binary", "cc_library", "cc_test")

def bytesio_fuzzer(name, srcs, deps):
    """Declares the targets of one fuzz target.

    <name>_lib          cc_library with LLVMFuzzerTestOneInput (alwayslink).
    <name>              the libFuzzer binary; "manual", build it with
                        ./bazelw build --config=fuzz //fuzz:<name>
    <name>_corpus       the checked-in corpus, corpus/<name>/.
    <name>_replay_test  runs every corpus input through the body with the
                        configured compiler (g++ in a plain `bazel test //...`).

    Args:
      name: the fuzzer's name; its corpus lives in corpus/<name>/.
      srcs: the sources defining LLVMFuzzerTestOneInput.
      deps: what they depend on.
    """
    cc_library(
        name = name + "_lib",
        testonly = True,
        srcs = srcs,
        deps = deps,
        alwayslink = True,
    )
    cc_binary(
        name = name,
        testonly = True,
        linkopts = ["-fsanitize=fuzzer"],
        tags = ["manual"],
        deps = [":" + name + "_lib"],
    )

    # A glob, unlike srcs: fuzzing adds regression inputs to the corpus, and
    # every file in it belongs to the replay.
    native.filegroup(
        name = name + "_corpus",
        testonly = True,
        srcs = native.glob(["corpus/" + name + "/*"]),
    )
    cc_test(
        name = name + "_replay_test",
        size = "small",
        srcs = ["replay_main.cc"],
        args = ["$(rootpaths :" + name + "_corpus)"],
        data = [":" + name + "_corpus"],
        deps = [":" + name + "_lib"],
    )
