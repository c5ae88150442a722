// Copyright 2026 The bytesio Authors.
//
// main() for tests that take a seed (//tests:test_main, instead of
// gtest_main): strips `--seed=N` from the arguments, makes it TestSeed(), and
// prints how to reproduce after every failing test.

#include <cstdio>
#include <cstring>

#include "absl/strings/numbers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/test_util.h"

namespace {

class SeedPrinter : public ::testing::EmptyTestEventListener {
 public:
  void OnTestEnd(const ::testing::TestInfo& info) override {
    if (info.result()->Failed()) {
      std::printf("bytesio: %s.%s failed with %s\n", info.test_suite_name(),
                  info.name(),
                  bytesio::testutil::SeedTrace(bytesio::TestSeed()).c_str());
    }
  }
};

}  // namespace

int main(int argc, char** argv) {
  int kept = 1;
  for (int i = 1; i < argc; ++i) {
    constexpr char kFlag[] = "--seed=";
    if (std::strncmp(argv[i], kFlag, sizeof(kFlag) - 1) == 0) {
      uint64_t seed;
      if (!absl::SimpleAtoi(argv[i] + sizeof(kFlag) - 1, &seed)) {
        std::fprintf(stderr, "bad %s\n", argv[i]);
        return 2;
      }
      bytesio::testutil::SetTestSeedOverride(seed);
    } else {
      argv[kept++] = argv[i];
    }
  }
  argc = kept;
  argv[argc] = nullptr;
  ::testing::InitGoogleMock(&argc, argv);
  ::testing::UnitTest::GetInstance()->listeners().Append(new SeedPrinter);
  return RUN_ALL_TESTS();
}
