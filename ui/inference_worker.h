#pragma once
// Model work off the GUI thread. One long-lived InferenceWorker lives on its
// own QThread and owns the loaded model; the GUI talks to it only through
// queued slots and signals, so the window never blocks on LibTorch.
//
// Requests carry an id chosen by the caller (increasing); every signal
// repeats it so that the caller can drop results of stale requests.
// Cancellation is a direct, thread-safe call (not a queued slot, which would
// only run after the job it should stop): requestCancel(id) cancels every
// request up to `id`, checked by the core between tensors and layers.
//
// InferenceThread owns the thread and the worker; its destructor cancels,
// quits and waits, so no job outlives the window.
//
// Thread affinity: InferenceWorker's slots run on the worker thread;
// requestCancel() may be called from any thread. InferenceThread is used
// from the GUI thread.

#include "grammascope/model.h"

#include <QMetaType>
#include <QObject>
#include <QString>

#include <atomic>
#include <memory>

class QThread;

namespace gs::ui {

using EncodeResultPtr = std::shared_ptr<const EncodeResult>;

class InferenceWorker : public QObject {
    Q_OBJECT
public:
    explicit InferenceWorker(QObject* parent = nullptr);
    ~InferenceWorker() override;

    // Cancels every request whose id is <= upToRequestId. Thread-safe.
    void requestCancel(quint64 upToRequestId);

public slots:
    // Loads a checkpoint folder; the previous model stays in use if this fails.
    void loadModel(quint64 requestId, const QString& directory, const gs::ModelOptions& options);
    // Encodes one sentence with the current model.
    void encode(quint64 requestId, const QString& text, const gs::EncodeRequest& request);

signals:
    void modelLoaded(quint64 requestId, const gs::ModelInfo& info);
    void encoded(quint64 requestId, gs::ui::EncodeResultPtr result);
    void progress(quint64 requestId, qint64 done, qint64 total);
    void failed(quint64 requestId, const QString& message);
    void cancelled(quint64 requestId);

private:
    ProgressCallback progressFor(quint64 requestId);
    bool isCancelled(quint64 requestId) const;

    std::shared_ptr<const Model> m_model;
    std::atomic<quint64> m_cancelUpTo{0};
};

class InferenceThread : public QObject {
    Q_OBJECT
public:
    explicit InferenceThread(QObject* parent = nullptr);
    ~InferenceThread() override;  // cancel -> quit -> wait

    // The worker, for connecting to its signals (queued: it lives on the thread).
    InferenceWorker* worker() const { return m_worker; }

    // Queue a request and return its id.
    quint64 loadModel(const QString& directory, const ModelOptions& options);
    quint64 encode(const QString& text, const EncodeRequest& request);
    // Cancels every request issued so far.
    void cancelAll();
    quint64 lastRequestId() const { return m_nextId - 1; }

private:
    QThread* m_thread = nullptr;
    InferenceWorker* m_worker = nullptr;
    quint64 m_nextId = 1;
};

// Registers the types carried by queued signals; called by InferenceThread.
void registerInferenceMetaTypes();

} // namespace gs::ui

Q_DECLARE_METATYPE(gs::ModelOptions)
Q_DECLARE_METATYPE(gs::EncodeRequest)
Q_DECLARE_METATYPE(gs::ModelInfo)
Q_DECLARE_METATYPE(gs::ui::EncodeResultPtr)
