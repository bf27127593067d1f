#pragma once
// Status of a core operation. Exceptions may be used inside the core but never
// cross its public API: every public entry point returns a Status with the
// outcome kept apart (Ok / Failed / Cancelled) and the failing stage named in
// the message, e.g. "loading vocabulary: /models/x/vocab.txt:12: empty token".
//
// Thread-safety: plain value types.

#include <cstdint>
#include <functional>
#include <string>
#include <utility>

namespace gs {

enum class StatusCode { Ok, Failed, Cancelled };

class Status {
public:
    Status() = default;
    static Status ok() { return {}; }
    static Status failed(std::string message) { return Status(StatusCode::Failed, std::move(message)); }
    static Status cancelled(std::string message = "cancelled") { return Status(StatusCode::Cancelled, std::move(message)); }

    bool isOk() const { return m_code == StatusCode::Ok; }
    bool isCancelled() const { return m_code == StatusCode::Cancelled; }
    bool isFailed() const { return m_code == StatusCode::Failed; }
    StatusCode code() const { return m_code; }
    const std::string& message() const { return m_message; }

    // Prefixes the message with the stage that failed ("loading weights: ...").
    Status withStage(const std::string& stage) const {
        if (isOk()) return *this;
        return Status(m_code, stage + ": " + m_message);
    }

private:
    Status(StatusCode code, std::string message) : m_code(code), m_message(std::move(message)) {}
    StatusCode m_code = StatusCode::Ok;
    std::string m_message;
};

// Progress and cancellation in one callback: called with (done, total) between
// units of work (layers, batches, tensors). Returning false cancels the
// operation, which then returns Status::cancelled(). May be empty.
using ProgressCallback = std::function<bool(std::int64_t done, std::int64_t total)>;

} // namespace gs
