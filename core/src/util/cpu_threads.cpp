#include "util/cpu_threads.h"

#include <ATen/Parallel.h>
#include <dlfcn.h>

#include <algorithm>

namespace gs::detail {
namespace {

// Looked up at run time: LibTorch links the BLAS and OpenMP it was built
// with, and whichever is absent has nothing to set.
template <typename F>
F symbol(const char* name) {
    return reinterpret_cast<F>(dlsym(RTLD_DEFAULT, name));
}

using SetFn = void (*)(int);
using GetFn = int (*)();

struct Symbols {
    SetFn openblasSet = symbol<SetFn>("openblas_set_num_threads");
    GetFn openblasGet = symbol<GetFn>("openblas_get_num_threads");
    SetFn ompSet = symbol<SetFn>("omp_set_num_threads");
    GetFn ompGet = symbol<GetFn>("omp_get_max_threads");
};

const Symbols& symbols() {
    static const Symbols s;
    return s;
}

}  // namespace

int blasParallelMode() {
    static const int mode = [] {
        const auto f = symbol<GetFn>("openblas_get_parallel");
        return f ? f() : -1;
    }();
    return mode;
}

CpuThreads planCpuThreads(int threads, bool fp32, int blasMode) {
    threads = std::max(1, threads);
    CpuThreads plan;
    if (blasMode == 1) {
        // pthread OpenBLAS: it sizes its own pool; give it the cores asked for.
        plan.blas = threads;
        plan.openmp = fp32 ? 1 : threads;
    } else {
        // OpenMP OpenBLAS runs inside the caller's team, a sequential one or
        // another BLAS needs nothing: the OpenMP pool gets the cores.
        plan.openmp = threads;
    }
    return plan;
}

int setCpuThreads(int threads, bool fp32) {
    const CpuThreads plan = planCpuThreads(threads, fp32, blasParallelMode());
    at::set_num_threads(plan.openmp);
    const Symbols& f = symbols();
    if (plan.blas > 0 && f.openblasSet && f.openblasGet && f.openblasGet() != plan.blas) f.openblasSet(plan.blas);
    return plan.openmp;
}

ScopedCpuThreads::ScopedCpuThreads(int threads, bool fp32) {
    if (threads <= 0) return;
    const CpuThreads plan = planCpuThreads(threads, fp32, blasParallelMode());
    const Symbols& f = symbols();
    if (f.ompSet && f.ompGet) {
        // ATen sets a thread's OpenMP team size on its first parallel
        // operation in that thread: let it do so now, not after ours.
        at::internal::lazy_init_num_threads();
        const int previous = f.ompGet();
        if (previous != plan.openmp) {
            f.ompSet(plan.openmp);
            m_previousOpenmp = previous;
        }
    }
}

ScopedCpuThreads::~ScopedCpuThreads() {
    if (m_previousOpenmp > 0) symbols().ompSet(m_previousOpenmp);
}

}  // namespace gs::detail
