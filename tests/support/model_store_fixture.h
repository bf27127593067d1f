#pragma once
// A random checkpoint written to a temporary folder, loaded on the CPU with
// one thread, its store fingerprint, and a results store next to it
// (<dir>/store/results.sqlite): what the probe and SAE tests start from.
// Failures fail the calling test.

#include "checkpoint_fixture.h"
#include "grammascope/model.h"
#include "grammascope/result_store.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace gs::testing {

struct ModelStoreFixture {
    TempDir dir;
    std::shared_ptr<const Model> model;
    std::unique_ptr<ResultStore> store;
    std::string fingerprint;

    explicit ModelStoreFixture(const char* prefix, const FixtureOptions& options = {}) : dir(prefix) {
        Status st = writeRandomCheckpoint(dir.path() / "model", options);
        EXPECT_TRUE(st.isOk()) << st.message();
        ModelOptions mo;
        mo.device = DevicePreference::Cpu;
        mo.threads = 1;
        st = Model::load(dir.path() / "model", mo, model);
        EXPECT_TRUE(st.isOk()) << st.message();
        st = fingerprintModelFiles(dir.path() / "model", fingerprint);
        EXPECT_TRUE(st.isOk()) << st.message();
        st = ResultStore::open(dir.path() / "store" / "results.sqlite", ResultStoreOptions{}, store);
        EXPECT_TRUE(st.isOk()) << st.message();
    }
};

} // namespace gs::testing
