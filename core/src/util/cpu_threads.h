// How CPU computations share the cores they are given between LibTorch's
// OpenMP pool and the BLAS library.
//
// LibTorch sends fp32 matrix products to the system BLAS. When that is an
// OpenBLAS built with its own pthread pool (Debian's libopenblas0-pthread),
// the two pools fight: after every parallel element-wise operation LibTorch's
// OpenMP threads spin-wait for the next one while OpenBLAS's threads want the
// same cores for the matrix product. On two cores, scoring minimal pairs in
// fp32 ran 2.5 times slower with two OpenMP threads than with one (and
// OpenBLAS still using both cores). bf16 products go through oneDNN inside the
// OpenMP pool and need its threads. So: fp32 work on a pthread OpenBLAS gets
// one OpenMP thread and OpenBLAS gets the cores; everything else gets the
// cores in the OpenMP pool, as before.
#pragma once

namespace gs::detail {

// What the loaded BLAS is, from OpenBLAS's openblas_get_parallel(): 0
// sequential, 1 pthreads, 2 OpenMP; -1 when the BLAS is not OpenBLAS.
int blasParallelMode();

struct CpuThreads {
    int openmp = 1;  // LibTorch's intra-op team size
    int blas = 0;    // OpenBLAS's pool size; 0 = leave it alone
};

// The split of `threads` cores (>= 1) for fp32 or other work, given the BLAS
// mode as blasParallelMode() reports it. Pure: tested without the libraries.
CpuThreads planCpuThreads(int threads, bool fp32, int blasMode);

// Applies the plan for `threads` cores process-wide: at::set_num_threads and
// openblas_set_num_threads. For the start of a computation (loading a model,
// starting a training run), not while others run. Returns the OpenMP team
// size it set.
int setCpuThreads(int threads, bool fp32);

// The calling thread's OpenMP team size (a per-thread setting, unlike
// at::set_num_threads) from the plan, for the lifetime of the object, then
// restored. OpenBLAS's pool is left as it is: resizing it while another
// thread is inside a BLAS call is not safe. threads <= 0 leaves everything
// alone.
class ScopedCpuThreads {
public:
    ScopedCpuThreads(int threads, bool fp32);
    ~ScopedCpuThreads();
    ScopedCpuThreads(const ScopedCpuThreads&) = delete;
    ScopedCpuThreads& operator=(const ScopedCpuThreads&) = delete;

private:
    int m_previousOpenmp = 0;  // 0: not changed
};

}  // namespace gs::detail
