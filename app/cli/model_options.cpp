#include "cli/model_options.h"

#include <iostream>

namespace gs::cli {

bool parseModelOptions(Args& args, ModelOptions& out, std::string& error) {
    const std::string precision = args.value("precision", "fp32");
    if (precision == "fp32") out.precision = Precision::Float32;
    else if (precision == "bf16") out.precision = Precision::BFloat16;
    else {
        error = "--precision must be fp32 or bf16, got '" + precision + "'";
        return false;
    }
    const std::string device = args.value("device", "auto");
    if (device == "auto") out.device = DevicePreference::Auto;
    else if (device == "cpu") out.device = DevicePreference::Cpu;
    else if (device == "cuda") out.device = DevicePreference::Cuda;
    else {
        error = "--device must be auto, cpu or cuda, got '" + device + "'";
        return false;
    }
    out.threads = args.intValue("threads", 0);
    if (!args.ok()) {
        error = args.error();
        return false;
    }
    if (out.threads < 0) {
        error = "--threads must be positive";
        return false;
    }
    return true;
}

int openModel(Args& args, std::shared_ptr<const Model>& model) {
    if (!args.has("model")) {
        std::cerr << "error: --model DIR is required\n";
        return 2;
    }
    ModelOptions options;
    std::string error;
    if (!parseModelOptions(args, options, error)) {
        std::cerr << "error: " << error << "\n";
        return 2;
    }
    Status st = Model::load(args.value("model"), options, model);
    if (!st.isOk()) {
        std::cerr << "error: " << st.message() << "\n";
        return 1;
    }
    for (const auto& w : model->info().warnings) std::cerr << "warning: " << w << "\n";
    return 0;
}

} // namespace gs::cli
