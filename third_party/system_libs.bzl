"""Serves Abseil, GoogleTest and Google Benchmark from Debian's packages.

The repositories created here use the labels upstream uses, e.g.
`@com_google_absl//absl/strings:cord`, `@com_google_googletest//:gtest_main`,
`@com_github_google_benchmark//:benchmark_main`, so a project that brings its
own copies of these libraries can build our BUILD files unchanged.

Each target is a source-less `cc_library`: headers come from /usr/include (a
built-in include directory of the toolchain) and `linkopts` from pkg-config,
which is run when the repository is fetched.
"""

# Abseil's pkg-config modules are named after its CMake targets
# (absl_<cmake name>.pc). This table maps each of them to its upstream Bazel
# package and target. Abseil 20220623 (Debian 12).
_ABSL_TARGETS = {
    # absl/algorithm
    "algorithm": "absl/algorithm:algorithm",
    "algorithm_container": "absl/algorithm:container",
    # absl/base
    "atomic_hook": "absl/base:atomic_hook",
    "base": "absl/base:base",
    "base_internal": "absl/base:base_internal",
    "config": "absl/base:config",
    "core_headers": "absl/base:core_headers",
    "dynamic_annotations": "absl/base:dynamic_annotations",
    "endian": "absl/base:endian",
    "errno_saver": "absl/base:errno_saver",
    "fast_type_id": "absl/base:fast_type_id",
    "log_severity": "absl/base:log_severity",
    "malloc_internal": "absl/base:malloc_internal",
    "prefetch": "absl/base:prefetch",
    "pretty_function": "absl/base:pretty_function",
    "raw_logging_internal": "absl/base:raw_logging_internal",
    "scoped_set_env": "absl/base:scoped_set_env",
    "spinlock_wait": "absl/base:spinlock_wait",
    "strerror": "absl/base:strerror",
    "throw_delegate": "absl/base:throw_delegate",
    # absl/cleanup
    "cleanup": "absl/cleanup:cleanup",
    "cleanup_internal": "absl/cleanup:cleanup_internal",
    # absl/container
    "btree": "absl/container:btree",
    "compressed_tuple": "absl/container:compressed_tuple",
    "container_common": "absl/container:common",
    "container_memory": "absl/container:container_memory",
    "counting_allocator": "absl/container:counting_allocator",
    "fixed_array": "absl/container:fixed_array",
    "flat_hash_map": "absl/container:flat_hash_map",
    "flat_hash_set": "absl/container:flat_hash_set",
    "hash_function_defaults": "absl/container:hash_function_defaults",
    "hash_policy_traits": "absl/container:hash_policy_traits",
    "hashtable_debug": "absl/container:hashtable_debug",
    "hashtable_debug_hooks": "absl/container:hashtable_debug_hooks",
    "hashtablez_sampler": "absl/container:hashtablez_sampler",
    "inlined_vector": "absl/container:inlined_vector",
    "inlined_vector_internal": "absl/container:inlined_vector_internal",
    "layout": "absl/container:layout",
    "node_hash_map": "absl/container:node_hash_map",
    "node_hash_set": "absl/container:node_hash_set",
    "node_slot_policy": "absl/container:node_slot_policy",
    "raw_hash_map": "absl/container:raw_hash_map",
    "raw_hash_set": "absl/container:raw_hash_set",
    # absl/debugging
    "debugging": "absl/debugging:debugging",  # CMake-only umbrella target
    "debugging_internal": "absl/debugging:debugging_internal",
    "demangle_internal": "absl/debugging:demangle_internal",
    "examine_stack": "absl/debugging:examine_stack",
    "failure_signal_handler": "absl/debugging:failure_signal_handler",
    "leak_check": "absl/debugging:leak_check",
    "stacktrace": "absl/debugging:stacktrace",
    "symbolize": "absl/debugging:symbolize",
    # absl/flags
    "flags": "absl/flags:flag",
    "flags_commandlineflag": "absl/flags:commandlineflag",
    "flags_commandlineflag_internal": "absl/flags:commandlineflag_internal",
    "flags_config": "absl/flags:config",
    "flags_internal": "absl/flags:flag_internal",
    "flags_marshalling": "absl/flags:marshalling",
    "flags_parse": "absl/flags:parse",
    "flags_path_util": "absl/flags:path_util",
    "flags_private_handle_accessor": "absl/flags:private_handle_accessor",
    "flags_program_name": "absl/flags:program_name",
    "flags_reflection": "absl/flags:reflection",
    "flags_usage": "absl/flags:usage",
    "flags_usage_internal": "absl/flags:usage_internal",
    # absl/functional
    "any_invocable": "absl/functional:any_invocable",
    "bind_front": "absl/functional:bind_front",
    "function_ref": "absl/functional:function_ref",
    # absl/hash
    "city": "absl/hash:city",
    "hash": "absl/hash:hash",
    "low_level_hash": "absl/hash:low_level_hash",
    # absl/memory
    "memory": "absl/memory:memory",
    # absl/meta
    "meta": "absl/meta:meta",  # CMake-only umbrella target
    "type_traits": "absl/meta:type_traits",
    # absl/numeric
    "bits": "absl/numeric:bits",
    "int128": "absl/numeric:int128",
    "numeric": "absl/numeric:numeric",  # CMake-only umbrella target
    "numeric_representation": "absl/numeric:representation",
    # absl/profiling
    "exponential_biased": "absl/profiling:exponential_biased",
    "periodic_sampler": "absl/profiling:periodic_sampler",
    "sample_recorder": "absl/profiling:sample_recorder",
    # absl/random
    "random_bit_gen_ref": "absl/random:bit_gen_ref",
    "random_distributions": "absl/random:distributions",
    "random_random": "absl/random:random",
    "random_seed_gen_exception": "absl/random:seed_gen_exception",
    "random_seed_sequences": "absl/random:seed_sequences",
    # absl/random/internal
    "random_internal_distribution_caller": "absl/random/internal:distribution_caller",
    "random_internal_distribution_test_util": "absl/random/internal:distribution_test_util",
    "random_internal_fast_uniform_bits": "absl/random/internal:fast_uniform_bits",
    "random_internal_fastmath": "absl/random/internal:fastmath",
    "random_internal_generate_real": "absl/random/internal:generate_real",
    "random_internal_iostream_state_saver": "absl/random/internal:iostream_state_saver",
    "random_internal_mock_helpers": "absl/random/internal:mock_helpers",
    "random_internal_nonsecure_base": "absl/random/internal:nonsecure_base",
    "random_internal_pcg_engine": "absl/random/internal:pcg_engine",
    "random_internal_platform": "absl/random/internal:platform",
    "random_internal_pool_urbg": "absl/random/internal:pool_urbg",
    "random_internal_randen": "absl/random/internal:randen",
    "random_internal_randen_engine": "absl/random/internal:randen_engine",
    "random_internal_randen_hwaes": "absl/random/internal:randen_hwaes",
    "random_internal_randen_hwaes_impl": "absl/random/internal:randen_hwaes_impl",
    "random_internal_randen_slow": "absl/random/internal:randen_slow",
    "random_internal_salted_seed_seq": "absl/random/internal:salted_seed_seq",
    "random_internal_seed_material": "absl/random/internal:seed_material",
    "random_internal_traits": "absl/random/internal:traits",
    "random_internal_uniform_helper": "absl/random/internal:uniform_helper",
    "random_internal_wide_multiply": "absl/random/internal:wide_multiply",
    # absl/status
    "status": "absl/status:status",
    "statusor": "absl/status:statusor",
    # absl/strings
    "cord": "absl/strings:cord",
    "cord_internal": "absl/strings:cord_internal",
    "cordz_functions": "absl/strings:cordz_functions",
    "cordz_handle": "absl/strings:cordz_handle",
    "cordz_info": "absl/strings:cordz_info",
    "cordz_sample_token": "absl/strings:cordz_sample_token",
    "cordz_statistics": "absl/strings:cordz_statistics",
    "cordz_update_scope": "absl/strings:cordz_update_scope",
    "cordz_update_tracker": "absl/strings:cordz_update_tracker",
    "str_format": "absl/strings:str_format",
    "str_format_internal": "absl/strings:str_format_internal",
    "strings": "absl/strings:strings",
    "strings_internal": "absl/strings:internal",
    # absl/synchronization
    "graphcycles_internal": "absl/synchronization:graphcycles_internal",
    "kernel_timeout_internal": "absl/synchronization:kernel_timeout_internal",
    "synchronization": "absl/synchronization:synchronization",
    # absl/time
    "time": "absl/time:time",
    "civil_time": "absl/time/internal/cctz:civil_time",
    "time_zone": "absl/time/internal/cctz:time_zone",
    # absl/types
    "any": "absl/types:any",
    "bad_any_cast": "absl/types:bad_any_cast",
    "bad_any_cast_impl": "absl/types:bad_any_cast_impl",
    "bad_optional_access": "absl/types:bad_optional_access",
    "bad_variant_access": "absl/types:bad_variant_access",
    "compare": "absl/types:compare",
    "optional": "absl/types:optional",
    "span": "absl/types:span",
    "variant": "absl/types:variant",
    # absl/utility
    "utility": "absl/utility:utility",
}

