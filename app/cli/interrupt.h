#pragma once
// Ctrl+C for long commands: SIGINT / SIGTERM set a flag that the command's
// progress callback turns into a cancel, so the work stops at its next
// checkpoint and the command exits 130. The handler is one-shot: a second
// Ctrl+C kills a command that does not stop.

namespace gs::cli {

void installInterruptHandler();
bool interrupted();  // async-signal-safe flag read

} // namespace gs::cli
