#pragma once
// Serialising probe sets (probe_data.h), internal to the core: the metadata
// JSON (probeSetJson) read back, the weights as a safetensors image held in
// memory (the artefact blob, probes.safetensors), and atomic file writes.
//
// Weights: per layer l, F32 tensors "layer.<l>.w1", "layer.<l>.b1",
// "layer.<l>.w2", "layer.<l>.b2" (MLP only), "layer.<l>.mean" and
// "layer.<l>.inv_std" (when the probe standardises).
//
// Thread-safety: free functions on plain values.

#include "grammascope/probe_data.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace gs::detail {

inline constexpr const char* kProbeSetFormat = "grammascope-probe-set";
inline constexpr int kProbeSetVersion = 1;

// Everything of probeSetJson() back into `out`, with one TrainedProbe per
// layer holding its sizes and training record but no weights.
Status probeSetFromJson(const std::string& json, const std::string& source, ProbeSet& out);

// The options as the set's JSON writes them (compact JSON text).
std::string layerProbeOptionsJson(const LayerProbeOptions& options);

std::vector<std::uint8_t> probeWeightsSafetensors(const ProbeSet& set);
// Fills the weights of out.probes (sized by probeSetFromJson) from a safetensors image.
Status readProbeWeights(std::span<const std::byte> bytes, const std::string& source, ProbeSet& out);

} // namespace gs::detail