_HEADER = """\
# Generated by //third_party:system_libs.bzl from the system's {what}.
# Do not edit: re-run with `bazel sync --configure`.
package(default_visibility = ["//visibility:public"])
"""

_LIBRARY = """
cc_library(
    name = "{name}",
    linkopts = {linkopts},{extra}
)
"""

def _library(name, linkopts, deps = None):
    extra = ""
    if deps:
        extra = "\n    deps = {},".format(repr(deps))
    return _LIBRARY.format(name = name, linkopts = repr(linkopts), extra = extra)

def _split_flags(text):
    # Bazel 4's Starlark has no whitespace-splitting split().
    flags = []
    for line in text.strip().split("\n"):
        for word in line.strip().split(" "):
            if word:
                flags.append(word)
    return flags

def _pkg_config(ctx, args):
    pkg_config = ctx.which("pkg-config")
    if not pkg_config:
        fail("pkg-config not found: install it (./bazelw does this).")
    result = ctx.execute([pkg_config] + args)
    if result.return_code != 0:
        fail("pkg-config {} failed: {}".format(" ".join(args), result.stderr))
    return result.stdout

def _require_header(ctx, header, package):
    if not ctx.path("/usr/include/" + header).exists:
        fail("/usr/include/{} not found: install Debian's {} (./bazelw does this).".format(
            header,
            package,
        ))

