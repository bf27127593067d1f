#pragma once
// Sub-commands of grammascope-cli. Each returns the process exit code:
// 0 success, 1 failure (message on stderr), 2 usage error, 130 cancelled.

namespace gs::cli {

int runEncode(int argc, char** argv);
int runInfo(int argc, char** argv);
int runMakePairs(int argc, char** argv);
int runScore(int argc, char** argv);
int runUnigram(int argc, char** argv);
int runTrainMlm(int argc, char** argv);
int runEvalMlm(int argc, char** argv);
// grammascope-cli pairs <subcommand>: "stats" (cmd_pairs.cpp) and
// "generate-polypersonal", which runPairs forwards to the function below with
// argv shifted by one, so that argv[1] is "generate-polypersonal" and its
// options start at argv[2], as for every other command.
int runPairs(int argc, char** argv);
int runPairsGeneratePolypersonal(int argc, char** argv);
// grammascope-cli run: analyses over a dataset into the results store (cmd_run.cpp).
int runRun(int argc, char** argv);
// grammascope-cli cache <subcommand>: stats, runs, export, vacuum, clear,
// move-aside (cmd_cache.cpp); options start at argv[3].
int runCache(int argc, char** argv);
// grammascope-cli probe: per-layer diagnostic probes for one task of a dataset (cmd_probe.cpp).
int runProbe(int argc, char** argv);
// grammascope-cli sae <subcommand>: train, eval, export, import, list (cmd_sae.cpp); options start at argv[3].
int runSae(int argc, char** argv);
// grammascope-cli localize <subcommand>: train, diff, activity, report (cmd_localize.cpp); options start at argv[3].
int runLocalize(int argc, char** argv);

} // namespace gs::cli
