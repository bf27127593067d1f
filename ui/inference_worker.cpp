#include "inference_worker.h"

#include "grammascope/scoring.h"

#include <QDir>
#include <QThread>

#include <exception>
#include <filesystem>
#include <limits>

namespace gs::ui {
namespace {

std::filesystem::path toPath(const QString& directory) {
    return std::filesystem::path(directory.toStdU16String());
}

QString describeException(std::exception_ptr error) {
    try {
        std::rethrow_exception(error);
    } catch (const std::exception& e) {
        return QString::fromUtf8(e.what());
    } catch (...) {
        return InferenceWorker::tr("unknown error");
    }
}

} // namespace

void registerInferenceMetaTypes() {
    qRegisterMetaType<gs::ModelOptions>();
    qRegisterMetaType<gs::EncodeRequest>();
    qRegisterMetaType<gs::ModelInfo>();
    qRegisterMetaType<gs::ui::EncodeResultPtr>();
}

InferenceWorker::InferenceWorker(QObject* parent) : QObject(parent) {}

InferenceWorker::~InferenceWorker() = default;

void InferenceWorker::requestCancel(quint64 upToRequestId) {
    // Monotonic: a late call with a smaller id never revives a cancelled request.
    quint64 current = m_cancelUpTo.load();
    while (current < upToRequestId && !m_cancelUpTo.compare_exchange_weak(current, upToRequestId)) {}
}

bool InferenceWorker::isCancelled(quint64 requestId) const {
    return requestId <= m_cancelUpTo.load();
}

ProgressCallback InferenceWorker::progressFor(quint64 requestId) {
    return [this, requestId](std::int64_t done, std::int64_t total) {
        emit progress(requestId, qint64(done), qint64(total));
        return !isCancelled(requestId);
    };
}

void InferenceWorker::loadModel(quint64 requestId, const QString& directory, const gs::ModelOptions& options) {
    try {
        if (isCancelled(requestId)) {
            emit cancelled(requestId);
            return;
        }
        std::shared_ptr<const Model> model;
        const Status status = Model::load(toPath(directory), options, model, progressFor(requestId));
        if (status.isCancelled()) {
            emit cancelled(requestId);
        } else if (!status.isOk() || !model) {
            emit failed(requestId, QString::fromStdString(status.message()));
        } else if (isCancelled(requestId)) {
            // Finished just as it was cancelled: keep the model in use, as the caller expects.
            emit cancelled(requestId);
        } else {
            m_model = std::move(model);
            emit modelLoaded(requestId, m_model->info());
        }
    } catch (...) {
        emit failed(requestId, tr("loading %1: %2")
                                   .arg(QDir::toNativeSeparators(directory), describeException(std::current_exception())));
    }
}

void InferenceWorker::encode(quint64 requestId, const QString& text, const gs::EncodeRequest& request) {
    try {
        if (isCancelled(requestId)) {
            emit cancelled(requestId);
            return;
        }
        if (!m_model) {
            emit failed(requestId, tr("no model is loaded"));
            return;
        }
        auto result = std::make_shared<EncodeResult>();
        Status status = m_model->encode(text.toStdString(), request, *result, progressFor(requestId));
        if (status.isOk() && request.tokenLogProbs && m_model->info().hasMlmHead)
            status = scoreEncodedTokens(*m_model, text.toStdString(), *result, progressFor(requestId));
        if (status.isCancelled())
            emit cancelled(requestId);
        else if (!status.isOk())
            emit failed(requestId, QString::fromStdString(status.message()));
        else
            emit encoded(requestId, std::move(result));
    } catch (...) {
        emit failed(requestId, tr("encoding: %1").arg(describeException(std::current_exception())));
    }
}

InferenceThread::InferenceThread(QObject* parent) : QObject(parent) {
    registerInferenceMetaTypes();
    m_thread = new QThread(this);
    m_thread->setObjectName(QStringLiteral("GrammascopeInference"));
    m_worker = new InferenceWorker;  // no parent: it moves to the thread
    m_worker->moveToThread(m_thread);
    // The worker (and with it the model) is destroyed on its own thread.
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread->start();
}

InferenceThread::~InferenceThread() {
    m_worker->requestCancel(std::numeric_limits<quint64>::max());
    m_thread->quit();
    m_thread->wait();
}

quint64 InferenceThread::loadModel(const QString& directory, const ModelOptions& options) {
    const quint64 id = m_nextId++;
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, id, directory, options] { worker->loadModel(id, directory, options); },
        Qt::QueuedConnection);
    return id;
}

quint64 InferenceThread::encode(const QString& text, const EncodeRequest& request) {
    const quint64 id = m_nextId++;
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker, id, text, request] { worker->encode(id, text, request); },
        Qt::QueuedConnection);
    return id;
}

void InferenceThread::cancelAll() {
    m_worker->requestCancel(lastRequestId());
}

} // namespace gs::ui