def _system_abseil_impl(ctx):
    _require_header(ctx, "absl/base/config.h", "libabsl-dev")
    modules = []
    for line in _pkg_config(ctx, ["--list-all"]).split("\n"):
        module = line.strip().split(" ")[0]
        if module.startswith("absl_"):
            modules.append(module)
    if not modules:
        fail("no absl_*.pc found by pkg-config: install libabsl-dev (./bazelw does this).")

    packages = {}  # package directory -> list of BUILD snippets
    for module in sorted(modules):
        cmake_name = module[len("absl_"):]
        label = _ABSL_TARGETS.get(cmake_name)
        if not label:
            # Unknown to the table (another Abseil release): keep it reachable
            # as //absl:<cmake name> rather than dropping it.
            label = "absl:" + cmake_name
        package, name = label.split(":")
        linkopts = _split_flags(_pkg_config(ctx, ["--libs", module]))
        packages.setdefault(package, []).append(_library(name, linkopts))

    for package, snippets in packages.items():
        ctx.file(
            package + "/BUILD.bazel",
            _HEADER.format(what = "Abseil pkg-config files") + "".join(snippets),
        )
    ctx.file("WORKSPACE", 'workspace(name = "{}")\n'.format(ctx.name))
    ctx.file("BUILD.bazel", _HEADER.format(what = "Abseil pkg-config files"))

system_abseil = repository_rule(
    implementation = _system_abseil_impl,
    local = True,
    configure = True,
    environ = ["PKG_CONFIG_PATH", "PKG_CONFIG_LIBDIR"],
    doc = "Abseil from the system (libabsl-dev), with upstream's Bazel labels.",
)

def _system_googletest_impl(ctx):
    _require_header(ctx, "gtest/gtest.h", "libgtest-dev")
    _require_header(ctx, "gmock/gmock.h", "libgmock-dev")

    # Debian's GoogleTest is static: the order of the archives matters.
    ctx.file("WORKSPACE", 'workspace(name = "{}")\n'.format(ctx.name))
    ctx.file("BUILD.bazel", _HEADER.format(what = "GoogleTest (libgtest-dev, libgmock-dev)") +
                            _library("gtest", ["-lgtest", "-lpthread"]) +
                            _library("gtest_main", ["-lgtest_main", "-lgtest", "-lpthread"]) +
                            _library("gmock", ["-lgmock", "-lgtest", "-lpthread"]) +
                            _library("gmock_main", ["-lgmock_main", "-lgmock", "-lgtest", "-lpthread"]))

system_googletest = repository_rule(
    implementation = _system_googletest_impl,
    local = True,
    configure = True,
    doc = "GoogleTest and GoogleMock from the system, with upstream's Bazel labels.",
)

def _system_benchmark_impl(ctx):
    _require_header(ctx, "benchmark/benchmark.h", "libbenchmark-dev")
    ctx.file("WORKSPACE", 'workspace(name = "{}")\n'.format(ctx.name))
    ctx.file("BUILD.bazel", _HEADER.format(what = "Google Benchmark (libbenchmark-dev)") +
                            _library("benchmark", ["-lbenchmark", "-lpthread"]) +
                            # No pkg-config file exists for benchmark_main.
                            _library("benchmark_main", ["-lbenchmark_main", "-lbenchmark", "-lpthread"]))

system_benchmark = repository_rule(
    implementation = _system_benchmark_impl,
    local = True,
    configure = True,
    doc = "Google Benchmark from the system, with upstream's Bazel labels.",
)

def system_libs():
    """Declares @com_google_absl, @com_google_googletest, @com_github_google_benchmark."""
    system_abseil(name = "com_google_absl")
    system_googletest(name = "com_google_googletest")
    system_benchmark(name = "com_github_google_benchmark")
