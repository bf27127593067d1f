// Free functions of result_store.h: identities (hashes, canonical JSON,
// model fingerprints) and the store's place on disk (default path, moving a
// damaged store aside).

#include "grammascope/result_store.h"

#include "cache/hashing.h"

#include <nlohmann/json.hpp>

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <vector>

namespace gs {

namespace fs = std::filesystem;

const char* storeProblemName(StoreProblem problem) {
    switch (problem) {
    case StoreProblem::None: return "none";
    case StoreProblem::Corrupt: return "corrupt";
    case StoreProblem::NewerSchema: return "newer-schema";
    case StoreProblem::DiskFull: return "disk-full";
    case StoreProblem::Busy: return "busy";
    case StoreProblem::ReadOnly: return "read-only";
    case StoreProblem::InvalidArgument: return "invalid-argument";
    case StoreProblem::Io: return "io";
    }
    return "io";
}

std::string sentenceHash(std::string_view text) { return cache::sha256Hex(text); }
std::string contentHash(std::string_view bytes) { return cache::sha256Hex(bytes); }

Status canonicalJson(std::string_view json, std::string& out) {
    try {
        // nlohmann's default object is a std::map: keys come out sorted.
        out = nlohmann::json::parse(json).dump();
        return Status::ok();
    } catch (const nlohmann::json::exception& e) {
        return Status::failed(std::string("invalid JSON: ") + e.what());
    }
}

// ---------------------------------------------------------------- fingerprints

namespace {

bool endsWith(const std::string& s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool startsWith(const std::string& s, std::string_view prefix) { return s.rfind(prefix, 0) == 0; }

// Files that change what a checkpoint computes. Not README, training state
// (training_args.bin, optimizer files) or anything in subfolders.
bool isModelFile(const std::string& name) {
    static const char* exact[] = {"config.json",     "vocab.txt",          "vocab.json",
                                  "merges.txt",      "tokenizer.json",     "tokenizer_config.json",
                                  "added_tokens.json", "special_tokens_map.json"};
    for (const char* e : exact)
        if (name == e) return true;
    return endsWith(name, ".safetensors") || (startsWith(name, "pytorch_model") && endsWith(name, ".bin")) ||
           endsWith(name, ".index.json") || endsWith(name, ".model");
}

} // namespace

Status fingerprintModelFiles(const fs::path& modelDir, std::string& fingerprint, const ProgressCallback& progress) {
    const std::string stage = "fingerprinting " + modelDir.string();
    try {
        std::vector<std::pair<std::string, std::uint64_t>> files;
        std::uint64_t totalBytes = 0;
        for (const fs::directory_entry& e : fs::directory_iterator(modelDir)) {
            const std::string name = e.path().filename().string();
            if (!e.is_regular_file() || !isModelFile(name)) continue;  // follows symlinks (HF cache layout)
            files.emplace_back(name, e.file_size());
            totalBytes += files.back().second;
        }
        if (files.empty()) return Status::failed(stage + ": no config, weights or tokenizer files");
        std::sort(files.begin(), files.end());

        std::string manifest = "gsfp1\n";
        std::vector<char> buffer(std::size_t{1} << 20);
        std::uint64_t done = 0;
        for (const auto& [name, size] : files) {
            std::ifstream in(modelDir / name, std::ios::binary);
            if (!in) return Status::failed(stage + ": cannot open " + name);
            cache::Xxh64 hash;
            std::uint64_t read = 0;
            while (in) {
                in.read(buffer.data(), std::streamsize(buffer.size()));
                const auto n = static_cast<std::size_t>(in.gcount());
                if (n == 0) break;
                hash.update(buffer.data(), n);
                read += n;
                done += n;
                if (progress && !progress(std::int64_t(done), std::int64_t(totalBytes)))
                    return Status::cancelled(stage + ": cancelled");
            }
            if (in.bad() || read != size) return Status::failed(stage + ": " + name + " changed or could not be read");
            manifest += name + "\t" + std::to_string(size) + "\t" + cache::hex64(hash.digest()) + "\n";
        }
        fingerprint = "gsfp1-" + cache::sha256Hex(manifest);
        return Status::ok();
    } catch (const std::exception& e) {
        return Status::failed(stage + ": " + e.what());
    }
}

// ---------------------------------------------------------------- location

fs::path defaultStorePath() {
    const fs::path tail = fs::path("grammascope") / "results.sqlite";
    if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg && fs::path(xdg).is_absolute())
        return fs::path(xdg) / tail;
    if (const char* home = std::getenv("HOME"); home && *home) return fs::path(home) / ".cache" / tail;
    if (const passwd* pw = getpwuid(getuid()); pw && pw->pw_dir && *pw->pw_dir)
        return fs::path(pw->pw_dir) / ".cache" / tail;
    std::error_code ec;
    return fs::temp_directory_path(ec) / tail;
}

Status moveAsideCorruptStore(const fs::path& path, fs::path& newPath, std::string_view tag) {
    const std::string stage = "moving " + path.string() + " aside";
    try {
        std::error_code ec;
        if (!fs::exists(path, ec)) return Status::failed(stage + ": the file does not exist");
        char stamp[32];
        const std::time_t now = std::time(nullptr);
        std::tm local{};
        localtime_r(&now, &local);
        std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &local);
        const std::string base = path.string() + "." + std::string(tag) + "-" + stamp;
        // SQLite finds a database's journal files by appending to its name,
        // so the moved files keep those suffixes after the new name.
        static const char* suffixes[] = {"-wal", "-shm", "-journal"};
        std::string target = base;
        for (int n = 2;; ++n) {
            bool taken = fs::exists(target, ec);
            for (const char* s : suffixes) taken = taken || fs::exists(target + s, ec);
            if (!taken) break;
            target = base + "-" + std::to_string(n);
        }
        // Journals first: a -wal left next to a missing database would be
        // replayed into the next store created under the old name.
        std::vector<std::pair<fs::path, fs::path>> moved;
        const auto undo = [&] {
            for (auto it = moved.rbegin(); it != moved.rend(); ++it) fs::rename(it->second, it->first, ec);
        };
        for (const char* s : suffixes) {
            const fs::path from = path.string() + s;
            if (!fs::exists(from, ec)) continue;
            fs::rename(from, target + s, ec);
            if (ec) {
                const std::string why = ec.message();
                undo();
                return Status::failed(stage + ": cannot rename " + from.string() + ": " + why);
            }
            moved.emplace_back(from, target + s);
        }
        fs::rename(path, target, ec);
        if (ec) {
            const std::string why = ec.message();
            undo();
            return Status::failed(stage + ": cannot rename it: " + why);
        }
        newPath = target;
        return Status::ok();
    } catch (const std::exception& e) {
        return Status::failed(stage + ": " + e.what());
    }
}

std::filesystem::path storeSideFolder(const ResultStore& store, const std::string& name) {
    namespace fs = std::filesystem;
    const fs::path& p = store.path();
    if (p.empty() || p == ":memory:") {
        std::error_code ec;
        return fs::temp_directory_path(ec) / ("grammascope-" + std::to_string(::getuid())) / name;
    }
    const fs::path parent = p.parent_path();
    return (parent.empty() ? fs::path(".") : parent) / name;
}

} // namespace gs
