#pragma once
// Precompiled for the core's LibTorch translation units only.
#include <torch/torch.h>
