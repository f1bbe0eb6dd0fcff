"""mxscan_fuzzer: one fuzz target, built two ways.

mxscan_fuzzer(name = "x", srcs = ["x_fuzzer.cc"], deps = [...], ...) in
tests/fuzz/<area>/BUILD.bazel declares:

  x_fuzzer_corpus_test  a cc_test: the target with //tests/fuzz:fuzz_main
                        (gcc), run over corpus/x/ and `mutations` seeded
                        mutations on every `bazel test //...`, and under
                        --config=asan with ASan+UBSan;
  x_fuzzer              the target linked with libFuzzer, for
                        tests/fuzz/run_all_fuzzers.sh, which builds it with
                        clang and --config=libfuzzer in its own output base
                        (tagged manual: //... never builds it with gcc);
  x_fuzzer_flags        the libFuzzer flags of x_fuzzer (x_fuzzer.flags:
                        the corpus, the dictionary, -max_len), read by
                        run_all_fuzzers.sh.

The corpus is corpus/x/ and the dictionary x.dict (when `dict` is True),
both beside the BUILD file. A crash found either way becomes
corpus/x/regression-<what>.
"""

def mxscan_fuzzer(
        name,
        srcs,
        deps,
        mutator,
        mutations = 20000,
        seed = 20240601,
        header = 0,
        dict = True,
        max_len = 4096,
        size = "small"):
    """Declares NAME_fuzzer_corpus_test, NAME_fuzzer and NAME_fuzzer_flags.

    Args:
      name: the target's name; corpus/NAME/ and NAME.dict beside the BUILD.
      srcs: the sources defining LLVMFuzzerTestOneInput.
      deps: the libraries they call.
      mutator: fuzz_main.cc's --mutator: packet, der, text or lines.
      mutations: seeded mutations per corpus test run.
      seed: the corpus test's seed.
      header: control bytes at the front of an input (fuzz_main's --header).
      dict: whether NAME.dict exists.
      max_len: libFuzzer's -max_len.
      size: the corpus test's size.
    """
    package = native.package_name()
    corpus = "%s/corpus/%s" % (package, name)
    dict_file = "%s/%s.dict" % (package, name) if dict else ""
    corpus_files = native.glob(["corpus/%s/*" % name])
    dict_data = [name + ".dict"] if dict else []

    args = [
        "--mutator=" + mutator,
        "--mutations=%d" % mutations,
        "--seed=%d" % seed,
        "--header=%d" % header,
    ]
    if dict:
        args.append("--dict=" + dict_file)
    native.cc_test(
        name = name + "_fuzzer_corpus_test",
        size = size,
        srcs = srcs,
        args = args + [corpus],
        data = dict_data + corpus_files,
        deps = deps + ["//tests/fuzz:fuzz_main"],
    )

    native.cc_binary(
        name = name + "_fuzzer",
        testonly = True,
        srcs = srcs,
        linkopts = ["-fsanitize=fuzzer"],
        deps = deps,
        tags = ["manual", "libfuzzer"],
    )

    flags = ["-max_len=%d" % max_len]
    if dict:
        flags.append("-dict=" + dict_file)
    flags.append(corpus)
    native.genrule(
        name = name + "_fuzzer_flags",
        outs = [name + "_fuzzer.flags"],
        cmd = "printf '%%s\\n' %s > $@" % " ".join(flags),
        tags = ["manual", "libfuzzer"],
    )
