#pragma once
// Opening checks and schema migrations of the results store.

#include "cache/sqlite_db.h"

#include <filesystem>

namespace gs::cache {

// "GSRS": marks the file as a Grammascope results store (PRAGMA application_id).
inline constexpr std::int64_t kApplicationId = 0x47535253;

// Refuses a file that is not SQLite at all before SQLite touches it.
void checkFileHeader(const std::filesystem::path& path);

struct SchemaOpenResult {
    int version = 0;
    bool created = false;
    bool migrated = false;
};

// Identifies the database (foreign file, newer schema, damage), sets the
// connection's pragmas and, for a writable store, creates or migrates the
// schema to kResultStoreSchemaVersion. Throws StoreError (Corrupt,
// NewerSchema, ...) without writing anything to a file it refuses.
SchemaOpenResult openSchema(Db& db, const std::filesystem::path& path, bool memory,
                            const ResultStoreOptions& options);

} // namespace gs::cache
