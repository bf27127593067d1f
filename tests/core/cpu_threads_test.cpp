// How CPU cores are split between LibTorch's OpenMP pool and OpenBLAS.
#include "util/cpu_threads.h"

#include <ATen/Parallel.h>
#include <gtest/gtest.h>

namespace gs::detail {
namespace {

TEST(CpuThreads, Fp32OnPthreadOpenBlasLeavesTheCoresToTheBlas) {
    const CpuThreads fp32 = planCpuThreads(4, true, 1);
    EXPECT_EQ(fp32.openmp, 1);
    EXPECT_EQ(fp32.blas, 4);
    const CpuThreads bf16 = planCpuThreads(4, false, 1);
    EXPECT_EQ(bf16.openmp, 4);
    EXPECT_EQ(bf16.blas, 4);
}

TEST(CpuThreads, OtherBlasLibrariesKeepTheOpenMpPool) {
    for (int mode : {-1, 0, 2}) {  // not OpenBLAS, sequential, OpenMP OpenBLAS
        for (bool fp32 : {true, false}) {
            const CpuThreads p = planCpuThreads(3, fp32, mode);
            EXPECT_EQ(p.openmp, 3) << "mode " << mode << " fp32 " << fp32;
            EXPECT_EQ(p.blas, 0) << "mode " << mode << " fp32 " << fp32;
        }
    }
}

TEST(CpuThreads, AtLeastOneThread) {
    EXPECT_EQ(planCpuThreads(0, false, 1).openmp, 1);
    EXPECT_EQ(planCpuThreads(-3, true, 1).blas, 1);
    EXPECT_EQ(planCpuThreads(0, true, -1).openmp, 1);
}

TEST(CpuThreads, AppliedToLibTorchAndRestoredByTheScope) {
    const int mode = blasParallelMode();
    EXPECT_GE(mode, -1);
    EXPECT_LE(mode, 2);
    const int fp32Team = planCpuThreads(2, true, mode).openmp;

    EXPECT_EQ(setCpuThreads(2, true), fp32Team);
    EXPECT_EQ(at::get_num_threads(), fp32Team);
    EXPECT_EQ(setCpuThreads(2, false), 2);
    EXPECT_EQ(at::get_num_threads(), 2);
    {
        ScopedCpuThreads scope(2, true);
        EXPECT_EQ(at::get_num_threads(), fp32Team);
    }
    EXPECT_EQ(at::get_num_threads(), 2);
    {
        ScopedCpuThreads untouched(0, true);
        EXPECT_EQ(at::get_num_threads(), 2);
    }
    EXPECT_EQ(at::get_num_threads(), 2);
}

}  // namespace
}  // namespace gs::detail
